// Where a report sits in a record, as the engine's `ref` carries it. Both the server
// (which feeds the engine) and a party's replica (which re-runs it) pack and unpack
// addresses here, so a basis means the same report to both.

/** A report's address in the record (its entry and its position in that entry's body). */
export interface ReportAddress {
  entry: number;
  n: number;
}

/**
 * The engine's ref for a report: its address as one number (entry × 65,536 + n). An
 * entry of at most 65,535 bytes cannot hold 65,536 reports, so addresses never overlap,
 * and refs ascend with record order, the order a re-check feeds them in.
 */
export const REF_SPAN = 65536;

export function refOf(a: ReportAddress): number {
  return a.entry * REF_SPAN + a.n;
}

export function addressOf(ref: number): ReportAddress {
  return { entry: Math.floor(ref / REF_SPAN), n: ref % REF_SPAN };
}
