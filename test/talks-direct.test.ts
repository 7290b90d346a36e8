// From indirect to direct, over HTTP: the joint channel's commands and refusals, who
// reads its messages (views, sealed content, the event stream), quiet submissions whose
// record entry names neither author nor type, and a restart that rebuilds both.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import test from 'node:test';
import { canonicalBytes, encodeBase64, verifyEntry } from '../src/record/index.ts';
import { readSignerKeyFile } from '../src/record/key-file.ts';
import { ACTORS, BASE, json, startTestServer, type TestServer } from './helpers/server.ts';

const talks = async (s: TestServer, who: string) => json(await s.as(who, 'GET', `${BASE}/talks`), 200);
const entryAt = async (s: TestServer, index: number) => {
  const r = await json(await s.as('tr', 'GET', `${BASE}/record/entries?from=${index}&to=${index + 1}`), 200);
  return r.entries[0] as string;
};
const sealedAs = (s: TestServer, who: string, hash: string) => s.as(who, 'GET', `${BASE}/record/sealed/${hash}`);
/** The talks events this actor's event stream carries, by type. */
const streamed = (s: TestServer, who: string) =>
  [...s.deployment.bus.replay(s.deployment.actors.get(who)!, 0)]
    .map((b) => b.toString('utf8'))
    .filter((f) => f.includes('event: talks'))
    .map((f) => JSON.parse(/data: (.*)/.exec(f)![1]).type as string);

test('the joint channel: consent, open, speak, close — each refusal with its status, and only the three read it', async (t) => {
  const s = await startTestServer({ web: false });
  t.after(() => s.destroy());
  const post = (who: string, path: string, body: unknown = {}) => s.as(who, 'POST', `${BASE}/talks/joint/${path}`, body);

  // Given Israel's consent alone, when Russia opens the channel, then 409 naming Syria.
  await json(await post('il', 'consents'), 201);
  const missing = await json(await post('ru', 'open'), 409);
  assert.match(missing.error, /sy has not consented/);
  assert.doesNotMatch(missing.error, /\bil\b/);
  // wrong roles: 403
  await json(await post('us', 'consents'), 403);
  await json(await post('il', 'open'), 403);
  // Syria consents (its consent is not Israel's to see); the mediator opens.
  await json(await post('sy', 'consents', { note: 'security only' }), 201);
  assert.deepEqual(
    (await talks(s, 'il')).joint.consents.map((c: { party: string }) => c.party),
    ['il'],
  );
  assert.deepEqual(
    (await talks(s, 'ru')).joint.consents.map((c: { party: string }) => c.party),
    ['il', 'sy'],
  );
  await json(await post('ru', 'open'), 201);
  await json(await post('ru', 'open'), 409);

  const said = await json(await post('sy', 'messages', { text: 'JOINT-MARKER: we meet in Baku' }), 201);
  await json(await post('us', 'messages', { text: 'may I?' }), 403);
  await json(await post('tr', 'messages', { text: 'may I?' }), 403);
  // the indirect channel goes on beside it
  await json(await s.as('il', 'POST', `${BASE}/talks/submissions`, { text: 'to the mediator alone', confidential: true }), 201);

  for (const who of ['il', 'sy', 'ru']) {
    const v = await talks(s, who);
    assert.deepEqual(
      v.joint.messages.map((m: { text: string }) => m.text),
      ['JOINT-MARKER: we meet in Baku'],
      who,
    );
  }
  assert.equal((await talks(s, 'us')).joint, null);
  await json(await s.as('undof', 'GET', `${BASE}/talks`), 403);

  // On the record the message is a commitment; its content goes to the three.
  const entry = await entryAt(s, said.index);
  assert.doesNotMatch(entry, /JOINT-MARKER/);
  const hash = JSON.parse(entry).statement.body.sealed as string;
  for (const who of ['il', 'sy', 'ru']) assert.match((await json(await sealedAs(s, who, hash), 200)).content, /JOINT-MARKER/, who);
  for (const who of ['us', 'undof', 'tr']) assert.equal((await sealedAs(s, who, hash)).statusCode, 404, who);

  // The event stream: the message to the three only.
  for (const who of ['il', 'sy', 'ru']) assert.ok(streamed(s, who).includes('talks.joint.message'), who);
  for (const who of ['us', 'undof', 'tr'])
    assert.deepEqual(
      streamed(s, who).filter((x) => x.startsWith('talks.joint') || x === 'talks.consent'),
      [],
      who,
    );

  // Either party closes; then speaking is 409, and the mediator may not close.
  await json(await post('ru', 'close'), 403);
  await json(await post('il', 'close', { note: 'enough for today' }), 201);
  const closed = await json(await post('sy', 'messages', { text: 'wait' }), 409);
  assert.match(closed.error, /not open/);
  assert.equal(closed.code, 'channel-closed');
  await json(await post('il', 'close'), 409);
  // bad input names the field
  const bad = await json(await post('il', 'consents', { quiet: 'yes' }), 400);
  assert.match(JSON.stringify(bad), /quiet/);
});

test('a quiet submission: the entry reveals neither author nor type; the mediator and the author read it, the other party only that it exists; a restart rebuilds it', async (t) => {
  const s = await startTestServer({ web: false });
  let again: TestServer | undefined;
  t.after(async () => {
    await again?.stop();
    await s.destroy();
  });
  const before = s.deployment.log.size;
  const sub = await json(await s.as('il', 'POST', `${BASE}/talks/submissions`, { text: 'QUIET-MARKER: we could live with 4 km', quiet: true }), 201);
  assert.equal(sub.type, 'talks.submit');
  assert.equal(s.deployment.log.size, before + 1);

  // The stored entry's bytes: the log's statement, a commitment, nothing else.
  const bytes = Buffer.from((await s.deployment.log.entries(sub.index, sub.index + 1))[0]).toString('utf8');
  const entry = JSON.parse(bytes);
  assert.equal(entry.statement.type, 'talks.quiet');
  assert.equal(entry.statement.author, s.deployment.log.origin);
  assert.deepEqual(Object.keys(entry.statement.body), ['sealed']);
  for (const leak of ['talks.submit', '"il"', 'QUIET-MARKER', 'confidential', 'Israel']) assert.ok(!bytes.includes(leak), `the entry shows ${leak}`);
  // the same form as a quiet consent by the other party: type and author cannot tell them apart
  const consent = await json(await s.as('sy', 'POST', `${BASE}/talks/joint/consents`, { quiet: true }), 201);
  const other = JSON.parse(Buffer.from((await s.deployment.log.entries(consent.index, consent.index + 1))[0]).toString('utf8'));
  assert.equal(other.statement.type, entry.statement.type);
  assert.equal(other.statement.author, entry.statement.author);
  assert.equal(other.key, entry.key);

  // The mediator's view shows the submission and its author; Syria's shows nothing of it.
  const ru = await talks(s, 'ru');
  assert.deepEqual(
    ru.submissions.map((x: { author: string; text: string }) => [x.author, x.text]),
    [['il', 'QUIET-MARKER: we could live with 4 km']],
  );
  assert.equal(ru.submissions[0].quiet, true);
  assert.equal((await talks(s, 'il')).submissions.length, 1);
  assert.equal((await talks(s, 'sy')).submissions.length, 0);
  // Record routes: the entry exists for everyone; its content opens to the author and the mediator.
  const hash = entry.statement.body.sealed as string;
  for (const who of ACTORS) assert.equal(await entryAt(s, sub.index), bytes, who);
  for (const who of ['il', 'ru']) {
    const r = await json(await sealedAs(s, who, hash), 200);
    assert.equal(createHash('sha256').update(Buffer.from(r.salt, 'base64')).update(r.content).digest('hex'), hash);
    const inner = JSON.parse(r.content);
    assert.equal(inner.statement.author, 'il');
    assert.equal(inner.statement.type, 'talks.submit');
    assert.equal(typeof inner.sig, 'string');
  }
  for (const who of ['sy', 'us', 'undof', 'tr']) assert.equal((await sealedAs(s, who, hash)).statusCode, 404, who);
  // The event stream: the author and the mediator hear of it, no one else.
  for (const who of ['il', 'ru']) assert.ok(streamed(s, who).includes('talks.submit'), who);
  for (const who of ['sy', 'us', 'undof', 'tr']) assert.ok(!streamed(s, who).includes('talks.submit'), who);

  // A restart rebuilds the talks from the record and the sealed store.
  await s.stop();
  again = await startTestServer({ dir: s.dir, web: false });
  assert.deepEqual((await talks(again, 'ru')).submissions, ru.submissions);
  assert.deepEqual(
    (await talks(again, 'ru')).joint.consents.map((c: { party: string }) => c.party),
    ['sy'],
  );
  assert.equal((await json(await sealedAs(again, 'il', hash), 200)).sealed, hash);
  assert.equal((await sealedAs(again, 'sy', hash)).statusCode, 404);
});

test('a quiet submission its author signs itself: prepared whole, signed by the party, wrapped by the log', async (t) => {
  const s = await startTestServer({ web: false });
  t.after(() => s.destroy());
  const il = readSignerKeyFile(join(s.dir, 'keys', 'actors', 'il.key'));
  const prepared = await json(
    await s.as('il', 'POST', `${BASE}/talks/prepare`, { command: { kind: 'submit', text: 'QUIET-OWN: signed by us', quiet: true, confidential: true } }),
    200,
  );
  const [p] = prepared.statements;
  assert.equal(p.quiet, true);
  assert.equal(p.statement.type, 'talks.submit');
  assert.equal(p.statement.body.text, 'QUIET-OWN: signed by us', 'the author signs the statement itself, not a commitment');
  const sig = encodeBase64(il.sign(canonicalBytes(p.statement)));
  const ok = await json(await s.as('il', 'POST', `${BASE}/statements`, { statement: p.statement, sig, key: il.verifier.vkey }), 202);
  const entry = verifyEntry((await s.deployment.log.entries(ok.indexes[0], ok.indexes[0] + 1))[0]);
  assert.equal(entry.statement.type, 'talks.quiet');
  assert.notEqual(entry.statement.author, 'il');
  const opened = JSON.parse((await json(await s.as('ru', 'GET', `${BASE}/record/sealed/${entry.statement.body.sealed}`), 200)).content);
  assert.equal(opened.sig, sig, "the mediator holds the party's own signature over its statement");
  assert.ok((await s.as('ru', 'GET', `${BASE}/talks`)).body.includes('QUIET-OWN'));
  assert.ok(!(await s.as('sy', 'GET', `${BASE}/talks`)).body.includes('QUIET-OWN'));
});
