// Attachments (issue 15): a report names photos or imagery by SHA-256; the bytes are
// uploaded apart (PUT …/attachments/:sha256), checked against the hash, and fetched only
// by a reader who reads in full a report naming them — the same decision as the report's
// sealed content — as a download, never inline. Everyone else gets the 404 of an unknown hash.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { parseEntry } from '../src/record/statement.ts';
import { ACTORS, BASE, json, observation, startTestServer, type TestServer } from './helpers/server.ts';

const T = '2025-12-27T07:00:00Z';
const photo = randomBytes(200_000);
const SHA = createHash('sha256').update(photo).digest('hex');
const ref = { sha256: SHA, type: 'image/jpeg', bytes: photo.length, name: 'post-22.jpg' };

/** The raw bytes as the body (the helper's `as` sends JSON). */
const put = (s: TestServer, actor: string | null, sha: string, bytes: Buffer, type = 'image/jpeg') =>
  s.app.inject({
    method: 'PUT',
    url: `${BASE}/attachments/${sha}`,
    headers: { 'content-type': type, ...(actor ? { authorization: `Bearer ${s.tokens[actor]}` } : {}) },
    payload: bytes,
  });
const get = (s: TestServer, actor: string, sha = SHA) => s.as(actor, 'GET', `${BASE}/attachments/${sha}`);

/** Whether this reader gets the report's sealed content in full: what the attachment's release must follow. */
async function readsReportInFull(s: TestServer, actor: string, index: number): Promise<boolean> {
  const st = parseEntry((await s.deployment.log.entries(index, index + 1))[0]).statement;
  const sealed = (st.body as { sealed?: string }).sealed;
  assert.ok(sealed, 'the party’s report is sealed');
  const res = await s.as(actor, 'GET', `${BASE}/record/sealed/${sealed}`);
  return res.statusCode === 200 && 'salt' in JSON.parse(res.body);
}

test('an attachment named by a report goes to those who read the report in full, as a download; 404 for the others', async (t) => {
  const s = await startTestServer({ web: false });
  t.after(() => s.destroy());
  // Named before it is uploaded: accepted (the record commits to the hash), fetched by nobody yet.
  const report = { ...observation('il-att-1', 'il-tk-9', 'il', { tanks: 3 }, T), attachments: [ref] };
  const [index] = ((await json(await s.as('il', 'POST', `${BASE}/reports`, report), 202)) as { indexes: number[] }).indexes;
  assert.equal((await get(s, 'il')).statusCode, 404, 'not uploaded yet');

  const up = (await json(await put(s, 'il', SHA, photo), 201)) as { sha256: string; bytes: number };
  assert.deepEqual(up, { sha256: SHA, type: 'image/jpeg', bytes: photo.length });

  const readers: string[] = [];
  for (const actor of ACTORS) {
    const full = await readsReportInFull(s, actor, index);
    const res = await get(s, actor);
    assert.equal(res.statusCode, full ? 200 : 404, actor);
    if (!full) {
      // The same answer as a hash nobody uploaded: nothing tells the two apart.
      const unknown = await get(s, actor, 'f'.repeat(64));
      assert.equal(res.body.replaceAll(SHA, 'H'), unknown.body.replaceAll('f'.repeat(64), 'H'), actor);
      continue;
    }
    readers.push(actor);
    assert.ok(res.rawPayload.equals(photo), `${actor} gets the bytes`);
    assert.equal(res.headers['content-type'], 'image/jpeg');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['content-disposition']), /^attachment;/);
  }
  assert.ok(readers.includes('il'), 'its author reads it');
  assert.ok(!readers.includes('sy'), 'the other party does not');

  // A restart keeps who may read it.
  await s.stop();
  const again = await startTestServer({ web: false, dir: s.dir });
  try {
    assert.equal((await get(again, 'il')).statusCode, 200);
    assert.equal((await get(again, 'sy')).statusCode, 404);
  } finally {
    await again.stop();
  }
});

test('bad uploads and bad attachment lists are 4xx naming the field; nothing is kept of them', async (t) => {
  const s = await startTestServer({ web: false });
  t.after(() => s.destroy());
  await json(await s.as('il', 'POST', `${BASE}/reports`, { ...observation('il-att-2', 'il-tk-8', 'il', { tanks: 1 }, T), attachments: [ref] }), 202);

  // Bytes that hash otherwise: 400 naming sha256, and nothing stored under it.
  const other = Buffer.from('not the photo');
  const mismatch = (await json(await put(s, 'il', SHA, other), 400)) as { issues: { path: string }[] };
  assert.equal(mismatch.issues[0].path, 'params.sha256');
  assert.equal((await get(s, 'il')).statusCode, 404, 'nothing kept of the wrong bytes');
  // A type that is not an attachment type; a path that is not a SHA-256; no token.
  assert.equal((await put(s, 'il', SHA, photo, 'text/html')).statusCode, 415);
  assert.equal(((await json(await put(s, 'il', 'abc', photo), 400)) as { issues: { path: string }[] }).issues[0].path, 'params.sha256');
  assert.equal((await put(s, null, SHA, photo)).statusCode, 401);
  // The guarantor files no reports, so uploads nothing.
  assert.equal((await put(s, 'us', SHA, photo)).statusCode, 403);

  for (const [bad, path] of [
    [{ ...ref, sha256: 'XYZ' }, 'attachments[0].sha256'],
    [{ ...ref, type: 'text/html' }, 'attachments[0].type'],
    [{ ...ref, bytes: 0 }, 'attachments[0].bytes'],
    [{ ...ref, extra: 1 }, 'attachments[0]'],
  ] as const) {
    const res = (await json(
      await s.as('il', 'POST', `${BASE}/reports`, { ...observation('il-att-3', 'il-tk-7', 'il', { tanks: 1 }, T), attachments: [bad] }),
      400,
    )) as {
      issues: { path: string }[];
    };
    assert.equal(res.issues[0].path, path);
  }
  const notList = (await json(
    await s.as('il', 'POST', `${BASE}/reports`, [{ ...observation('il-att-4', 'il-tk-6', 'il', { tanks: 1 }, T), attachments: 'x' }]),
    400,
  )) as {
    issues: { path: string }[];
  };
  assert.equal(notList.issues[0].path, '[0].attachments');

  // The right bytes after all that: stored.
  await json(await put(s, 'il', SHA, photo), 201);
  assert.equal((await get(s, 'il')).statusCode, 200);
});
