// `npm start` is never silent: the demo says each step of its start as it begins it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startDemo } from '../src/sim/demo.ts';
import { isTraced } from '../src/server/zone-geometry.ts';

test('the demo says what it is starting, in order, before it is up', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-progress-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const said: string[] = [];
  const demo = await startDemo({ dataDir: dir, port: 0, host: '127.0.0.1', speed: 1, witnesses: false, onProgress: (w) => said.push(w) });
  t.after(() => demo.stop());
  // The zones' tracing is said only when the start has to wait for it (it runs beside the rest).
  const order = ['loading the arrangement', 'opening the record', 'replaying the talks', 'starting the report feed', "tracing the zones' outlines"];
  const steps = said.map((s) => order.findIndex((o) => s.startsWith(o)));
  assert.deepEqual(steps.slice(0, 4), [0, 1, 2, 3], said.join(' / '));
  assert.ok(steps.length === 4 || (steps.length === 5 && steps[4] === 4), said.join(' / '));
  // Up means the first page is answered at once: the outlines and areas are there.
  assert.ok(isTraced(demo.server.deployment.arrangement), 'the zones were traced before the start said it was up');
});
