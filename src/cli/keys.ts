// detente keys new NAME [--out FILE]
// Writes a signer key (PRIVATE+KEY+…, the Go sumdb/note form) to FILE, readable by its
// owner only, never over an existing file; prints the verifier key on stdout so it can
// be piped into a registry (keys.json, an arrangement's actor list).

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { generateKey, isValidKeyName } from '../record/keys.ts';
import { parseArgs, UsageError } from './args.ts';

const USAGE = 'usage: detente keys new NAME [--out FILE]';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: { out: undefined } });
  const [sub, name, ...extra] = args.positional;
  if (sub !== 'new') throw new UsageError(sub === undefined ? USAGE : `unknown subcommand "${sub}"; ${USAGE}`);
  if (name === undefined) throw new UsageError(`missing NAME; ${USAGE}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"; ${USAGE}`);
  if (!isValidKeyName(name)) throw new UsageError(`invalid key name "${name}": it must be non-empty, with no spaces and no '+'`);
  // A key for detente/demo/southern-syria becomes detente_demo_southern-syria.key.
  const out = args.values.out ?? `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.key`;

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
  process.stderr.write(`detente keys: wrote the signer key for ${name} to ${out} (keep it secret); its verifier key is above\n`);
  return 0;
}
