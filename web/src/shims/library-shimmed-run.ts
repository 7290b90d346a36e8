// Runs the record's own verification code with the browser stand-ins (see node-hooks.mjs)
// on the inputs given on stdin, and prints what each check answered.
import { readFileSync } from 'node:fs';
import { openCheckpoint } from '../../../src/record/checkpoint.ts';
import { cosignaturesOf, parseCosignatureKey } from '../../../src/record/cosignature.ts';
import { decodeBase64 } from '../../../src/record/encoding.ts';
import { parseVerifierKey } from '../../../src/record/keys.ts';
import { leafHash, verifyConsistency, verifyInclusion } from '../../../src/record/merkle.ts';
import { openNote } from '../../../src/record/note.ts';
import { verifyEntry } from '../../../src/record/statement.ts';

interface Input {
  vkey: string;
  notes: string[];
  checkpoint: string;
  logKey: string;
  entries: string[];
  inclusion: { leafIdx: string; treeSize: string; leafHash: string; proof: string[] | null; root: string }[];
  consistency: { size1: string; size2: string; root1: string; root2: string; proof: string[] | null }[];
  /** cosigned notes, each checked against every witness key */
  cosigned?: { note: string; witnesses: string[] }[];
}

const input = JSON.parse(readFileSync(0, 'utf8')) as Input;
const attempt = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
};
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const proof = (p: string[] | null) => (p ?? []).map(b64);
const size = (s: string) => BigInt(s);

const out = {
  notes: input.notes.map((n) => attempt(() => openNote(n, input.vkey))),
  checkpoint: attempt(() => openCheckpoint(input.checkpoint, parseVerifierKey(input.logKey))),
  entries: input.entries.map((e) => attempt(() => verifyEntry(new TextEncoder().encode(e)))),
  leafHashes: input.entries.map((e) => Buffer.from(leafHash(new TextEncoder().encode(e))).toString('hex')),
  inclusion: input.inclusion.map((v) => verifyInclusion(size(v.leafIdx), size(v.treeSize), b64(v.leafHash), proof(v.proof), b64(v.root))),
  consistency: input.consistency.map((v) => verifyConsistency(size(v.size1), size(v.size2), b64(v.root1), b64(v.root2), proof(v.proof))),
  decodeRejects: attempt(() => decodeBase64('AB==', 'x')),
  cosigned: (input.cosigned ?? []).map((c) => Object.fromEntries(cosignaturesOf(c.note, c.witnesses.map(parseCosignatureKey)))),
};
process.stdout.write(JSON.stringify(out));
