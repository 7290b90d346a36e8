// Cursor on Target intake: parse + to-report of position events streamed back
// to back, as one TAK connection delivers them (64 KiB chunks cutting events
// anywhere), each event made into its actor's report and read by the monitor's
// report reader. Anchor, in the same run: the same reports as NDJSON, each line
// JSON.parse'd and read by the same reader (src/monitor/reports.ts toReport).
// The TCP listener itself is not here yet (issue 14 part 1's socket).
import { toReport } from '../src/monitor/reports.ts';
import { rng } from '../src/sim/random.ts';
import { CotStreamParser } from '../src/interop/cot/parse.ts';
import { cotToReport } from '../src/interop/cot/to-report.ts';
import { unitsToCot } from '../src/interop/cot/from-units.ts';
import { writeEvent } from '../src/interop/cot/write.ts';
import type { BenchRow, Suite } from './harness.ts';

const N = Number(process.env.BENCH_COT_EVENTS ?? 200_000);
const CHUNK = 1 << 16;

function stream(): { xml: string; ndjson: string[] } {
  const rand = rng(14);
  const t0 = Date.parse('2025-12-27T10:00:00Z');
  const units = Array.from({ length: N }, (_, i) => ({
    unit: `u-${i % 500}`,
    actor: 'il',
    category: 'army',
    lon: 35.5 + rand() * 0.5,
    lat: 32.8 + rand() * 0.5,
    alt: 300 + rand() * 100,
    velocity: i % 2 ? { ve: rand() * 20 - 10, vn: rand() * 20 - 10, vu: 0 } : null,
    time: t0 + i * 1000,
  }));
  // As ATAK writes a position: with a declaration, a contact, a group and (moving) a track.
  const events = unitsToCot(units).map((e) => ({ ...e, uid: e.uid.slice('detente.il.'.length), point: { ...e.point, ce: 9.5, le: 12 } }));
  const xml = events.map((e) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${writeEvent(e)}\n`).join('');
  const ndjson = events.map((e) => JSON.stringify(cotToReport(e, 'il')));
  return { xml, ndjson };
}

function cotRun(xml: string): number {
  const p = new CotStreamParser();
  let n = 0;
  for (let i = 0; i < xml.length; i += CHUNK) {
    for (const item of p.push(xml.slice(i, i + CHUNK))) {
      if (item.kind !== 'event') throw new Error(`refused: ${JSON.stringify(item)}`);
      toReport(cotToReport(item.event, 'il'));
      n++;
    }
  }
  if (p.end().length) throw new Error('left over');
  return n;
}

function jsonRun(lines: string[]): number {
  for (const l of lines) toReport(JSON.parse(l));
  return lines.length;
}

function best(fn: () => number): number {
  let ms = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - t);
  }
  return (N * 1000) / ms;
}

export const suite: Suite = async () => {
  const { xml, ndjson } = stream();
  if (cotRun(xml) !== N) throw new Error('not every event was read');
  // Alternated, best of three each, so both see the same machine state.
  const cot = best(() => cotRun(xml));
  const json = best(() => jsonRun(ndjson));
  const row: BenchRow = {
    suite: 'cot',
    case: `CoT intake: parse + to-report of ${N.toLocaleString('en')} position events in 64 KiB chunks (${Math.round(xml.length / N)} B/event)`,
    value: Math.round(cot),
    unit: 'events/s',
    anchor: { name: 'the same reports as NDJSON: JSON.parse + toReport', value: Math.round(json) },
    ratio: cot / json,
    target: '≥ 20,000 events/s',
    met: cot >= 20_000,
    note: 'one thread, no socket: the codec alone',
  };
  return [row];
};
