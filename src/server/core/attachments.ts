// Attachments (inspection photos, imagery) a report names by SHA-256: the report commits
// to the hash in the record, and the bytes are kept apart in the log's store, uploaded
// before or after the report (a report naming bytes not yet uploaded is accepted: the
// record commits to what the bytes must be, so a late upload cannot change them). Who may
// fetch them is the disclosure of the reports that name them (policy: readsAttachment):
// the index here keeps, per hash, only what the policy needs of each such report.
import { type Content, type DisclosurePolicy, readsAttachment } from '../../policy/disclosure.ts';
import type { Actor } from '../../policy/policy.ts';
import { BadRequest } from '../errors.ts';
import { ReportAttachments } from '../schemas.ts';

/** Checks a posted report's `attachments` (when it has them): a 400 naming the field under `path`. */
export function checkAttachments(report: unknown, path: string): void {
  const list = (report as { attachments?: unknown }).attachments;
  if (list === undefined) return;
  const d = ReportAttachments.safeParse(list);
  if (d.success) return;
  const issue = d.error.issues[0];
  const at = [`${path ? `${path}.` : ''}attachments`, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))]
    .join('')
    .replaceAll('.[', '[');
  throw new BadRequest(`${at}: ${issue.message}`, [{ path: at, message: issue.message }]);
}

/** The SHA-256s a recorded report names (nothing for one without a well-formed list). */
export function attachmentsOf(report: unknown): string[] {
  const list = (report as { attachments?: unknown } | null)?.attachments;
  if (!Array.isArray(list)) return [];
  return list.flatMap((a) => (typeof (a as { sha256?: unknown })?.sha256 === 'string' ? [(a as { sha256: string }).sha256] : []));
}

/** Per attachment hash, what the policy needs of each report naming it. */
export class AttachmentIndex {
  private readonly named = new Map<string, Content[]>();

  constructor(restored?: readonly [string, Content[]][]) {
    for (const [h, cs] of restored ?? []) this.named.set(h, [...cs]);
  }

  note(report: unknown, content: Content): void {
    for (const h of attachmentsOf(report)) {
      let cs = this.named.get(h);
      if (!cs) this.named.set(h, (cs = []));
      if (!cs.includes(content)) cs.push(content);
    }
  }

  /** May this reader fetch the attachment: does it read in full a report naming it? */
  mayRead(policy: DisclosurePolicy, reader: Actor, sha256: string): boolean {
    const cs = this.named.get(sha256);
    return cs !== undefined && readsAttachment(policy, reader, cs);
  }

  snapshot(): [string, Content[]][] {
    return [...this.named];
  }
}
