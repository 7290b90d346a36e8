// Zone outlines for CoT, traced on a worker thread. Tracing a band's outline takes
// seconds on a large arrangement (3–4 s for southern Syria's), and on the server's thread
// it stalled every request and stream behind the first CoT connection. The worker gets
// the arrangement's document, compiles it and traces; the server asks once per set of
// zones (an amended arrangement has a new one) and keeps the answer.
import { type Arrangement, compileArrangement } from '../../arrangement/compile.ts';
import type { ArrangementDoc } from '../../arrangement/types.ts';
import { type ArrangementFeatures, arrangementFeatures } from '../../interop/zone-features.ts';
import { answerWorkerJob, runWorkerJob } from '../../lib/worker-job.ts';

const cache = new WeakMap<object, Promise<ArrangementFeatures>>();

/** The arrangement's zones and lines as features, traced off this thread; one tracing per set of zones. */
export function zoneFeatures(arr: Arrangement): Promise<ArrangementFeatures> {
  let f = cache.get(arr.zones);
  if (!f) {
    f = traceInWorker(documentOf(arr));
    cache.set(arr.zones, f);
    // A failure is not kept: the next connection tries again.
    f.catch(() => cache.delete(arr.zones));
  }
  return f;
}

/** The plain document of a compiled arrangement: what a worker can be sent. */
function documentOf(arr: Arrangement): ArrangementDoc {
  const { zoneSet: _z, actorById: _a, ruleById: _r, policy: _p, ...doc } = arr;
  return doc;
}

/** The worker job that traces (this module, run on a worker: answerWorkerJob below). */
const JOB = 'traceZoneFeatures';

function traceInWorker(doc: ArrangementDoc): Promise<ArrangementFeatures> {
  return runWorkerJob(import.meta.url, JOB, doc, 'tracing the zones');
}

answerWorkerJob(JOB, (doc: ArrangementDoc) => arrangementFeatures(compileArrangement(doc)));
