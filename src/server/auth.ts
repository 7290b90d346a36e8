// Bearer tokens: each belongs to exactly one actor, whose role the policy consults.
// Tokens are compared by their SHA-256, so the lookup takes the same path whatever
// the token, and no token is kept in a form that a timing difference could reveal.
import { createHash } from 'node:crypto';
import type { Actor } from '../policy/policy.ts';

export class TokenTable {
  private readonly byDigest = new Map<string, Actor>();

  constructor(tokens: Record<string, string>, actors: ReadonlyMap<string, Actor>) {
    for (const [id, token] of Object.entries(tokens)) {
      const actor = actors.get(id);
      if (actor) this.byDigest.set(digest(token), actor);
    }
  }

  /** The actor whose token an Authorization header carries, if any. */
  actorFor(header: string | undefined): Actor | undefined {
    if (!header) return undefined;
    const m = /^Bearer[ ]+([\x21-\x7e]{1,512})[ ]*$/i.exec(header);
    return m ? this.byDigest.get(digest(m[1])) : undefined;
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
