// The engine over an in-memory arrangement document (geometry inline) and an
// NDJSON string: what tests and tools use when no files are involved.
import { compileArrangement } from '../arrangement/compile.ts';
import { ArrangementError, IssueList } from '../arrangement/issues.ts';
import { parseTime } from '../arrangement/time.ts';
import { validateDocument } from '../arrangement/validate.ts';
import { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import { LineFeeder, lines } from './stream.ts';

export function checkDocument(doc: unknown, ndjson: string, opts: { until: string }): Finding[] {
  const out = new IssueList('(document)');
  const checked = validateDocument(doc, out, () => ({ error: 'files are not available here', name: '(none)' }));
  if (!checked || out.issues.length) throw new ArrangementError(out.issues);
  const monitor = new Monitor(compileArrangement(checked));
  const feeder = new LineFeeder(monitor);
  const res: Finding[] = [];
  for (const l of lines(ndjson)) {
    const f = feeder.feed(l);
    if (Array.isArray(f)) res.push(...f);
  }
  res.push(...monitor.finish(parseTime(opts.until)));
  return res;
}
