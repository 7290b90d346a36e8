import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Subscription, SubscriptionStore } from './subscription-store.ts';

const sub = (id: string, actor: string): Subscription => ({
  id,
  actor,
  url: 'https://example.org/',
  events: ['finding.opened'],
  secret: `s-${id}`,
  created: '2026-01-01T00:00:00Z',
});
const letter = (delivery: string) => ({
  delivery,
  type: 'finding.opened' as const,
  reason: 'HTTP 500',
  attempts: 3,
  failed: '2026-01-01T00:00:00Z',
  payload: { id: delivery },
});

test('subscriptions and dead letters survive reopening; the file is the owner’s only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-hooks-'));
  try {
    const file = join(dir, 'webhooks.json');
    const a = new SubscriptionStore(file, 2);
    a.add(sub('w1', 'il'));
    a.add(sub('w2', 'sy'));
    for (const id of ['d1', 'd2', 'd3']) a.addDead('w1', letter(id));
    a.addDead('gone', letter('d9'));
    a.close();
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const b = new SubscriptionStore(file, 2);
    assert.deepEqual(
      b.ofActor('il').map((s) => s.secret),
      ['s-w1'],
    );
    // Bounded: the oldest went first; numbers are not reused.
    assert.deepEqual(
      b.deadLetters('w1').map((d) => [d.n, d.delivery]),
      [
        [2, 'd2'],
        [3, 'd3'],
      ],
    );
    assert.equal(b.takeDead('w1', 2)?.delivery, 'd2');
    assert.equal(b.takeDead('w1', 2), undefined);
    assert.equal(b.remove('w1'), true);
    assert.equal(b.remove('w1'), false);
    b.close();
    const c = new SubscriptionStore(file);
    assert.deepEqual(
      c.all().map((s) => s.id),
      ['w2'],
    );
    assert.deepEqual(c.deadLetters('w1'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
