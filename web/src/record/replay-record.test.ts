// The page's replay of every entry: the record's own judge over entries paged from the
// server, so a server that serves an entry under a key its author had rotated away, an
// altered entry, a replayed one or too few is named at the entry, as `detente verify`
// names it. Run: node --import tsx --test web/src/record/replay-record.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCheckpoint } from '../../../src/record/checkpoint.ts';
import { generateKey, parseSignerKey, type Signer } from '../../../src/record/keys.ts';
import { openLog } from '../../../src/record/log.ts';
import { buildEntry, endorse, makeEntry, signStatement } from '../../../src/record/statement.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { ApiError } from '../api/client.ts';
import { type EntriesSource, replayRecord } from './replay-record.ts';

const signer = (name: string): Signer => parseSignerKey(generateKey(name).skey);
const ORIGIN = 'detente/t/replay';

/** A record where il rotates at entry 2; with `forged`, entry 4 is made under the key it rotated away. */
function entries(forged: boolean): Uint8Array[] {
  const [il, next, ru, sy, us] = ['il', 'il', 'ru', 'sy', 'us'].map(signer);
  const body = {
    sha256: '00',
    keys: { il: [il.verifier.vkey], sy: [sy.verifier.vkey], ru: [ru.verifier.vkey], us: [us.verifier.vkey] },
    roles: { il: 'party', sy: 'party', ru: 'mediator', us: 'guarantor' },
  };
  const genesis = signStatement(ru, { type: 'arrangement', arrangement: 'a', body });
  return [
    makeEntry(
      genesis,
      new Date(),
      false,
      [il, sy, us].map((s) => endorse(s, genesis.statement)),
    ),
    buildEntry(il, { type: 'report', arrangement: 'a', body: { n: 1 } }),
    buildEntry(il, { type: 'key', arrangement: 'a', body: { action: 'rotate', key: next.verifier.vkey } }),
    buildEntry(next, { type: 'report', arrangement: 'a', body: { n: 2 } }),
    buildEntry(forged ? il : next, { type: 'report', arrangement: 'a', body: { n: 3 } }),
  ];
}

/** A log over the entries, and a server that pages them two at a time, as `served` says. */
async function record(list: Uint8Array[], served: (all: string[]) => string[] = (all) => all) {
  const logSigner = signer(ORIGIN);
  const log = await openLog({ origin: ORIGIN, logSigner, store: new MemoryStore(), checkpointIntervalMs: 0 });
  for (const e of list) await log.append(e);
  // The checkpoint is signed just after the append that it covers: wait for it.
  while (openCheckpoint(log.checkpoint(), logSigner.verifier).size < list.length) await new Promise((r) => setTimeout(r, 5));
  const cp = openCheckpoint(log.checkpoint(), logSigner.verifier);
  await log.close();
  const text = served(list.map((e) => new TextDecoder().decode(e)));
  const asked: string[] = [];
  const api: EntriesSource = {
    async json<T>(path: string): Promise<T> {
      asked.push(path);
      const q = new URL(path, 'http://x').searchParams;
      const from = Number(q.get('from'));
      return { entries: text.slice(from, Math.min(Number(q.get('to')), from + 2)) } as T;
    },
  };
  return { api, cp, vkey: logSigner.verifier.vkey, asked };
}

test('an honest record: every entry judged under the key book, paged, into the checkpoint root', async () => {
  const r = await record(entries(false));
  const seen: number[] = [];
  const out = await replayRecord(r.api, '/b', r.cp, r.vkey, (n) => seen.push(n));
  assert.equal(out.ok, true, out.detail);
  assert.equal(out.judged, 5);
  assert.ok(r.asked.length >= 3, 'paged as the server allows');
  assert.equal(seen.at(-1), 5);
});

test('an entry under a key its author rotated away is named, as detente verify names it', async () => {
  const r = await record(entries(true));
  const out = await replayRecord(r.api, '/b', r.cp, r.vkey);
  assert.equal(out.ok, false);
  assert.match(out.detail, /^entry 4: .*stopped being il's key at entry 3 \(rotated away by entry 2\)/);
  assert.equal(out.judged, 4);
});

test('an altered entry, a replayed one, and too few: each named', async () => {
  const altered = await record(entries(false), (all) => all.map((e, i) => (i === 1 ? e.replace('"n":1', '"n":7') : e)));
  const a = await replayRecord(altered.api, '/b', altered.cp, altered.vkey);
  assert.equal(a.ok, false);
  assert.match(a.detail, /^entry 1: /);

  const replayed = await record(entries(false), (all) => [...all.slice(0, 4), all[3]]);
  const b = await replayRecord(replayed.api, '/b', replayed.cp, replayed.vkey);
  assert.equal(b.ok, false);
  assert.match(b.detail, /^entry 4: replays entry 3/);

  const short = await record(entries(false), (all) => all.slice(0, 3));
  const c = await replayRecord(short.api, '/b', short.cp, short.vkey);
  assert.equal(c.ok, false);
  assert.match(c.detail, /sent no entry from 3, the checkpoint covers 5/);
});

test('entries the actor may not read: not checked, saying why', async () => {
  const r = await record(entries(false));
  const refusing: EntriesSource = {
    json: async () => {
      throw new ApiError(403, 'observers may not read the entries');
    },
  };
  const out = await replayRecord(refusing, '/b', r.cp, r.vkey);
  assert.equal(out.ok, null);
  assert.match(out.detail, /may not read/);
});
