// Every talks route the forms post to has a command kind the prepare route takes.
// Run: node --import tsx --test web/src/keys/talks-commands.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PrepareBody } from '../../../src/server/schemas.ts';
import { COMMAND_KINDS } from '../../../src/talks/limits.ts';
import { commandOf } from './talks-commands.ts';

test('each route path maps to a command the prepare route accepts, with the body kept', () => {
  const paths = [
    'submissions',
    'relays',
    'issues',
    'drafts',
    'stances',
    'withdrawals',
    'approval',
    'announcement',
    'issues/buffer%20width/close',
    'joint/consents',
    'joint/open',
    'joint/messages',
    'joint/close',
    'rounds',
    'extensions',
    'extensions/approval',
  ];
  for (const p of paths) {
    const command = commandOf(p, { x: 1 });
    assert.ok(PrepareBody.safeParse({ command }).success, p);
  }
  // every command kind has its route
  assert.deepEqual([...new Set(paths.map((p) => commandOf(p, {}).kind))].sort(), [...COMMAND_KINDS].sort());
  assert.deepEqual(commandOf('stances', { draft: 2, clause: 'c1', stance: 'accept' }), { kind: 'stance', draft: 2, clause: 'c1', stance: 'accept' });
  assert.deepEqual(commandOf('issues/buffer%20width/close', {}), { kind: 'close-issue', id: 'buffer width' });
  assert.throws(() => commandOf('elsewhere', {}), /no talks command/);
});
