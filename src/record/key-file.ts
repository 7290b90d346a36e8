// Signer key files, read by the server and the CLI only: kept apart from keys.ts so that
// the record's code the browser runs needs no file system.

import { readFileSync } from 'node:fs';
import { RecordError } from './errors.ts';
import { parseSignerKey, type Signer } from './keys.ts';

/** Reads a signer key file (one line, as `detente keys new` writes it). */
export function readSignerKeyFile(path: string): Signer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RecordError('invalid', `cannot read signer key ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return parseSignerKey(text.trim());
  } catch (e) {
    throw new RecordError('invalid', `${path}: ${(e as Error).message}`);
  }
}
