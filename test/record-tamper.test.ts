// An exported bundle, altered the ways an operator might try: `detente verify` must exit 1
// and name the entry. And an independent check — RFC 6962 and the signed-note rules
// written out here, sharing no code with src/record — must agree with the bundle.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendEntries, detente } from './helpers/record-bundle.ts';
import { newSigner, ORIGIN } from './helpers/record-fixtures.ts';

const logSigner = newSigner(ORIGIN);
const authors = [newSigner('il'), newSigner('sy'), newSigner('ru')];
const N = 24;

function lines(bundle: string): Buffer[] {
  const data = readFileSync(join(bundle, 'entries.ndjson'));
  const out: Buffer[] = [];
  for (let start = 0, nl = data.indexOf(10); nl >= 0; start = nl + 1, nl = data.indexOf(10, start)) out.push(data.subarray(start, nl));
  return out;
}

function writeLines(bundle: string, ls: Buffer[]): void {
  writeFileSync(join(bundle, 'entries.ndjson'), Buffer.concat(ls.flatMap((l) => [l, Buffer.from('\n')])));
}

// One log and bundle for the whole file; each test alters copies of it.
const dir = mkdtempSync(join(tmpdir(), 'detente-tamper-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let shared: ReturnType<typeof build> | undefined;
const setup = () => (shared ??= build());

async function build() {
  const data = join(dir, 'data');
  const old = await appendEntries(data, logSigner, authors, 0, 10);
  await appendEntries(data, logSigner, authors, 10, N);
  const bundle = join(dir, 'bundle');
  const ex = detente(['export', '--data', data, '--out', bundle]);
  assert.equal(ex.code, 0, ex.stderr);
  assert.match(ex.stdout, new RegExp(`exported ${N} entries of ${ORIGIN}`));
  writeFileSync(join(dir, 'old-checkpoint'), old);
  return { dir, data, bundle, old: join(dir, 'old-checkpoint') };
}

/** A copy of the bundle with entries.ndjson rewritten by `change`. */
function tampered(dir: string, bundle: string, name: string, change: (ls: Buffer[]) => Buffer[]): string {
  const copy = join(dir, name);
  cpSync(bundle, copy, { recursive: true });
  writeLines(copy, change(lines(bundle)));
  return copy;
}

function expectFailure(bundle: string, message: RegExp): void {
  const r = detente(['verify', bundle]);
  assert.equal(r.code, 1, `expected exit 1, got ${r.code}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, message);
}

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function replaceSig(line: Buffer, change: (sig: Buffer) => Buffer): Buffer {
  const e = JSON.parse(line.toString());
  const sig = change(Buffer.from(e.sig, 'base64'));
  return Buffer.from(line.toString().replace(e.sig, sig.toString('base64')));
}

test('an untouched bundle verifies, also against an older checkpoint', async () => {
  const { bundle, old } = await setup();
  const r = detente(['verify', bundle]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`ok: ${N} entries of ${ORIGIN}`));
  const s = detente(['verify', bundle, '--since', old]);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /consistent with the checkpoint for 10 entries/);
});

test('tampered entries are caught and named', async () => {
  const { dir, bundle } = await setup();
  const flip = (ls: Buffer[], i: number, at: string) => {
    const l = Buffer.from(ls[i]);
    const pos = l.indexOf(at) + at.length;
    l[pos] ^= 0x01; // e.g. "report 7" → "report 6", "…250Z" → "…251Z"
    ls[i] = l;
    return ls;
  };
  expectFailure(
    tampered(dir, bundle, 'flip-signed', (ls) => flip(ls, 7, '"text":"report ')),
    /entry 7: signature does not verify under sy's key/,
  );
  expectFailure(
    tampered(dir, bundle, 'flip-received', (ls) => flip(ls, 8, '"received":"2025-06-01T00:00:0')),
    /entry 8: not the entry the signed tree holds at index 8/,
  );
  expectFailure(
    tampered(dir, bundle, 'flip-json', (ls) => flip(ls, 2, '{"key"')),
    /entry 2: /,
  );
  expectFailure(
    tampered(dir, bundle, 'swap', (ls) => {
      [ls[3], ls[11]] = [ls[11], ls[3]];
      return ls;
    }),
    /entry 3: not the entry the signed tree holds at index 3/,
  );
  expectFailure(
    tampered(dir, bundle, 'drop', (ls) => ls.filter((_, i) => i !== 5)),
    /entry 5: not the entry the signed tree holds at index 5/,
  );
  expectFailure(
    tampered(dir, bundle, 'drop-last', (ls) => ls.slice(0, -1)),
    new RegExp(`entry ${N - 1}: missing: the checkpoint covers ${N} entries, the bundle has ${N - 1}`),
  );
  expectFailure(
    tampered(dir, bundle, 'resign', (ls) => {
      ls[9] = replaceSig(ls[9], (sig) => {
        sig[10] ^= 0xff;
        return sig;
      });
      return ls;
    }),
    /entry 9: signature does not verify/,
  );
  expectFailure(
    tampered(dir, bundle, 'replay', (ls) => [...ls.slice(0, 13), ls[2], ...ls.slice(13)]),
    /entry 13: replays entry 2 \(the same signed statement\)/,
  );
  expectFailure(
    tampered(dir, bundle, 'replay-at-end', (ls) => [...ls, ls[0]]),
    new RegExp(`entry ${N}: replays entry 0`),
  );
  expectFailure(
    tampered(dir, bundle, 'non-canonical', (ls) => {
      ls[4] = replaceSig(ls[4], (sig) => {
        let s = 0n;
        for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
        s += L; // the same signature equation, spelled with S + L
        for (let i = 32; i < 64; i++, s >>= 8n) sig[i] = Number(s & 255n);
        return sig;
      });
      return ls;
    }),
    /entry 4: the signature is not canonical \(S >= L\)/,
  );
});

test('without leaf-hashes a reordering still fails, on the root', async () => {
  const { dir, bundle } = await setup();
  const copy = tampered(dir, bundle, 'swap-no-leaves', (ls) => {
    [ls[0], ls[1]] = [ls[1], ls[0]];
    return ls;
  });
  rmSync(join(copy, 'leaf-hashes'));
  expectFailure(copy, /the entries hash to .*, not to the checkpoint's root/);
});

test('checkpoint, keys and --since are checked too', async () => {
  const { dir, bundle } = await setup();
  const badCp = join(dir, 'bad-cp');
  cpSync(bundle, badCp, { recursive: true });
  writeFileSync(join(badCp, 'checkpoint'), readFileSync(join(bundle, 'checkpoint'), 'utf8').replace(`\n${N}\n`, `\n${N - 1}\n`));
  expectFailure(badCp, /checkpoint: invalid signature by key detente\/test\/southern-syria/);

  const otherKey = join(dir, 'other-key');
  cpSync(bundle, otherKey, { recursive: true });
  const keys = JSON.parse(readFileSync(join(bundle, 'keys.json'), 'utf8'));
  keys.sy = newSigner('sy').verifier.vkey;
  writeFileSync(join(otherKey, 'keys.json'), JSON.stringify(keys));
  expectFailure(otherKey, /entry 1: signed with sy\+.*, not with sy's key in keys.json/);

  // A checkpoint of a forked history (same log key, other entries) is not an ancestor.
  const fork = await appendEntries(join(dir, 'fork'), logSigner, [authors[1], authors[0]], 0, 10);
  writeFileSync(join(dir, 'fork-checkpoint'), fork);
  const r = detente(['verify', bundle, '--since', join(dir, 'fork-checkpoint')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not consistent with the --since checkpoint: its first 10 entries hash to/);

  const missing = join(dir, 'missing');
  cpSync(bundle, missing, { recursive: true });
  rmSync(join(missing, 'log-key.vkey'));
  const m = detente(['verify', missing]);
  assert.equal(m.code, 2);
  assert.match(m.stderr, /cannot read the log key .*log-key.vkey: ENOENT/);
  assert.equal(detente(['verify']).code, 2);
  assert.equal(detente(['verify', bundle, '--since', join(dir, 'nope')]).code, 2);
});

// ---- an independent check, sharing no code with src/record ----

function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

function mth(hashes: Buffer[]): Buffer {
  if (hashes.length === 0) return sha256();
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return sha256(Buffer.from([1]), mth(hashes.slice(0, k)), mth(hashes.slice(k)));
}

test('an independent RFC 6962 + signed-note check agrees with the exported bundle', async () => {
  const { bundle } = await setup();
  const vkey = readFileSync(join(bundle, 'log-key.vkey'), 'utf8').trim();
  const plus1 = vkey.indexOf('+');
  const plus2 = vkey.indexOf('+', plus1 + 1);
  const name = vkey.slice(0, plus1);
  const keyBytes = Buffer.from(vkey.slice(plus2 + 1), 'base64');
  assert.equal(keyBytes.length, 33);
  assert.equal(keyBytes[0], 1);
  const keyHash = sha256(Buffer.from(name), Buffer.from([0x0a, 0x01]), keyBytes.subarray(1)).subarray(0, 4);
  assert.equal(keyHash.toString('hex'), vkey.slice(plus1 + 1, plus2));

  const note = readFileSync(join(bundle, 'checkpoint'), 'utf8');
  const split = note.lastIndexOf('\n\n');
  const text = note.slice(0, split + 1);
  const sigLine = note
    .slice(split + 2)
    .split('\n')
    .find((l) => l.startsWith(`\u2014 ${name} `))!;
  const sig = Buffer.from(sigLine.slice(`\u2014 ${name} `.length), 'base64');
  assert.ok(sig.subarray(0, 4).equals(keyHash));
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), keyBytes.subarray(1)]);
  assert.ok(verify(null, Buffer.from(text), createPublicKey({ key: spki, format: 'der', type: 'spki' }), sig.subarray(4)), 'checkpoint signature');

  const [origin, size, root] = text.split('\n');
  assert.equal(origin, ORIGIN);
  const leaves = lines(bundle).map((l) => sha256(Buffer.from([0]), l));
  assert.equal(leaves.length, Number(size));
  assert.equal(mth(leaves).toString('base64'), root);
});
