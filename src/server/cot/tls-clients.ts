// The TLS port's answer to "who is this?": a client certificate the deployment's CA
// signed, whose subject common name (the name a TAK server takes as the user's) is
// mapped, in a JSON file the operator keeps, to an actor and a device:
//   { "il-unit-7": { "actor": "il", "device": "ANDROID-7" }, … }
// A certificate the CA did not sign never gets this far (TLS refuses it); one it
// signed but the file does not name is refused here.
import { readFileSync } from 'node:fs';

export interface ClientEntry {
  actor: string;
  device?: string;
}

export class ClientMapError extends Error {}

/** Reads and checks the map: every entry names an actor of the arrangement. */
export function readClientMap(file: string, actors: ReadonlySet<string> | ReadonlyMap<string, unknown>): Map<string, ClientEntry> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ClientMapError(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ClientMapError(`${file}: an object mapping certificate common names to { "actor", "device"? }`);
  const out = new Map<string, ClientEntry>();
  for (const [cn, entry] of Object.entries(value)) {
    const e = entry as Partial<ClientEntry> | null;
    if (typeof e !== 'object' || e === null || typeof e.actor !== 'string' || (e.device !== undefined && typeof e.device !== 'string'))
      throw new ClientMapError(`${file}: "${cn}": { "actor": ID, "device"?: NAME }`);
    if (!actors.has(e.actor)) throw new ClientMapError(`${file}: "${cn}": no actor "${e.actor}" in the arrangement`);
    out.set(cn, { actor: e.actor, ...(e.device !== undefined ? { device: e.device } : {}) });
  }
  return out;
}

/** The common name of a peer certificate's subject as node:tls gives it (a repeated CN: the last, the most specific). */
export function commonName(subject: Record<string, string | string[]> | undefined): string | undefined {
  const cn = subject?.CN;
  return Array.isArray(cn) ? cn[cn.length - 1] : cn;
}
