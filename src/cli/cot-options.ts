// `detente serve`'s Cursor on Target flags: --cot-port N (plain TCP, TAK's <auth>), and
// --cot-tls-port N --cot-ca FILE --cot-cert FILE --cot-key FILE --cot-clients FILE
// (TLS with client certificates the CA signed, mapped by common name to actors).
import { readFileSync } from 'node:fs';
import type { CotTlsOptions } from '../server/cot/listener.ts';
import { ClientMapError, readClientMap } from '../server/cot/tls-clients.ts';
import { UsageError } from './args.ts';

export const COT_FLAGS = {
  'cot-port': undefined,
  'cot-tls-port': undefined,
  'cot-ca': undefined,
  'cot-cert': undefined,
  'cot-key': undefined,
  'cot-clients': undefined,
};

function port(flag: string, v: string): number {
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new UsageError(`--${flag} must be a number from 0 to 65535, not "${v}"`);
  return Number(v);
}

function read(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(`--${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The CoT listener's options from the parsed flags, or undefined when none was given. */
export function cotOptions(v: Record<string, string | undefined>, actors: ReadonlySet<string>): { port?: number; tls?: CotTlsOptions } | undefined {
  const tlsFlags = ['cot-ca', 'cot-cert', 'cot-key', 'cot-clients'] as const;
  const plain = v['cot-port'] === undefined ? undefined : port('cot-port', v['cot-port']);
  if (v['cot-tls-port'] === undefined) {
    const stray = tlsFlags.find((k) => v[k] !== undefined);
    if (stray) throw new UsageError(`--${stray} goes with --cot-tls-port`);
    return plain === undefined ? undefined : { port: plain };
  }
  const missing = tlsFlags.filter((k) => v[k] === undefined);
  if (missing.length) throw new UsageError(`--cot-tls-port needs ${missing.map((k) => `--${k} FILE`).join(', ')}`);
  let clients: CotTlsOptions['clients'];
  try {
    clients = readClientMap(v['cot-clients']!, actors);
  } catch (e) {
    if (e instanceof ClientMapError) throw new UsageError(`--cot-clients ${e.message}`);
    throw e;
  }
  const tls: CotTlsOptions = {
    port: port('cot-tls-port', v['cot-tls-port']),
    ca: read('cot-ca', v['cot-ca']!),
    cert: read('cot-cert', v['cot-cert']!),
    key: read('cot-key', v['cot-key']!),
    clients,
  };
  return { ...(plain !== undefined ? { port: plain } : {}), tls };
}
