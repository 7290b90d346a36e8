// The pool's verdicts are verifyStatement's, item by item, however the items are batched,
// whichever engine verifies in the workers (libsodium, as verifyStatement does under Node
// where it loads, or node:crypto: the two libraries' verdicts are compared here too).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { RecordError } from './errors.ts';
import { identityRSignature, seedOf } from '../../test/helpers/identity-r.ts';
import { canonicalBytes } from './canonical.ts';
import { generateKey, parseSignerKey } from './keys.ts';
import { type SignedStatement, signStatement, verifyStatement } from './statement.ts';
import { VerifyPool } from './verify-pool.ts';

const ilKey = generateKey('il');
const il = parseSignerKey(ilKey.skey);
const sy = parseSignerKey(generateKey('sy').skey);
const pool = new VerifyPool(2);
const openssl = new VerifyPool(1, { engine: 'node:crypto' });
after(() => Promise.all([pool.close(), openssl.close()]));

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function signed(n: number, by = il): SignedStatement {
  return signStatement(by, { type: 'report', arrangement: 'southern-syria', body: { id: `r-${n}`, troops: n }, time: '2025-06-01T10:00:00Z' });
}

/** verifyStatement's outcome: undefined, or the error's code and message. */
function syncVerdict(s: SignedStatement): string | undefined {
  try {
    verifyStatement(s);
    return undefined;
  } catch (e) {
    return `${(e as RecordError).code}: ${(e as Error).message}`;
  }
}

async function poolVerdict(s: SignedStatement, by = pool): Promise<string | undefined> {
  try {
    await by.verifyStatements([s]);
    return undefined;
  } catch (e) {
    assert.ok(e instanceof RecordError);
    return `${e.code}: ${e.message}`;
  }
}

/** One way or another of spoiling a signed statement (or none); `bit` picks the bit flipped (case 2). */
function spoil(s: SignedStatement, how: number, bit = 41): SignedStatement {
  const sig = Buffer.from(s.sig, 'base64');
  switch (how) {
    case 0:
      return s;
    case 1:
      return { ...s, statement: { ...s.statement, body: { ...s.statement.body, troops: -1 } } };
    case 2: {
      // anywhere in R or S: the curve check (or the canonical checks before it) refuses it
      sig[bit >> 3] ^= 1 << (bit & 7);
      return { ...s, sig: sig.toString('base64') };
    }
    case 3:
      return { ...s, key: sy.verifier.vkey };
    case 4: {
      // S + L: the same signature, not canonical
      const S = BigInt(`0x${Buffer.from(sig.subarray(32)).reverse().toString('hex')}`) + L;
      const hex = S.toString(16).padStart(64, '0');
      Buffer.from(hex, 'hex').reverse().copy(sig, 32);
      return { ...s, sig: sig.toString('base64') };
    }
    case 5:
      return { ...s, sig: `${s.sig.slice(0, -2)}!!` };
    case 6:
      // R the identity, made by il's holder: OpenSSL's equation holds, libsodium refuses it
      return s.key === il.verifier.vkey
        ? { ...s, sig: Buffer.from(identityRSignature(seedOf(ilKey.skey), canonicalBytes(s.statement))).toString('base64') }
        : s;
    default:
      return { ...s, sig: signed(how).sig };
  }
}

test('the workers verify with libsodium, or with node:crypto when told to', async () => {
  assert.equal(await pool.engine(), 'libsodium');
  assert.equal(await openssl.engine(), 'node:crypto');
});

test('each verdict and its words are verifyStatement’s, with either engine', async () => {
  await fc.assert(
    fc.asyncProperty(fc.nat(1000), fc.integer({ min: 0, max: 8 }), fc.nat(511), async (n, how, bit) => {
      const s = spoil(signed(n), how, bit);
      const expected = syncVerdict(s);
      assert.equal(await poolVerdict(s), expected);
      assert.equal(await poolVerdict(s, openssl), expected);
    }),
    { numRuns: 150 },
  );
});

test('every bit of a signature flipped: both engines refuse each, as verifyStatement does', async () => {
  const s = signed(7);
  const list = Array.from({ length: 512 }, (_, bit) => spoil(s, 2, bit));
  const expected = list.map(syncVerdict);
  assert.ok(expected.every((v) => v !== undefined));
  assert.deepEqual(await Promise.all(list.map((x) => poolVerdict(x))), expected);
  assert.deepEqual(await Promise.all(list.map((x) => poolVerdict(x, openssl))), expected);
});

test('a signature with R the identity (OpenSSL’s equation holds) is refused by the strict checks, with either engine', async () => {
  const s = spoil(signed(3), 6);
  assert.equal(syncVerdict(s), 'bad-signature: the signature is not canonical (R has small order)');
  assert.equal(await poolVerdict(s), syncVerdict(s));
  // Raw, past the strict checks' entry point too: verify() applies the same checks.
  const message = canonicalBytes(s.statement);
  assert.equal(await pool.verify(message, Buffer.from(s.sig, 'base64'), il.verifier.publicKey), false);
  assert.equal(await openssl.verify(message, Buffer.from(s.sig, 'base64'), il.verifier.publicKey), false);
});

test('thousands at once, good and bad mixed, split across the workers: every verdict is its own', async () => {
  const list = Array.from({ length: 3000 }, (_, i) => spoil(signed(i, i % 2 ? il : sy), i % 7 === 3 ? 2 : 0));
  const verdicts = await Promise.all(list.map((s) => poolVerdict(s)));
  assert.deepEqual(verdicts, list.map(syncVerdict));
  assert.ok(verdicts.some((v) => v !== undefined) && verdicts.some((v) => v === undefined));
});

test('a batch fails with its first bad statement, by author', async () => {
  const list = [signed(1), spoil(signed(2, sy), 1), signed(3)];
  await assert.rejects(pool.verifyStatements(list), /signature does not verify under sy's key/);
  await pool.verifyStatements([signed(1), signed(2, sy)]);
  // Two bad ones: the first in the list is named, whichever worker answers first.
  const two = [...Array.from({ length: 600 }, (_, i) => signed(i)), spoil(signed(1, sy), 1), spoil(signed(2), 1)];
  for (let round = 0; round < 20; round++) await assert.rejects(pool.verifyStatements(two), /under sy's key/);
});

test('a statement whose form is wrong is refused before any goes out, as a rejection, not a throw', async () => {
  const p = pool.verifyStatements([signed(1), spoil(signed(2), 5)]);
  assert.ok(p instanceof Promise);
  await assert.rejects(p, (e: unknown) => e instanceof RecordError && e.code === 'bad-signature');
});

test('on Linux the workers run at a lower priority than the threads that acknowledge', { skip: process.platform !== 'linux' }, async () => {
  const nice = (tid: string) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  };
  const before = new Set(readdirSync('/proc/self/task'));
  const p = new VerifyPool(2);
  try {
    // enough at once that both workers answer a part (each lowers its priority first thing)
    await p.verifyStatements(Array.from({ length: 200 }, (_, i) => signed(i)));
    const started = readdirSync('/proc/self/task').filter((t) => !before.has(t));
    // the two workers (and any helper thread Node started meanwhile, at the process's priority)
    assert.equal(started.map(nice).filter((n) => n === 10).length, 2);
    assert.equal(nice(String(process.pid)), 0);
    assert.ok(readdirSync('/proc/self/task').some((t) => !started.includes(t) && nice(t) === 0));
  } finally {
    await p.close();
  }
});

test('raw verification: a small-order key verifies nothing; a closed pool refuses', async () => {
  const s = signed(9);
  const message = Buffer.from(JSON.stringify(s.statement));
  const identity = new Uint8Array(32);
  identity[0] = 1;
  assert.equal(await pool.verify(message, Buffer.from(s.sig, 'base64'), identity), false);
  const p = new VerifyPool(1);
  await p.close();
  await assert.rejects(p.verify(message, Buffer.from(s.sig, 'base64'), il.verifier.publicKey), /closed/);
});

test('a process whose pool is idle exits by itself (the workers do not hold it)', () => {
  const self = new URL('./verify-pool.ts', import.meta.url).href;
  const keys = new URL('./keys.ts', import.meta.url).href;
  const statement = new URL('./statement.ts', import.meta.url).href;
  const code = `
    const { sharedVerifyPool } = await import(${JSON.stringify(self)});
    const { generateKey, parseSignerKey } = await import(${JSON.stringify(keys)});
    const { signStatement } = await import(${JSON.stringify(statement)});
    const il = parseSignerKey(generateKey('il').skey);
    await sharedVerifyPool().verifyStatements([signStatement(il, { type: 'report', arrangement: 'a', body: { n: 1 }, time: '2025-06-01T10:00:00Z' })]);
    console.log('verified');`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { timeout: 30_000, encoding: 'utf8' });
  assert.equal(r.stdout.trim(), 'verified', r.stderr);
  assert.equal(r.status, 0, 'the process had to be killed');
});
