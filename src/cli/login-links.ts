// The lines `detente demo` and `detente serve` print so that each actor can open the
// page logged in: one per actor, its name, its role and a link carrying its token.
// The token is a secret of that actor: the lines go to the terminal of whoever started
// the server (who holds tokens.json anyway), never into a log or a page.
import type { Actor } from '../policy/policy.ts';

export interface LoginLinkSource {
  readonly actors: ReadonlyMap<string, Pick<Actor, 'role'> & { name?: string }>;
  readonly tokens: Readonly<Record<string, string>>;
}

export function loginLinks(url: string, d: LoginLinkSource, indent = '    ', arrangement?: string): string[] {
  // A server of several arrangements: the link opens the page on this one (web/src/api/arrangement-choice.ts).
  const also = arrangement === undefined ? '' : `&arrangement=${encodeURIComponent(arrangement)}`;
  const out: string[] = [];
  for (const [id, actor] of d.actors) {
    const token = d.tokens[id];
    if (token === undefined) continue;
    out.push(`${indent}${(actor.name ?? id).padEnd(16)} ${actor.role.padEnd(12)} ${url}?token=${encodeURIComponent(token)}${also}`);
  }
  return out;
}
