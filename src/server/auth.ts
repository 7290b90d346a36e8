// Bearer tokens: each belongs to one actor of one arrangement, whose role the policy
// consults there. Tokens are compared by their SHA-256, so the lookup takes the same
// path whatever the token, and no token is kept in a form that a timing difference could
// reveal.
import { createHash } from 'node:crypto';
import type { Actor } from '../policy/policy.ts';

const BEARER = /^Bearer[ ]+([\x21-\x7e]{1,512})[ ]*$/i;

function tokenOf(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/** One arrangement's tokens (the CoT listener serves one arrangement). */
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
    const token = tokenOf(header);
    return token === undefined ? undefined : this.byDigest.get(digest(token));
  }
}

/** Where a token has a part: arrangement id → the actor it acts for there. */
export type Seats = ReadonlyMap<string, Actor>;

export interface TokenSource {
  id: string;
  tokens: Record<string, string>;
  actors: ReadonlyMap<string, Actor>;
}

/**
 * The tokens of every arrangement a server runs. A token normally has one seat; an
 * operator may list the same token in several arrangements' token files (one person
 * acting in several), and it then names an actor in each. An arrangement's tokens can be
 * replaced while the server runs (a revoked token is refused at once).
 */
export class SeatTable {
  private readonly byArrangement = new Map<string, Map<string, Actor>>();
  private byDigest = new Map<string, Map<string, Actor>>();
  /** arrangement ids in the order the server runs them */
  readonly order: readonly string[];

  constructor(sources: readonly TokenSource[]) {
    this.order = sources.map((s) => s.id);
    for (const s of sources) this.byArrangement.set(s.id, seatsOf(s));
    this.index();
  }

  /** Replaces an arrangement's tokens (read again from its file after a revocation). */
  replace(s: TokenSource): void {
    if (!this.byArrangement.has(s.id)) return;
    this.byArrangement.set(s.id, seatsOf(s));
    this.index();
  }

  /** Every seat the token in an Authorization header has, in the server's order; undefined when none. */
  seatsFor(header: string | undefined): Seats | undefined {
    const token = tokenOf(header);
    return token === undefined ? undefined : this.byDigest.get(digest(token));
  }

  private index(): void {
    const next = new Map<string, Map<string, Actor>>();
    for (const id of this.order)
      for (const [d, actor] of this.byArrangement.get(id) ?? []) {
        let seats = next.get(d);
        if (!seats) next.set(d, (seats = new Map()));
        seats.set(id, actor);
      }
    this.byDigest = next;
  }
}

function seatsOf(s: TokenSource): Map<string, Actor> {
  const m = new Map<string, Actor>();
  for (const [id, token] of Object.entries(s.tokens)) {
    const actor = s.actors.get(id);
    if (actor && typeof token === 'string') m.set(digest(token), actor);
  }
  return m;
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
