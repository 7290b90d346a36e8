// detente keys new NAME [--out FILE]
// detente keys new --actor ID [--recovery] [--out FILE]
// detente keys sign --key KEYFILE --statement FILE
// detente keys enroll|rotate|recovery --key KEYFILE --arrangement ID --new VKEY [--device LABEL]
// detente keys revoke --key RECOVERYFILE --arrangement ID --revoke VKEY[,VKEY…] [--add VKEY,…]
//
// `new` writes a signer key (PRIVATE+KEY+…, the Go sumdb/note form) to FILE, readable by
// its owner only, never over an existing file, and prints the verifier key. A key for a
// person or device of an actor (or its recovery key, kept offline) is named with the
// actor id: that is how a key says whose it is.
// `sign` endorses a statement (the genesis `detente genesis` prints): it prints
// `{ "key", "sig" }` for `detente serve --endorsement FILE`.
// `enroll`, `rotate`, `recovery` and `revoke` print a signed `key` statement, ready for
// `POST /api/arrangements/{id}/statements` (docs/spec/record.md, "Keys").

import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { JsonObject } from '../record/canonical.ts';
import { readSignerKeyFile } from '../record/key-file.ts';
import { generateKey, isValidKeyName, parseVerifierKey, type Signer } from '../record/keys.ts';
import { checkStatement, endorse, signStatement } from '../record/statement.ts';
import { parseArgs, UsageError } from './args.ts';

const USAGE = [
  'usage: detente keys new NAME [--out FILE]',
  '       detente keys new --actor ID [--recovery] [--out FILE]',
  '       detente keys sign --key KEYFILE --statement FILE',
  '       detente keys enroll|rotate|recovery --key KEYFILE --arrangement ID --new VKEY [--device LABEL] [--time T]',
  '       detente keys revoke --key RECOVERYFILE --arrangement ID --revoke VKEY[,VKEY…] [--add VKEY[,VKEY…]] [--time T]',
].join('\n');

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: {
      out: undefined,
      actor: undefined,
      key: undefined,
      statement: undefined,
      arrangement: undefined,
      new: undefined,
      device: undefined,
      revoke: undefined,
      add: undefined,
      time: undefined,
    },
    booleans: ['recovery'],
  });
  const [sub, ...rest] = args.positional;
  if (sub === 'new') return newKey(rest, args.values, args.booleans.has('recovery'));
  if (sub === 'sign') return sign(rest, args.values);
  if (sub === 'enroll' || sub === 'rotate' || sub === 'recovery' || sub === 'revoke') return keyStatement(sub, rest, args.values);
  throw new UsageError(sub === undefined ? USAGE : `unknown subcommand "${sub}"\n${USAGE}`);
}

function noExtra(rest: string[]): void {
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"\n${USAGE}`);
}

function newKey(rest: string[], v: Record<string, string | undefined>, recovery: boolean): number {
  const [positional, ...extra] = rest;
  noExtra(extra);
  if (positional !== undefined && v.actor !== undefined) throw new UsageError(`give NAME or --actor, not both\n${USAGE}`);
  const name = positional ?? v.actor;
  if (name === undefined) throw new UsageError(`missing NAME or --actor ID\n${USAGE}`);
  if (recovery && v.actor === undefined) throw new UsageError('--recovery makes an actor’s recovery key: give --actor ID');
  if (!isValidKeyName(name)) throw new UsageError(`invalid key name "${name}": it must be non-empty, with no spaces and no '+'`);
  // A key for detente/demo/southern-syria becomes detente_demo_southern-syria.key.
  const base = name.replace(/[^A-Za-z0-9._-]/g, '_');
  const out = v.out ?? (v.actor === undefined ? `${base}.key` : `${base}-${recovery ? 'recovery' : 'key'}.key`);
  const { skey, vkey } = generateKey(name);
  let fd: number;
  try {
    fd = openSync(out, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EEXIST' ? `detente keys: ${out} exists; refusing to overwrite a key\n` : `detente keys: cannot create ${out}: ${code ?? String(e)}\n`,
    );
    return 1;
  }
  try {
    writeSync(fd, `${skey}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  process.stdout.write(`${vkey}\n`);
  const what = recovery ? `the recovery key of ${name} (keep it offline: only it revokes ${name}'s keys)` : `the signer key for ${name}`;
  process.stderr.write(`detente keys: wrote ${what} to ${out} (keep it secret); its verifier key is above\n`);
  return 0;
}

function signerFrom(path: string | undefined): Signer {
  if (path === undefined) throw new UsageError(`--key KEYFILE is required\n${USAGE}`);
  try {
    return readSignerKeyFile(path);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function sign(rest: string[], v: Record<string, string | undefined>): number {
  noExtra(rest);
  const signer = signerFrom(v.key);
  if (v.statement === undefined) throw new UsageError(`--statement FILE is required\n${USAGE}`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(v.statement, 'utf8'));
  } catch (e) {
    throw new UsageError(`${v.statement}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // A signed statement or a prepared one ({ statement, … }) is endorsed by its statement.
  const st = typeof value === 'object' && value !== null && 'statement' in value ? (value as { statement: unknown }).statement : value;
  let statement: ReturnType<typeof checkStatement>;
  try {
    statement = checkStatement(st);
  } catch (e) {
    throw new UsageError(`${v.statement}: ${(e as Error).message}`);
  }
  process.stdout.write(`${JSON.stringify(endorse(signer, statement))}\n`);
  return 0;
}

function keyList(text: string | undefined, what: string): string[] {
  if (text === undefined) throw new UsageError(`${what} is required\n${USAGE}`);
  const keys = text.split(',').filter((k) => k !== '');
  for (const k of keys) {
    try {
      parseVerifierKey(k);
    } catch (e) {
      throw new UsageError(`${what}: ${(e as Error).message}`);
    }
  }
  return keys;
}

function keyStatement(action: 'enroll' | 'rotate' | 'recovery' | 'revoke', rest: string[], v: Record<string, string | undefined>): number {
  noExtra(rest);
  const signer = signerFrom(v.key);
  if (v.arrangement === undefined) throw new UsageError(`--arrangement ID is required\n${USAGE}`);
  let body: JsonObject;
  if (action === 'revoke') {
    const add = v.add === undefined ? [] : keyList(v.add, '--add');
    body = { action, keys: keyList(v.revoke, '--revoke'), ...(add.length ? { add } : {}) };
  } else {
    const [key] = keyList(v.new, '--new VKEY');
    body = { action, key, ...(action === 'enroll' && v.device !== undefined ? { device: v.device } : {}) };
  }
  const signed = signStatement(signer, { type: 'key', arrangement: v.arrangement, body, ...(v.time ? { time: v.time } : {}) });
  process.stdout.write(`${JSON.stringify(signed)}\n`);
  return 0;
}
