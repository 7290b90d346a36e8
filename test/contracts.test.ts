// The talks' contract over HTTP: the API's published schema states the talks' own
// limits and values, a value at a limit is taken and one past it refused naming its
// field, and a prepared command's problems are named where they stand in the request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_KINDS, LIMITS, STANCES } from '../src/talks/limits.ts';
import { BASE, json, startTestServer } from './helpers/server.ts';

test('the talks over HTTP: the published schema, the limits and the paths are the talks’ own', async () => {
  const s = await startTestServer();
  try {
    const doc = await json(await s.as('ru', 'GET', '/api/openapi.json'), 200);
    const bodyOf = (path: string) => doc.paths[`${BASE.replace('southern-syria', '{id}')}/talks/${path}`].post.requestBody.content['application/json'].schema;
    assert.equal(bodyOf('issues').properties.title.maxLength, LIMITS.title);
    assert.equal(bodyOf('drafts').properties.clauses.maxItems, LIMITS.clauses);
    assert.equal(bodyOf('withdrawals').properties.clauses.maxItems, LIMITS.clauses);
    assert.deepEqual(bodyOf('stances').properties.stance.enum, [...STANCES]);
    assert.deepEqual(bodyOf('prepare').properties.command.properties.kind.enum, [...COMMAND_KINDS]);

    await json(await s.as('ru', 'POST', `${BASE}/talks/issues`, { id: 'width', title: 't'.repeat(LIMITS.title) }), 201);
    const over = await json(await s.as('ru', 'POST', `${BASE}/talks/issues`, { id: 'width-2', title: 't'.repeat(LIMITS.title + 1) }), 400);
    assert.equal(over.issues[0].path, 'title');

    const bad = await json(await s.as('il', 'POST', `${BASE}/talks/prepare`, { command: { kind: 'submit', text: 7 } }), 400);
    assert.equal(bad.issues[0].path, 'command.text');
    assert.match(bad.error, /^command\.text: /);
  } finally {
    await s.destroy();
  }
});
