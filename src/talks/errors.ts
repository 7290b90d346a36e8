// What the decider refuses, and why. `status` is what an HTTP server answers:
// 400 bad input, 403 wrong role, 404 a reference to nothing, 409 wrong order or
// state, 413 a statement too large for the record. `issues` lists every problem
// found in the input (validation reports all at once), `path` the first one's field.

export type TalksStatus = 400 | 403 | 404 | 409 | 413;

export interface TalksIssue {
  path: string;
  message: string;
}

export class TalksError extends Error {
  readonly status: TalksStatus;
  readonly code: string;
  readonly path?: string;
  readonly issues: TalksIssue[];
  constructor(status: TalksStatus, code: string, message: string, path?: string, issues?: TalksIssue[]) {
    super(message);
    this.name = 'TalksError';
    this.status = status;
    this.code = code;
    if (path !== undefined) this.path = path;
    this.issues = issues ?? (path !== undefined ? [{ path, message }] : []);
  }
}

export const forbidden = (message: string, code = 'forbidden'): never => {
  throw new TalksError(403, code, message);
};
export const notFound = (code: string, message: string, path?: string): never => {
  throw new TalksError(404, code, message, path);
};
export const conflict = (code: string, message: string, path?: string): never => {
  throw new TalksError(409, code, message, path);
};

/** Collects input problems so that one answer names them all. */
export class Problems {
  readonly list: TalksIssue[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
  get any(): boolean {
    return this.list.length > 0;
  }
  /** Throws a 400 naming every problem; the message leads with the first. */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const [first] = this.list;
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more)` : '';
    const where = first.path === '' ? '' : `${first.path}: `;
    throw new TalksError(400, 'invalid', `${where}${first.message}${more}`, first.path, this.list);
  }
}
