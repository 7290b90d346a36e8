// A snapshot of what a deployment derives from its record (talks, engine, findings
// history position, its own clock), tied to the record's size and origin, so that a
// restart continues from it and replays only the entries after it.
import type { DisputesSnapshot } from './disputes.ts';
import type { DerivedStore } from '../../store/derived.ts';
import type { ArrangementBody } from './arrangement-note.ts';
import type { MonitoringSnapshot } from './monitoring-service.ts';
import type { TalksSnapshot } from './talks-service.ts';

/** The derived state a restart continues from, tied to a size of the record. */
export interface DeploymentSnapshot {
  v: 1;
  origin: string;
  size: number;
  lastTime: number;
  recordedArrangement?: ArrangementBody;
  talks: TalksSnapshot;
  monitoring: MonitoringSnapshot;
  /** absent in snapshots from before disputes: there were none */
  disputes?: DisputesSnapshot;
}

/** The newest snapshot this record can continue from, if any. */
export function readSnapshot(derived: DerivedStore, size: number, origin: string): DeploymentSnapshot | undefined {
  const stored = derived.latestSnapshot();
  if (!stored || stored.size > size) return undefined;
  try {
    const snap = JSON.parse(stored.json) as DeploymentSnapshot;
    // Another log's or another version's snapshot is not this one's: replay in full.
    return snap.v === 1 && snap.origin === origin && snap.size === stored.size ? snap : undefined;
  } catch {
    return undefined;
  }
}
