// Zone outlines for CoT, traced on a worker thread. Tracing a band's outline takes
// seconds on a large arrangement (3–4 s for southern Syria's), and on the server's thread
// it stalled every request and stream behind the first CoT connection. The worker gets
// the arrangement's document, compiles it and traces; the server asks once per set of
// zones (an amended arrangement has a new one) and keeps the answer.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type Arrangement, compileArrangement } from '../../arrangement/compile.ts';
import type { ArrangementDoc } from '../../arrangement/types.ts';
import { type ArrangementFeatures, arrangementFeatures } from '../../interop/zone-features.ts';
import { startModuleWorker } from '../../lib/module-worker.ts';

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

function traceInWorker(doc: ArrangementDoc): Promise<ArrangementFeatures> {
  return new Promise((resolve, reject) => {
    const worker = startModuleWorker(import.meta.url, { traceZoneFeatures: doc });
    worker.unref();
    worker.once('message', (m: { features?: ArrangementFeatures; error?: string }) => {
      if (m.features) resolve(m.features);
      else reject(new Error(`tracing the zones failed: ${m.error}`));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the zone tracing worker exited with ${code}`)));
  });
}

const job = isMainThread ? undefined : (workerData as { traceZoneFeatures?: ArrangementDoc } | null)?.traceZoneFeatures;
if (job && parentPort) {
  try {
    parentPort.postMessage({ features: arrangementFeatures(compileArrangement(job)) });
  } catch (e) {
    parentPort.postMessage({ error: (e as Error).message });
  }
}
