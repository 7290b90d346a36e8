// Actors hold their own keys (issue 10): the server signs only for the actors it is
// custodial for; a statement in another actor's name needs that actor's signature, by a
// key the key book holds valid at that point; rotation and revocation move the book; and
// the genesis must be endorsed by every party and the guarantor before a record begins.
import assert from 'node:assert/strict';
import { signSealed } from './helpers/sealed-reports.ts';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import { generateKey, parseSignerKey, type Signer } from '../src/record/keys.ts';
import { readSignerKeyFile } from '../src/record/key-file.ts';
import { endorse, makeEntry, parseEntry, signStatement } from '../src/record/statement.ts';
import { buildApp } from '../src/server/app.ts';
import { arrangementBody, genesisStatement } from '../src/server/core/arrangement-note.ts';
import { Deployment, DeploymentRefused } from '../src/server/deployment.ts';
import { custodialSigners } from '../src/server/keyring.ts';
import { openSqliteLog } from '../src/store/open-log.ts';
import { logDir } from '../src/store/layout.ts';
import { detente } from './helpers/record-bundle.ts';
import { EXAMPLE, observation, STORY_START } from './helpers/server.ts';

const signer = (name: string): Signer => parseSignerKey(generateKey(name).skey);

/** The example with Israel's own key (and recovery key) named in the file. */
function exampleWithKeys(il: Signer, recovery?: Signer) {
  const dir = mkdtempSync(join(tmpdir(), 'detente-keys-'));
  cpSync(dirname(EXAMPLE), join(dir, 'example'), { recursive: true });
  const file = join(dir, 'example', 'arrangement.yaml');
  // The actor's line, whatever languages its name is written in.
  const text = readFileSync(file, 'utf8').replace(
    /(- \{ id: il, .*, role: party) \}/,
    `$1, keys: ["${il.verifier.vkey}"]${recovery ? `, recovery: "${recovery.verifier.vkey}"` : ''} }`,
  );
  writeFileSync(file, text);
  return { source: loadArrangementSource(file), data: join(dir, 'data') };
}

const OTHERS = ['sy', 'ru', 'us', 'undof', 'tr'];

async function openWithIlOwnKey(il: Signer, recovery?: Signer, endorseIl = true) {
  const { source, data } = exampleWithKeys(il, recovery);
  // What a party does offline: build the genesis the server will record, and endorse it.
  const held = custodialSigners(data, OTHERS);
  const statement = genesisStatement(source, new Map([...held].map(([id, s]) => [id, s.verifier.vkey])), 'ru');
  const endorsements = endorseIl ? [endorse(il, statement)] : [];
  let now = STORY_START;
  const open = () => Deployment.open({ dataDir: data, source, deployment: 'test', now: () => now++, checkpointIntervalMs: 0, custodial: OTHERS, endorsements });
  return { d: await open(), open, data };
}

function report(signer: Signer, id: string, time = new Date(STORY_START).toISOString()) {
  return signSealed(signer, {
    type: 'reports',
    arrangement: 'southern-syria',
    body: { reports: [{ ...observation(id, `${id}-unit`, 'il', { troops: 1 }, time), source: 'il' }] },
    time,
  });
}

test('genesis: a server refuses to start without every party’s and the guarantor’s endorsement, naming each', async () => {
  const { source, data } = exampleWithKeys(signer('il'));
  await assert.rejects(
    Deployment.open({ dataDir: data, source, deployment: 'test', custodial: [] }),
    (e: unknown) =>
      e instanceof DeploymentRefused &&
      /"ru" \(mediator/.test(e.message) &&
      /"il" \(party, by one of il\+/.test(e.message) &&
      /"sy" \(party, which the arrangement gives no key\)/.test(e.message) &&
      /"us" \(guarantor/.test(e.message) &&
      !/"undof"/.test(e.message),
  );
  const il = signer('il');
  await assert.rejects(openWithIlOwnKey(il, undefined, false), (e: unknown) => e instanceof DeploymentRefused && /"il" \(party/.test(e.message));
});

test('without custody for il: its token’s report is a 403 naming the missing signature; its own signed report is recorded as its, not custodial', async () => {
  const il = signer('il');
  const { d } = await openWithIlOwnKey(il);
  const app = await buildApp(d, { logger: false });
  try {
    const genesis = parseEntry(await d.log.entry(0));
    assert.equal(genesis.statement.author, 'ru');
    assert.ok(genesis.endorsements?.some((e) => e.key === il.verifier.vkey && e.custodial === undefined));
    const auth = { authorization: `Bearer ${d.tokens.il}` };
    const url = '/api/arrangements/southern-syria';
    const r = await app.inject({
      method: 'POST',
      url: `${url}/reports`,
      headers: auth,
      payload: observation('p-1', 'il-1', 'il', { troops: 1 }, new Date(STORY_START).toISOString()),
    });
    assert.equal(r.statusCode, 403, r.body);
    assert.match(r.body, /missing signature.*holds no key for \\"il\\"/);
    const signed = await app.inject({ method: 'POST', url: `${url}/statements`, headers: auth, payload: report(il, 'il-1') as never });
    assert.equal(signed.statusCode, 202, signed.body);
    const index = JSON.parse(signed.body).indexes[0];
    const entry = parseEntry(await d.log.entry(index));
    assert.equal(entry.custodial, undefined);
    assert.equal(entry.key, il.verifier.vkey);
    const shown = await app.inject({ method: 'GET', url: `${url}/record/entries?from=${index}&to=${index + 1}`, headers: auth });
    assert.match(shown.body, new RegExp(il.verifier.vkey.replace(/[+/]/g, (c) => `\\${c}`)));
    // Someone else's key in il's name (a key il never had): refused, naming it.
    const impostor = await app.inject({ method: 'POST', url: `${url}/statements`, headers: auth, payload: report(signer('il'), 'il-2') as never });
    assert.equal(impostor.statusCode, 403, impostor.body);
    assert.match(impostor.body, /is not a key of \\"il\\"/);
    // Custodial actors are still signed for, and marked so.
    const sy = await d.postReports(d.actors.get('sy')!, observation('p-2', 'sy-1', 'sy', { troops: 1 }, new Date(STORY_START).toISOString()));
    assert.equal(parseEntry(await d.log.entry(sy.indexes[0])).custodial, true);
  } finally {
    await app.close();
    await d.close();
  }
});

test('rotation, enrolment and revocation through POST …/statements; the old key is refused after, also after a restart', async () => {
  const il = signer('il');
  const recovery = signer('il');
  let { d, open, data } = await openWithIlOwnKey(il, recovery);
  const il2 = signer('il');
  const phone = signer('il');
  const key = (s: Signer, body: Record<string, unknown>) => signStatement(s, { type: 'key', arrangement: 'southern-syria', body: body as never });
  const actor = d.actors.get('il')!;
  try {
    await d.postSigned(actor, key(il, { action: 'enroll', key: phone.verifier.vkey, device: 'phone' }));
    const rotated = await d.postSigned(actor, key(il, { action: 'rotate', key: il2.verifier.vkey }));
    await assert.rejects(d.postSigned(actor, report(il, 'il-1')), (e: Error & { status?: number }) => {
      assert.equal(e.status, 403);
      assert.match(e.message, new RegExp(`stopped being il's key at entry ${rotated.indexes[0] + 1} \\(rotated away by entry ${rotated.indexes[0]}\\)`));
      return true;
    });
    await d.postSigned(actor, report(il2, 'il-1'));
    await d.postSigned(actor, report(phone, 'il-2'));
    // Revocation: not by a working key, nor by the mediator in its own name; by the recovery key.
    const revoke = { action: 'revoke', keys: [phone.verifier.vkey] };
    await assert.rejects(d.postSigned(actor, key(il2, revoke)), /signed only by its recovery key/);
    // The mediator, whose key this server holds, cannot revoke il's keys in its own name.
    const ru = custodialSigners(data, ['ru']).get('ru')!;
    await assert.rejects(d.postSigned(d.actors.get('ru')!, key(ru, revoke)), /signed only by its recovery key/);
    await d.postSigned(actor, key(recovery, revoke));
    await assert.rejects(d.postSigned(actor, report(phone, 'il-3')), /revoked by entry/);
  } finally {
    await d.close();
  }
  // A restart (from the snapshot) keeps the book.
  d = await open();
  try {
    await assert.rejects(d.postSigned(d.actors.get('il')!, report(il, 'il-4')), /rotated away/);
    await d.postSigned(d.actors.get('il')!, report(il2, 'il-4'));
  } finally {
    await d.close();
  }
});

test('an entry forged into the stored record under a rotated-away key stops the server, naming the index', async () => {
  const il = signer('il');
  const { d, open, data } = await openWithIlOwnKey(il);
  const il2 = signer('il');
  await d.postSigned(
    d.actors.get('il')!,
    signStatement(il, { type: 'key', arrangement: 'southern-syria', body: { action: 'rotate', key: il2.verifier.vkey } }),
  );
  await d.close();
  // Someone with the data directory appends an entry the intake would have refused.
  const log = await openSqliteLog({
    dir: logDir(data, 'southern-syria'),
    origin: 'detente/test/southern-syria',
    logSigner: readSignerKeyFile(join(data, 'keys', 'log.key')),
    checkpointIntervalMs: 0,
  });
  const forged = await log.append(makeEntry(report(il, 'il-9')));
  await log.close();
  await assert.rejects(open(), (e: unknown) => e instanceof DeploymentRefused && new RegExp(`entry ${forged.index}: .*stopped being il's key`).test(e.message));
});

test('a key from `detente keys new`, enrolled with `detente keys enroll`, signs a prepared talks command: recorded as the party’s, not custodial', async () => {
  const ilKey = generateKey('il');
  const il = parseSignerKey(ilKey.skey);
  const { d, data } = await openWithIlOwnKey(il);
  const app = await buildApp(d, { logger: false });
  const dir = dirname(data);
  try {
    const made = detente(['keys', 'new', '--actor', 'il', '--out', join(dir, 'laptop.key')]);
    assert.equal(made.code, 0, made.stderr);
    const laptop = made.stdout.trim();
    writeFileSync(join(dir, 'il.key'), `${ilKey.skey}\n`, { mode: 0o600 });
    const enroll = detente(['keys', 'enroll', '--key', join(dir, 'il.key'), '--arrangement', 'southern-syria', '--new', laptop, '--device', 'laptop']);
    assert.equal(enroll.code, 0, enroll.stderr);
    const auth = { authorization: `Bearer ${d.tokens.il}` };
    const url = '/api/arrangements/southern-syria';
    const enrolled = await app.inject({ method: 'POST', url: `${url}/statements`, headers: auth, payload: JSON.parse(enroll.stdout) });
    assert.equal(enrolled.statusCode, 202, enrolled.body);
    // The token route needs a signature the server cannot make…
    const command = { kind: 'submit', text: 'a 2 km buffer', confidential: false };
    const { kind: _, ...submission } = command;
    const unsigned = await app.inject({ method: 'POST', url: `${url}/talks/submissions`, headers: auth, payload: submission });
    assert.equal(unsigned.statusCode, 403, unsigned.body);
    assert.match(unsigned.body, /missing signature/);
    // …so il prepares, signs on the laptop, and posts.
    const prepared = await app.inject({ method: 'POST', url: `${url}/talks/prepare`, headers: auth, payload: { command } });
    assert.equal(prepared.statusCode, 200, prepared.body);
    const [p] = JSON.parse(prepared.body).statements;
    const laptopSigner = readSignerKeyFile(join(dir, 'laptop.key'));
    const { key, sig } = endorse(laptopSigner, p.statement);
    const posted = await app.inject({ method: 'POST', url: `${url}/statements`, headers: auth, payload: { statement: p.statement, sig, key } });
    assert.equal(posted.statusCode, 202, posted.body);
    const entry = parseEntry(await d.log.entry(JSON.parse(posted.body).indexes[0]));
    assert.equal(entry.key, laptop);
    assert.equal(entry.custodial, undefined);
    assert.equal(d.talks.submissions.length, 1);
  } finally {
    await app.close();
    await d.close();
  }
});

test('a record from before the key book (its genesis signed by the log, no keys) still opens, with a warning; verify notes its genesis has no endorsements', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-keys-'));
  const data = join(dir, 'data');
  const origin = 'detente/test/southern-syria';
  const source = loadArrangementSource(EXAMPLE);
  mkdirSync(join(data, 'keys'), { recursive: true });
  const logKey = generateKey(origin);
  writeFileSync(join(data, 'keys', 'log.key'), `${logKey.skey}\n`, { mode: 0o600 });
  const logSigner = parseSignerKey(logKey.skey);
  const old = await openSqliteLog({ dir: logDir(data, 'southern-syria'), origin, logSigner, checkpointIntervalMs: 0 });
  await old.append(makeEntry(signStatement(logSigner, { type: 'arrangement', arrangement: 'southern-syria', body: arrangementBody(source) })));
  await old.close();
  const d = await Deployment.open({ dataDir: data, source, deployment: 'test', checkpointIntervalMs: 0, now: () => STORY_START });
  try {
    assert.match(d.warnings.join('\n'), /began before keys were recorded/);
    const sy = await d.postReports(d.actors.get('undof')!, observation('o-1', 'sy-1', 'sy', { troops: 1 }, new Date(STORY_START).toISOString()));
    assert.equal(sy.indexes.length, 1);
  } finally {
    await d.close();
  }
  const bundle = join(dir, 'bundle');
  assert.equal(detente(['export', '--data', data, '--out', bundle]).code, 0);
  const v = detente(['verify', bundle]);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /genesis has no endorsements/);
});
