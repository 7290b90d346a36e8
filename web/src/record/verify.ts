// Checks the record in this browser with Détente's own record code (src/record): the
// same functions `detente verify` runs, on the bytes the server sent. Only node:crypto
// and Node's Buffer are stood in for (see ../shims); nothing here re-implements a check.
//   1. the log's verifier key parses (and its key hash matches the key);
//   2. the latest checkpoint is a note signed by that key;
//   3. the checkpoint's last entry is well formed and signed by its author;
//   4. an inclusion proof puts that entry's leaf hash under the checkpoint's root;
//   5. the genesis (entry 0, proven under the same root) is endorsed by every party and
//      the guarantor with one of their genesis keys: a record without that is refused;
//   6. every entry, replayed in order under the key book (./replay-record.ts): each signed
//      by a key valid for its author at its index, and all of them hashing to the root.
import { openCheckpoint, type OpenedCheckpoint } from '../../../src/record/checkpoint.ts';
import { decodeBase64, encodeBase64 } from '../../../src/record/encoding.ts';
import { parseVerifierKey } from '../../../src/record/keys.ts';
import { leafHash, verifyInclusion } from '../../../src/record/merkle.ts';
import { judgeGenesis } from '../../../src/record/genesis.ts';
import { verifyEntry } from '../../../src/record/statement.ts';
import { ApiError, type Api } from '../api/client.ts';
import { replayRecord } from './replay-record.ts';

export interface Step {
  name: string;
  /** null: not run (an earlier step failed, or the actor may not read what it needs) */
  ok: boolean | null;
  detail: string;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function verifyRecord(api: Api, base: string, report: (steps: Step[]) => void): Promise<Step[]> {
  const steps: Step[] = [];
  const push = (s: Step) => {
    steps.push(s);
    report([...steps]);
  };
  const skipRest = (names: string[], why: string) => names.forEach((name) => push({ name, ok: null, detail: why }));
  const NAMES = ['log key', 'checkpoint signature', 'latest entry', 'inclusion proof', 'genesis endorsements', 'every entry'];

  let verifier: ReturnType<typeof parseVerifierKey>;
  try {
    const vkey = (await api.text(`${base}/record/key`)).trim();
    verifier = parseVerifierKey(vkey);
    push({ name: NAMES[0], ok: true, detail: `${verifier.name}+${verifier.keyHash.toString(16).padStart(8, '0')}` });
  } catch (e) {
    push({ name: NAMES[0], ok: false, detail: message(e) });
    skipRest(NAMES.slice(1), 'needs the log key');
    return steps;
  }

  let cp: OpenedCheckpoint;
  let note: string;
  try {
    note = await api.text(`${base}/record/checkpoint`);
    cp = openCheckpoint(note, verifier);
    push({ name: NAMES[1], ok: true, detail: `${cp.origin}, ${cp.size} entries, root ${encodeBase64(cp.root)}` });
  } catch (e) {
    push({ name: NAMES[1], ok: false, detail: message(e) });
    skipRest(NAMES.slice(2), 'needs a verified checkpoint');
    return steps;
  }
  if (cp.size === 0) {
    skipRest(NAMES.slice(2), 'the record is empty');
    return steps;
  }

  const index = cp.size - 1;
  let bytes: Uint8Array;
  try {
    const got = await api.json<{ entries: string[] }>(`${base}/record/entries?from=${index}&to=${cp.size}`);
    if (got.entries.length !== 1) throw new Error(`asked for entry ${index}, got ${got.entries.length} entries`);
    bytes = new TextEncoder().encode(got.entries[0]);
  } catch (e) {
    const forbidden = e instanceof ApiError && e.status === 403;
    push({ name: NAMES[2], ok: forbidden ? null : false, detail: message(e) });
    skipRest(NAMES.slice(3), 'needs the entry');
    return steps;
  }
  try {
    const entry = verifyEntry(bytes);
    push({
      name: NAMES[2],
      ok: true,
      detail: `entry ${index}: ${entry.statement.type} by ${entry.statement.author}${entry.custodial ? ' (signed by the server for its author)' : ''}, signature valid`,
    });
  } catch (e) {
    push({ name: NAMES[2], ok: false, detail: `entry ${index}: ${message(e)}` });
  }

  try {
    const got = await api.json<{ proof: string[] }>(`${base}/record/proof/inclusion?index=${index}&size=${cp.size}`);
    const proof = got.proof.map((p, i) => decodeBase64(p, `proof[${i}]`));
    const leaf = leafHash(bytes);
    const ok = verifyInclusion(index, cp.size, leaf, proof, cp.root);
    push({
      name: NAMES[3],
      ok,
      detail: ok
        ? `entry ${index} is in the tree of ${cp.size} (${proof.length} hashes)`
        : `the proof does not lead from entry ${index}'s leaf hash ${encodeBase64(leaf)} to the signed root`,
    });
  } catch (e) {
    push({ name: NAMES[3], ok: false, detail: message(e) });
  }
  push(await genesisStep(api, base, cp, NAMES[4]));
  // The longest step: shown while it runs, its count moving, then its outcome in its place.
  const last = steps.length;
  const show = (ok: boolean | null, detail: string) => {
    steps[last] = { name: NAMES[5], ok, detail };
    report([...steps]);
  };
  show(null, `0 / ${cp.size}`);
  const out = await replayRecord(api, base, cp, verifier.vkey, (judged, total) => show(null, `${judged} / ${total}`));
  show(out.ok, out.detail);
  return steps;
}

/** Entry 0, proven under the checkpoint, judged as the record's genesis. */
async function genesisStep(api: Api, base: string, cp: OpenedCheckpoint, name: string): Promise<Step> {
  let bytes: Uint8Array;
  try {
    const got = await api.json<{ entries: string[] }>(`${base}/record/entries?from=0&to=1`);
    if (got.entries.length !== 1) throw new Error(`asked for entry 0, got ${got.entries.length} entries`);
    bytes = new TextEncoder().encode(got.entries[0]);
  } catch (e) {
    return { name, ok: e instanceof ApiError && e.status === 403 ? null : false, detail: message(e) };
  }
  try {
    const got = await api.json<{ proof: string[] }>(`${base}/record/proof/inclusion?index=0&size=${cp.size}`);
    const proof = got.proof.map((p, i) => decodeBase64(p, `proof[${i}]`));
    if (!verifyInclusion(0, cp.size, leafHash(bytes), proof, cp.root)) return { name, ok: false, detail: 'entry 0 is not under the signed root' };
    const entry = verifyEntry(bytes);
    if (entry.statement.type !== 'arrangement') return { name, ok: false, detail: `entry 0 is a ${entry.statement.type}, not the arrangement` };
    const { keyed, gaps } = judgeGenesis(entry);
    if (gaps.length > 0) return { name, ok: false, detail: gaps.join('; ') };
    const by = (entry.endorsements ?? []).length;
    return {
      name,
      ok: keyed,
      detail: `by ${entry.statement.author}, endorsed ${by} time${by === 1 ? '' : 's'}${entry.custodial ? ' (the server signing for actors it holds keys of)' : ''}`,
    };
  } catch (e) {
    return { name, ok: false, detail: message(e) };
  }
}
