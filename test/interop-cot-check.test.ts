// A device's CoT stream, as ATAK writes it (a declaration before each event, a
// malformed event among them), made into its actor's reports and run through the
// monitoring engine by `detente check`: the positions become findings, and the bad
// event costs nothing but itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { parseCot } from '../src/interop/cot/parse.ts';
import { cotToReport } from '../src/interop/cot/to-report.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const ARR = 'src/interop/testdata/holes.yaml';

function atak(uid: string, time: string, lat: number, lon: number, track = ''): string {
  const stale = new Date(Date.parse(time) + 120_000).toISOString();
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><event version="2.0" uid="${uid}" type="a-h-G-U-C" time="${time}" start="${time}" stale="${stale}" how="m-g"><point lat="${lat}" lon="${lon}" hae="9999999.0" ce="9999999.0" le="9999999.0"/><detail>${track}<contact callsign="${uid.toUpperCase()}"/><uid Droid="${uid}"/><__group name="Cyan" role="Team Member"/><status battery="88"/></detail></event>`;
}

test("a device's positions become findings: entering a forbidden zone, closing on another actor's unit", () => {
  const stream = [
    atak('b-1', '2025-12-27T10:00:00.000Z', 32.5, 36.2), // outside the core
    atak('b-1', '2025-12-27T10:01:00.000Z', 32.2, 36.2), // inside: forbidden to b
    atak('b-1', '2025-12-27T10:02:00.000Z', 32.2, 36.2).replace('lat="32.2"', 'lat="32.2.2"'), // malformed
    atak('b-1', '2025-12-27T10:03:00.000Z', 32.21, 36.21, '<track speed="50" course="270"/>'),
  ].join('\n');
  const items = parseCot(stream);
  const refused = items.filter((i) => i.kind === 'refused');
  assert.equal(refused.length, 1);
  assert.match(refused[0].kind === 'refused' ? refused[0].refusal.message : '', /^event 3 \(uid "b-1"\) .*lat="32\.2\.2" is not a number/);
  const reports = items.flatMap((i) => (i.kind === 'event' ? [cotToReport(i.event, 'b')] : []));
  // Unit a-1 of actor a, moving east towards b-1, reported as plain JSON beside the CoT-fed ones.
  const a1 = {
    type: 'track',
    id: 'a-1@10:03',
    time: '2025-12-27T10:03:30Z',
    unit: 'a-1',
    actor: 'a',
    position: [36.19, 32.21],
    velocity: { east_mps: 40, north_mps: 0, up_mps: 0 },
  };
  const input = [...reports, a1].map((r) => JSON.stringify(r)).join('\n');
  const r = spawnSync(process.execPath, ['bin/detente.js', 'check', '--until', 'last', ARR, '-'], { cwd: ROOT, input, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const findings = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const presence = findings.find((f) => f.rule === 'r-core-presence');
  assert.deepEqual([presence.state, presence.time, presence.units, presence.actor], ['open', '2025-12-27T10:01:00Z', ['b-1'], 'b']);
  assert.equal(presence.report, 'cot:b-1@2025-12-27T10:01:00Z');
  const sep = findings.find((f) => f.rule === 'r-sep');
  assert.ok(sep, `a separation finding between a-1 and b-1: ${r.stdout}`);
  assert.deepEqual([...sep.units].sort(), ['a-1', 'b-1']);
});
