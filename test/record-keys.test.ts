// The key book where the record is stored: an entry forged into a stored record under a
// key its author had rotated away is named by the check a server runs before it starts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateKey, parseSignerKey } from '../src/record/keys.ts';
import { openLog } from '../src/record/log.ts';
import { buildEntry, endorse, makeEntry, type SignedStatement, signStatement } from '../src/record/statement.ts';
import type { Signer } from '../src/record/keys.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { detente } from './helpers/record-bundle.ts';

const signer = (name: string) => parseSignerKey(generateKey(name).skey);

/** The genesis entry, endorsed by the parties and the guarantor. */
function endorsed(signed: SignedStatement, by: Signer[]): Uint8Array {
  return makeEntry(
    signed,
    new Date(),
    false,
    by.map((s) => endorse(s, signed.statement)),
  );
}

/** A record where il rotates at entry 2, and entry 4 is made under the key it rotated away. */
function forgedAfterRotation() {
  const [il, next, ru, sy, us] = ['il', 'il', 'ru', 'sy', 'us'].map(signer);
  const body = {
    sha256: '00',
    keys: { il: [il.verifier.vkey], sy: [sy.verifier.vkey], ru: [ru.verifier.vkey], us: [us.verifier.vkey] },
    roles: { il: 'party', sy: 'party', ru: 'mediator', us: 'guarantor' },
  };
  return [
    endorsed(signStatement(ru, { type: 'arrangement', arrangement: 'a', body }), [il, sy, us]),
    buildEntry(il, { type: 'report', arrangement: 'a', body: { n: 1 } }),
    buildEntry(il, { type: 'key', arrangement: 'a', body: { action: 'rotate', key: next.verifier.vkey } }),
    buildEntry(next, { type: 'report', arrangement: 'a', body: { n: 2 } }),
    buildEntry(il, { type: 'report', arrangement: 'a', body: { n: 3 } }),
  ];
}

test('an entry under a rotated-away key, appended past the intake, is named by the stored-record check', async () => {
  const origin = 'detente/t/a';
  const log = await openLog({ origin, logSigner: signer(origin), store: new MemoryStore(), checkpointIntervalMs: 0 });
  for (const e of forgedAfterRotation()) await log.append(e);
  const problem = await log.checkStored({ chunk: 16 });
  assert.equal(problem?.index, 4);
  assert.match(problem!.reason, /entry 4: .*stopped being il's key at entry 3/);
  await log.close();
});

test('detente verify follows the key chain: it names the first entry signed by a key not valid at its index', async (t) => {
  const origin = 'detente/t/a';
  const logSigner = signer(origin);
  const log = await openLog({ origin, logSigner, store: new MemoryStore(), checkpointIntervalMs: 0 });
  const entries = forgedAfterRotation();
  for (const e of entries) await log.append(e);
  await new Promise((r) => setTimeout(r, 20));
  await log.close();
  const dir = mkdtempSync(join(tmpdir(), 'detente-keys-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'checkpoint'), log.checkpoint());
  writeFileSync(join(dir, 'log-key.vkey'), `${logSigner.verifier.vkey}\n`);
  writeFileSync(join(dir, 'entries.ndjson'), entries.map((e) => `${Buffer.from(e).toString('utf8')}\n`).join(''));
  const r = detente(['verify', dir]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /entry 4: .*stopped being il's key at entry 3 \(rotated away by entry 2\)/);
});
