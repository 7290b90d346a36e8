// The demo end to end at high speed: the talks reach an announced text, the feed's
// first round brings every finding kind, a second round goes on with ids of its own,
// the witnesses cosign, and the record exports and verifies while it runs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CHALLENGE_KINDS, FINDING_KINDS } from '../src/monitor/findings.ts';

// The demo feeds reports; a challenge inspection starts from a party's request (test/duties-server.test.ts shows those).
const STORY_KINDS = FINDING_KINDS.filter((k) => !CHALLENGE_KINDS.includes(k));
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
    for (let i = 0; i < 300 && (kinds().size < STORY_KINDS.length || demo.feed.posted < 260); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual([...kinds()].sort(), [...STORY_KINDS].sort());
    assert.ok(demo.feed.posted > 199, `a second round began (${demo.feed.posted} posted)`);
    assert.deepEqual(errors, []);
    // Israel's, Syria's and the United States' witnesses, each its own process, cosign.
    assert.deepEqual(
      demo.witnesses.map((w) => w.actor),
      ['il', 'sy', 'us'],
    );
    for (let i = 0; i < 200 && (d.witnessing?.status().witnesses.filter((w) => w.cosigned).length ?? 0) < 3; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(d.witnessing?.status().witnesses.filter((w) => w.cosigned).length, 3, JSON.stringify(d.witnessing?.status()));
    assert.ok(d.witnessing?.witnessed, 'a checkpoint has its quorum');
    const bundle = join(dir, 'bundle');
    const exported = detente(['export', '--data', join(dir, 'data'), '--out', bundle]);
    assert.equal(exported.code, 0, exported.stderr);
    // verify demands the quorum the genesis names; and each witness by its key.
    const verified = detente(['verify', bundle]);
    assert.equal(verified.code, 0, verified.stderr + verified.stdout);
    const byKeys = detente(['verify', bundle, ...demo.witnesses.flatMap((w) => ['--witness', w.vkey]), '--quorum', '2']);
    assert.equal(byKeys.code, 0, byKeys.stderr + byKeys.stdout);
  } finally {
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
