// The key book where the record is stored: an entry forged into a stored record under a
// key its author had rotated away is named by the check a server runs before it starts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKey, parseSignerKey } from '../src/record/keys.ts';
import { openLog } from '../src/record/log.ts';
import { buildEntry } from '../src/record/statement.ts';
import { MemoryStore } from '../src/store/memory.ts';

const signer = (name: string) => parseSignerKey(generateKey(name).skey);

/** A record where il rotates at entry 2, and entry 4 is made under the key it rotated away. */
function forgedAfterRotation() {
  const [il, next, ru, sy, us] = ['il', 'il', 'ru', 'sy', 'us'].map(signer);
  const body = {
    sha256: '00',
    keys: { il: [il.verifier.vkey], sy: [sy.verifier.vkey], ru: [ru.verifier.vkey], us: [us.verifier.vkey] },
    roles: { il: 'party', sy: 'party', ru: 'mediator', us: 'guarantor' },
  };
  return [
    buildEntry(ru, { type: 'arrangement', arrangement: 'a', body }),
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
