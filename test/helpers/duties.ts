// The example arrangement with the duties of issue 15 added for the server's tests: UNDOF's
// inspection rule takes challenge requests (inspect within 24 hours), the deconfliction
// notice climbs a ladder when unacknowledged, and the United States sit on a joint commission.
import { compileArrangement } from '../../src/arrangement/compile.ts';
import { ArrangementError, IssueList } from '../../src/arrangement/issues.ts';
import type { ArrangementSource } from '../../src/arrangement/load.ts';
import { validateDocument } from '../../src/arrangement/validate.ts';
import { exampleSource } from './server.ts';

export const LADDER = [
  { to: 'notified', after: 'PT5M' },
  { to: 'mediator', after: 'PT15M' },
  { to: 'guarantor', after: 'PT1H' },
];

/** `extra`: top-level keys to set besides (a `disclosure`, say). */
export function dutiesSource(extra: object = {}): ArrangementSource {
  const source = exampleSource();
  const doc = source.value as { rules: Record<string, unknown>[] };
  const rules = doc.rules.map((r) => {
    if (r.id === 'i-undof-aol') return { ...r, challenge: { within: 'PT24H' } };
    if (r.id === 'r-il-notice-deconf') return { ...r, escalation: LADDER };
    return r;
  });
  const value = { ...(source.value as object), commission: ['us'], rules, ...extra };
  const out = new IssueList(source.file);
  const checked = validateDocument(value, out, source.read);
  if (!checked || out.issues.length) throw new ArrangementError(out.issues);
  return { arrangement: compileArrangement(checked), file: source.file, value, read: source.read, geoFiles: source.geoFiles };
}
