// What a CoT device can rely on: CoT has no acknowledgement, but when a device
// half-closes its connection, `detente serve` closes its side only once every event
// it sent is in the record (or refused in the log). So a device that has seen the
// server close may forget what it sent: a kill -9 right after loses none of it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import { AtakClient, type Position } from './helpers/atak.ts';
import { recordedReports } from './helpers/recorded-reports.ts';
import { startTestServer } from './helpers/server.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const HOLES = new URL('../src/interop/testdata/holes.yaml', import.meta.url).pathname;

test('events a device sent before the server closed its half-closed connection are in the record after a kill -9', async () => {
  const data = mkdtempSync(join(tmpdir(), 'detente-cot-crash-'));
  const child = spawn(
    process.execPath,
    ['bin/detente.js', 'serve', '--arrangement', HOLES, '--data', data, '--custodial', 'all', '--port', '0', '--cot-port', '0'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (c) => {
        out += c;
        const m = /cot: tcp [^:]+:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', () => reject(new Error(`detente serve exited: ${err}`)));
    });
    const tokens = JSON.parse(readFileSync(join(data, 'tokens.json'), 'utf8'));
    const c = await AtakClient.connect(port, { seed: 4 });
    c.auth('b', tokens.b, 'ANDROID-crash');
    const t0 = Date.now() - 8 * 3_600_000;
    const ps: Position[] = Array.from({ length: 5000 }, (_, i) => ({
      uid: `b-${i % 300}`,
      time: new Date(t0 + i * 1000).toISOString(),
      lat: 32.5 + (i % 7) * 0.01,
      lon: 36.2,
    }));
    c.positions(ps, 65_536);
    await c.end();
    child.kill('SIGKILL');
    await exited;
    // The record as a restarted server reads it.
    const s = await startTestServer({ dir: data, source: loadArrangementSource(HOLES), deployment: 'local', web: false });
    try {
      const recorded = new Set((await recordedReports(s, 'b', '/api/arrangements/holes')).map((r) => r.id));
      assert.equal(recorded.size, ps.length, `every event is recorded (${recorded.size} of ${ps.length}); server log: ${err}`);
    } finally {
      await s.stop();
    }
  } finally {
    child.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  }
});
