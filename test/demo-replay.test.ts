// The demo's Il-20 story, as the timeline replays it from history: the separation alert
// and then the loss open between il-f16-2 and ru-il20, the observer reads the alert but
// not the aircraft (the example's disclosure gives party and mediator tracks to author,
// subject, mediator and guarantor), and the mediator and the guarantor have both aircraft
// at that moment with a track over the whole approach to draw as trails.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startDemo } from '../src/sim/demo.ts';

const PAIR = ['il-f16-2', 'ru-il20'];

test('demo: the Il-20 separation alert and loss, replayable from history per role', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-demo-replay-'));
  const demo = await startDemo({ dataDir: join(dir, 'data'), port: 0, host: '127.0.0.1', speed: 5_000_000, witnesses: false });
  try {
    const d = demo.server.deployment;
    const il20 = () => [...d.book.after(0)].map((b) => b.finding).filter((f) => f.kind === 'separation' && PAIR.every((u) => f.units?.includes(u)));
    for (let i = 0; i < 400 && !il20().some((f) => f.finding === 'loss'); i++) await new Promise((r) => setTimeout(r, 50));
    const opened = il20().find((f) => f.finding === 'separation' && f.state === 'open');
    const lost = il20().find((f) => f.finding === 'loss' && f.state === 'open');
    assert.ok(
      opened && lost,
      `the alert and the loss open (${il20()
        .map((f) => `${f.finding} ${f.state}`)
        .join(', ')})`,
    );
    assert.ok(Date.parse(lost.time) > Date.parse(opened.time));

    const get = async (actor: string, path: string) => {
      const res = await fetch(`${demo.server.url.replace(/\/$/, '')}/api/arrangements/${d.id}/history/${path}`, {
        headers: { authorization: `Bearer ${d.tokens[actor]}` },
      });
      const body = await res.text();
      assert.equal(res.status, 200, body);
      return JSON.parse(body);
    };
    const at = encodeURIComponent(opened.time);
    for (const actor of ['undof', 'ru', 'us']) {
      const open = (await get(actor, `findings?at=${at}`)).findings as { finding: string; units?: string[]; cpa_s?: number }[];
      const alert = open.find((f) => f.finding === 'separation' && PAIR.every((u) => f.units?.includes(u)));
      assert.ok(alert, `${actor} reads the alert open at ${opened.time}`);
      assert.equal(typeof alert.cpa_s, 'number', `${actor} reads its time to closest approach`);
      const units = ((await get(actor, `positions?at=${at}`)).units as { unit: string }[]).map((u) => u.unit);
      for (const u of PAIR) assert.equal(units.includes(u), actor !== 'undof', `${u} at that moment for ${actor}`);
    }
    // The approach, from ten minutes before the alert to the loss: a track of several points for each aircraft.
    const from = encodeURIComponent(new Date(Date.parse(opened.time) - 600_000).toISOString());
    const tracks = (await get('ru', `tracks?from=${from}&to=${encodeURIComponent(lost.time)}`)) as { unit: string }[];
    for (const u of PAIR) assert.ok(tracks.filter((p) => p.unit === u).length >= 3, `${u}: ${tracks.filter((p) => p.unit === u).length} points`);
  } finally {
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
