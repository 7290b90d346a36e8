// Whether this client may move from the checkpoint it remembers to one it is offered,
// with the record's own code (src/record): the log's signature, a quorum of witness
// cosignatures when the arrangement names witnesses, and a consistency proof from the
// remembered tree to the offered one. A client that only ever checks proofs between
// checkpoints the log itself picks can be shown a second history; one that remembers
// cannot, without seeing two signed checkpoints that cannot both be true: a fork.
import { openCheckpoint, type OpenedCheckpoint } from '../../../src/record/checkpoint.ts';
import { cosignaturesOf, parseCosignatureKey } from '../../../src/record/cosignature.ts';
import type { Verifier } from '../../../src/record/keys.ts';
import { bytesEqual } from '../../../src/record/encoding.ts';
import { verifyConsistency } from '../../../src/record/merkle.ts';

export interface WitnessPolicy {
  quorum: number;
  /** cosignature/v1 verifier keys */
  keys: string[];
}

export type Verdict =
  /** nothing remembered yet: the offered checkpoint is the first this client trusts */
  | { kind: 'first'; cp: OpenedCheckpoint; cosigners: Map<string, number> }
  | { kind: 'same'; cp: OpenedCheckpoint; cosigners: Map<string, number> }
  /** the offered checkpoint extends the remembered one */
  | { kind: 'advanced'; cp: OpenedCheckpoint; cosigners: Map<string, number>; from: number }
  /** an older checkpoint of the same history: nothing to do */
  | { kind: 'older'; cp: OpenedCheckpoint }
  /** two signed checkpoints that cannot both be true */
  | { kind: 'fork'; remembered: string; offered: string; why: string }
  /** not acceptable, but no proof of anything (a bad signature, too few cosignatures, no proof to be had) */
  | { kind: 'refused'; why: string; witnessed?: boolean; size?: number };

export interface JudgeInput {
  offered: string;
  remembered?: string;
  log: Verifier;
  witnesses?: WitnessPolicy;
  /** the log's consistency proof between two sizes */
  consistency(from: number, to: number): Promise<Uint8Array[]>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function judgeCheckpoint(input: JudgeInput): Promise<Verdict> {
  let cp: OpenedCheckpoint;
  try {
    cp = openCheckpoint(input.offered, input.log);
  } catch (e) {
    return { kind: 'refused', why: message(e) };
  }
  const cosigners = new Map<string, number>();
  const w = input.witnesses;
  if (w && w.quorum > 0) {
    let got: Map<string, number>;
    try {
      got = cosignaturesOf(input.offered, w.keys.map(parseCosignatureKey));
    } catch (e) {
      return { kind: 'refused', why: `cosignatures: ${message(e)}`, witnessed: false, size: cp.size };
    }
    for (const [k, t] of got) cosigners.set(k, t);
    if (cosigners.size < w.quorum) {
      return { kind: 'refused', why: `${cosigners.size} of the ${w.quorum} witness cosignatures needed`, witnessed: false, size: cp.size };
    }
  }
  if (input.remembered === undefined) return { kind: 'first', cp, cosigners };

  // The remembered note was verified when it was kept; it is opened again for its numbers.
  const old = openCheckpoint(input.remembered, input.log);
  if (old.origin !== cp.origin) return { kind: 'refused', why: `the checkpoint is of log "${cp.origin}", not "${old.origin}"` };
  if (cp.size === old.size) {
    if (bytesEqual(cp.root, old.root)) return { kind: 'same', cp, cosigners };
    return { kind: 'fork', remembered: input.remembered, offered: input.offered, why: `two trees of ${cp.size} entries with different roots` };
  }
  const [small, large] = cp.size > old.size ? [old, cp] : [cp, old];
  let proof: Uint8Array[];
  try {
    proof = await input.consistency(small.size, large.size);
  } catch (e) {
    return { kind: 'refused', why: `no consistency proof from ${small.size} to ${large.size}: ${message(e)}`, size: cp.size };
  }
  if (!verifyConsistency(small.size, large.size, small.root, large.root, proof)) {
    return {
      kind: 'fork',
      remembered: input.remembered,
      offered: input.offered,
      why: `the tree of ${cp.size} entries does not extend the tree of ${old.size} remembered here`,
    };
  }
  return cp.size > old.size ? { kind: 'advanced', cp, cosigners, from: old.size } : { kind: 'older', cp };
}
