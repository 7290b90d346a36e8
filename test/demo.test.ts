// The demo end to end at high speed: the talks reach an announced text, the feed's
// first round brings every finding kind, a second round goes on with ids of its own,
// and the record exports and verifies while it runs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FINDING_KINDS } from '../src/monitor/findings.ts';
import { startDemo } from '../src/sim/demo.ts';
import { detente } from './helpers/record-bundle.ts';

test('detente demo: talks announced, every finding kind in the first round, the record verifies while it runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-demo-test-'));
  const errors: string[] = [];
  // Three months of story in about two seconds.
  const demo = await startDemo({ dataDir: join(dir, 'data'), port: 0, host: '127.0.0.1', speed: 5_000_000, onFeedError: (m) => errors.push(m) });
  try {
    const d = demo.server.deployment;
    assert.ok(d.talks.announcement, 'the text was announced');
    assert.ok(
      d.arrangement.rules.some((r) => r.id === 'c-ru-deploy'),
      'the negotiated rules are in force',
    );
    const kinds = () => new Set([...d.book.after(0)].map((b) => b.finding.finding));
    for (let i = 0; i < 300 && (kinds().size < FINDING_KINDS.length || demo.feed.posted < 260); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual([...kinds()].sort(), [...FINDING_KINDS].sort());
    assert.ok(demo.feed.posted > 199, `a second round began (${demo.feed.posted} posted)`);
    assert.deepEqual(errors, []);
    const bundle = join(dir, 'bundle');
    const exported = detente(['export', '--data', join(dir, 'data'), '--out', bundle]);
    assert.equal(exported.code, 0, exported.stderr);
    const verified = detente(['verify', bundle]);
    assert.equal(verified.code, 0, verified.stderr + verified.stdout);
  } finally {
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
