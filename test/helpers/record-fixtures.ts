// Shared fixtures for the record's tests: keys, distinct signed entries, temp dirs.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, parseSignerKey, type Signer } from '../../src/record/keys.ts';
import { buildEntry } from '../../src/record/statement.ts';

export const ORIGIN = 'detente/test/southern-syria';

export function newSigner(name: string): Signer {
  return parseSignerKey(generateKey(name).skey);
}

/** `count` distinct entries signed in turn by the signers, numbered from `start`. */
export function makeEntries(count: number, signers: Signer[], start = 0): Uint8Array[] {
  const base = Date.UTC(2025, 5, 1);
  return Array.from({ length: count }, (_, k) => {
    const i = start + k;
    const signer = signers[i % signers.length];
    return buildEntry(
      signer,
      { type: 'monitor.report', arrangement: 'southern-syria', body: { seq: i, text: `report ${i}` }, time: new Date(base + i * 1000).toISOString() },
      new Date(base + i * 1000 + 250),
    );
  });
}

export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'detente-record-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
