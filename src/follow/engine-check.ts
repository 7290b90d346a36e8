// The replica's own engine (design §5, last point). It runs the monitoring engine over
// what this actor may open of the mirrored record — the reports released to it in full
// pushed, every other report only moving the clock at its public time — and compares
// what it derives with the findings the server recorded (its `findings` statements):
//  - a finding about subjects this actor sees all about must be re-derived exactly;
//    one the server recorded that the engine does not reproduce, or one the engine
//    derives that the server did not record, is a discrepancy;
//  - any other finding it may read is not checkable by it: it is listed with the
//    addresses and commitments of the reports it rests on that this actor cannot open,
//    so that whoever may open them (the guarantor, say) can check it.
// The arrangement is the party's own copy of the file, checked against the genesis (its
// digest and its geometry's), so nothing the engine judges by comes from the server.

import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Arrangement } from '../arrangement/compile.ts';
import { type ArrangementSource, loadArrangementSource } from '../arrangement/load.ts';
import { parseTime } from '../arrangement/time.ts';
import { compareDerived } from '../monitor/derive.ts';
import { Monitor } from '../monitor/engine.ts';
import type { Finding } from '../monitor/findings.ts';
import { addressOf, type ReportAddress, refOf } from '../monitor/ref.ts';
import { toReport } from '../monitor/reports.ts';
import type { Actor } from '../policy/policy.ts';
import { parseEntry } from '../record/statement.ts';
import { arrangementBody } from '../server/core/arrangement-note.ts';
import { findingView } from '../server/findings-book.ts';
import type { Discrepancy } from './discrepancy.ts';
import type { RoundCheck, RoundContext } from './follower.ts';

export const FINDINGS_CHECK_FILE = 'findings-check.json';
export const NOT_CHECKABLE_FILE = 'not-checkable.ndjson';

export class EngineCheckError extends Error {}

const NO_IDS: ReadonlySet<string> = new Set();

/** The arrangement file, refused unless it is the one the record's genesis names. */
export function checkedArrangement(file: string, genesisBody: unknown): ArrangementSource {
  const source = loadArrangementSource(file);
  const mine = arrangementBody(source);
  const g = genesisBody as { sha256?: unknown; geometry?: Record<string, unknown> };
  if (g.sha256 !== mine.sha256)
    throw new EngineCheckError(`${file} is not the arrangement the record began with (its digest ${mine.sha256}, the genesis names ${String(g.sha256)})`);
  for (const [name, digest] of Object.entries(mine.geometry))
    if (g.geometry?.[name] !== digest) throw new EngineCheckError(`${file}: the geometry file ${name} differs from the one the record began with`);
  return source;
}

export interface EngineCheckOptions {
  /** the follower's directory, for the summary and the list of findings it cannot check */
  dir: string;
  /** the actor whose token the follower uses */
  actor: string;
  /** the party's own copy of the arrangement file */
  arrangementFile: string;
}

export interface EngineCheckSummary {
  /** entries judged so far */
  through: number;
  checked: number;
  notCheckable: number;
  missing: number;
  extra: number;
}

/** Builds the round check. The engine runs from the record's start in each process, then on with each round. */
export function engineCheck(o: EngineCheckOptions): RoundCheck {
  let state: EngineState | undefined;
  return async (ctx: RoundContext) => {
    if (!state) {
      const genesis = parseEntry((await ctx.mirror.entries(0, 1))[0]).statement;
      const arrangement = checkedArrangement(o.arrangementFile, genesis.body).arrangement;
      const a = arrangement.actorById.get(o.actor);
      if (!a) throw new EngineCheckError(`no actor "${o.actor}" in ${o.arrangementFile}`);
      state = new EngineState(arrangement, { id: a.id, role: a.role });
    }
    return state.round(ctx, o.dir);
  };
}

class EngineState {
  private readonly monitor: Monitor;
  private done = 1;
  /** what this actor's engine derived, and from which entry */
  private derived: { f: Finding; entry: number }[] = [];
  /** what the server recorded and this actor may read, not yet compared */
  private server: Finding[] = [];
  private through = 0;
  private readonly refs = new Set<number>();
  /** each address's commitment, for the findings this actor cannot check */
  private readonly commitments = new Map<number, string>();
  private readonly summary: EngineCheckSummary = { through: 0, checked: 0, notCheckable: 0, missing: 0, extra: 0 };

  constructor(
    private readonly arrangement: Arrangement,
    private readonly reader: Actor,
  ) {
    this.monitor = new Monitor(arrangement);
  }

  async round(ctx: RoundContext, dir: string): Promise<Discrepancy[]> {
    for (let at = this.done; at < ctx.to; at += 1024) {
      const entries = await ctx.mirror.entries(at, Math.min(ctx.to, at + 1024));
      entries.forEach((bytes, k) => this.apply(at + k, bytes, ctx));
    }
    this.done = Math.max(this.done, ctx.to);
    return this.compare(dir);
  }

  private apply(entry: number, bytes: Uint8Array, ctx: RoundContext): void {
    const st = parseEntry(bytes).statement;
    const body = st.body as Record<string, unknown>;
    const out = (fs: Finding[]) => {
      for (const f of fs) this.derived.push({ f, entry });
    };
    switch (st.type) {
      case 'report':
      case 'reports': {
        const items = st.type === 'report' ? [body] : Array.isArray(body.reports) ? body.reports : [];
        items.forEach((item, n) => out(this.report(entry, n, item, ctx)));
        break;
      }
      case 'clock':
        if (typeof body.until === 'string') out(this.monitor.finish(parseTime(body.until)));
        break;
      // Challenge inspections are public statements the server's engine applies in record order (docs/inspections.md).
      case 'challenge':
      case 'access-refused': {
        if (typeof body.time !== 'string') break;
        const ref = refOf({ entry, n: 0 });
        this.refs.add(ref);
        const time = parseTime(body.time);
        try {
          if (st.type === 'challenge' && typeof body.zone === 'string')
            out(this.monitor.challenge({ id: `challenge-${entry}`, time, by: st.author, zone: body.zone }, ref));
          else if (typeof body.challenge === 'string' && typeof body.by === 'string')
            out(this.monitor.refusal({ id: `refusal-${entry}`, time, source: st.author, challenge: body.challenge, by: body.by }, ref));
        } catch {
          // One the engine refuses changed nothing on the server either.
        }
        break;
      }
      case 'findings': {
        for (const item of Array.isArray(body.findings) ? body.findings : []) {
          const view = this.open(item, ctx);
          // A finding withdrawn on a dispute closes by the mediator's sealed resolution, not by reports: not for the engine to re-derive.
          if (view && !(typeof view.reason === 'string' && view.reason.startsWith('withdrawn on dispute '))) this.server.push(asFinding(view));
        }
        if (typeof body.through === 'number') this.through = Math.max(this.through, body.through);
        break;
      }
    }
  }

  /** One report item: pushed when this actor may read it, else only its time moves the clock. */
  private report(entry: number, n: number, item: unknown, ctx: RoundContext): Finding[] {
    const ref = refOf({ entry, n });
    const sealed = sealedOf(item);
    if (sealed) this.commitments.set(ref, sealed);
    const content = sealed ? this.opened(sealed, ctx) : item;
    try {
      if (content !== undefined) {
        const r = toReport(content);
        this.refs.add(ref);
        return this.monitor.push(r, ref);
      }
      const time = (item as { time?: unknown }).time;
      return typeof time === 'string' ? this.monitor.tick(parseTime(time), ref) : [];
    } catch {
      // A report the engine refuses (a duplicate id, say) changed nothing on the server either.
      return [];
    }
  }

  private opened(sealed: string, ctx: RoundContext): unknown {
    const o = ctx.openings.get(sealed);
    return o?.level === 'full' && o.content !== undefined ? JSON.parse(o.content) : undefined;
  }

  private open(item: unknown, ctx: RoundContext): Record<string, unknown> | undefined {
    const sealed = sealedOf(item);
    if (!sealed) return item as Record<string, unknown>;
    return this.opened(sealed, ctx) as Record<string, unknown> | undefined;
  }

  /** Compares what the server has recorded up to its newest `through` with what this engine derived up to there. */
  private compare(dir: string): Discrepancy[] {
    const upTo = this.through;
    const derived = this.derived.filter((d) => d.entry < upTo).map((d) => d.f);
    this.derived = this.derived.filter((d) => d.entry >= upTo);
    // Recorded findings leave out the triggering report's id (its address is in the basis): compared without it.
    const check = compareDerived(this.arrangement, this.reader, this.server, derived, { refs: this.refs, ids: NO_IDS });
    this.server = [];
    const s = this.summary;
    s.through = upTo;
    s.checked += check.checked.length;
    s.notCheckable += check.notCheckable.length;
    s.missing += check.missing.length;
    s.extra += check.extra.length;
    if (check.notCheckable.length) {
      const lines = check.notCheckable.map(({ finding, hidden }) =>
        JSON.stringify({ finding: findingView(finding), hidden: hidden.map((r) => ({ ...addressOf(r), sealed: this.commitments.get(r) ?? null })) }),
      );
      appendFileSync(join(dir, NOT_CHECKABLE_FILE), `${lines.join('\n')}\n`);
    }
    writeFileSync(join(dir, FINDINGS_CHECK_FILE), `${JSON.stringify(s, null, 2)}\n`);
    return [
      ...check.missing.map((f) => finding(f, 'the server recorded this finding; this replica’s engine, over the same reports, does not derive it')),
      ...check.extra.map((f) => finding(f, 'this replica’s engine derives this finding from reports it reads; the server did not record it')),
    ];
  }
}

function sealedOf(item: unknown): string | undefined {
  const s = (item as { sealed?: unknown } | null)?.sealed;
  return typeof s === 'string' && /^[0-9a-f]{64}$/.test(s) ? s : undefined;
}

/** A recorded finding view (basis as addresses) as the engine's finding (basis as refs). */
function asFinding(v: Record<string, unknown>): Finding {
  const { basis, seq: _seq, at: _at, ...rest } = v;
  const f = rest as unknown as Finding;
  if (Array.isArray(basis)) f.basis = (basis as ReportAddress[]).map(refOf);
  return f;
}

function finding(f: Finding, detail: string): Discrepancy {
  const first = f.basis?.length ? addressOf(f.basis[f.basis.length - 1]).entry : undefined;
  return { kind: 'finding', ...(first !== undefined ? { index: first } : {}), detail: `${detail}: ${JSON.stringify(findingView(f))}` };
}
