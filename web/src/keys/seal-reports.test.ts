// The page seals as the server checks: each opening verifies against its commitment with
// the record's own code, and only what the policy opens to everyone stays raw.
// Run: node --import tsx --test web/src/keys/seal-reports.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveDisclosure } from '../../../src/policy/disclosure.ts';
import type { Actor } from '../../../src/policy/policy.ts';
import { canonicalJson } from '../../../src/record/canonical.ts';
import { verifyDisclosure } from '../../../src/record/sealed.ts';
import { sealReports } from './seal-reports.ts';

const actors: Actor[] = [
  { id: 'il', role: 'party' },
  { id: 'sy', role: 'party' },
  { id: 'ru', role: 'mediator' },
  { id: 'tr', role: 'third-party' },
];
const il = actors[0];
const track = { type: 'track', id: 't-1', time: '2025-12-27T07:00:00Z', source: 'il', unit: 'j', actor: 'il', category: 'aircraft', position: [35.2, 32.8] };
const note = {
  type: 'notification',
  id: 'n-1',
  time: '2025-12-27T07:00:00Z',
  actor: 'il',
  zone: 'aos',
  window: { from: '2025-12-27T08:00:00Z', to: '2025-12-27T09:00:00Z' },
};

test('restricted reports become commitments whose openings check against them; the order is kept', () => {
  const out = sealReports(resolveDisclosure(), actors, il, [track, note]);
  assert.equal(out.items.length, 2);
  assert.equal(out.sealed.length, 2);
  out.items.forEach((item, k) => {
    assert.deepEqual(Object.keys(item), ['sealed']);
    const o = out.sealed[k];
    assert.ok(verifyDisclosure(item.sealed as string, o.content, Buffer.from(o.salt, 'base64')));
    assert.equal(Buffer.from(o.salt, 'base64').length, 32);
  });
  assert.equal(out.sealed[0].content, canonicalJson(track));
  assert.notEqual(out.sealed[0].salt, out.sealed[1].salt);
});

test('a report the policy opens to every actor stays as it is', () => {
  const open = resolveDisclosure({ notifications: { full: ['party', 'mediator', 'third-party'] } });
  const out = sealReports(open, actors, il, [note, track]);
  assert.deepEqual(out.items[0], note);
  assert.deepEqual(Object.keys(out.items[1]), ['sealed']);
  assert.equal(out.sealed.length, 1);
  assert.equal(out.sealed[0].content, canonicalJson(track));
});
