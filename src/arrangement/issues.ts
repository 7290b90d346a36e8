// Every problem found in an arrangement, with where it is: the file, the path
// in the document (`rules[3].zone`) and, when the source is known, its line.
// Validation collects them all before failing, so one run shows every error.

export type PathPart = string | number;

export interface Issue {
  file: string;
  path: PathPart[];
  message: string;
  line?: number;
  column?: number;
}

function formatPath(path: PathPart[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s || '(document)';
}

export function formatIssue(i: Issue): string {
  const where = i.line !== undefined ? `${i.file}:${i.line}:${i.column ?? 1}` : i.file;
  return `${where}: ${formatPath(i.path)}: ${i.message}`;
}

export class ArrangementError extends Error {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super(
      issues.length === 1 ? formatIssue(issues[0]) : `${issues.length} problems in the arrangement:\n` + issues.map((i) => '  ' + formatIssue(i)).join('\n'),
    );
    this.name = 'ArrangementError';
    this.issues = issues;
  }
}

/** Collects issues against one file. */
export class IssueList {
  readonly issues: Issue[] = [];
  constructor(readonly file: string) {}
  add(path: PathPart[], message: string, file = this.file): void {
    this.issues.push({ file, path: [...path], message });
  }
}
