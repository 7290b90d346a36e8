// Validates CoT events against MITRE's base-event schema with xmllint (Debian
// libxml2-utils), an independent XML Schema implementation: one file per event,
// one xmllint run for them all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const XSD = new URL('../../docs/spec/cot/event-base.xsd', import.meta.url).pathname;

export const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

/** Validates each document; returns xmllint's complaints (empty when every one is valid). */
export function xsdErrors(docs: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'detente-xsd-'));
  try {
    const files = docs.map((d, i) => {
      const f = join(dir, `e${i}.xml`);
      writeFileSync(f, `<?xml version="1.0" encoding="UTF-8"?>\n${d}\n`);
      return f;
    });
    const r = spawnSync('xmllint', ['--noout', '--schema', XSD, ...files], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.error) throw r.error;
    return r.stderr.split('\n').filter((l) => l && !l.endsWith(' validates'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
