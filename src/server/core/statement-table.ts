// The one dispatch of recorded statements to the state they change. The live path
// and replay both apply a statement through this table, after it is durable and in
// log order, so a restart can only reach the state the live run had.
import type { JsonObject } from '../../record/canonical.ts';
import type { Statement } from '../../record/statement.ts';

/** A statement as it is applied: the recorded statement and its body opened (sealed content read). */
export interface Recorded {
  statement: Statement;
  /** the body with sealed content opened; the statement's own body when nothing is sealed */
  body: JsonObject;
  /** the sealed hash when the recorded body is only `{ sealed }` */
  sealed?: string;
  /** the entry's index in the record */
  index: number;
  /** the verifier key the entry is signed with (the writer reads it off the entry when not given) */
  key?: string;
}

export type Handler = (r: Recorded) => void;

export class StatementTable {
  private readonly exact = new Map<string, Handler>();
  private readonly prefixes: [string, Handler][] = [];

  /** Handles statements of this type, or of every type starting with it when it ends in '.'. */
  on(type: string, handler: Handler): this {
    if (type.endsWith('.')) this.prefixes.push([type, handler]);
    else this.exact.set(type, handler);
    return this;
  }

  handles(type: string): boolean {
    return this.exact.has(type) || this.prefixes.some(([p]) => type.startsWith(p));
  }

  apply(r: Recorded): void {
    const t = r.statement.type;
    const h = this.exact.get(t) ?? this.prefixes.find(([p]) => t.startsWith(p))?.[1];
    // A statement nobody handles would be skipped live and on replay alike, but it
    // means the record holds something this server does not understand: refuse it.
    if (!h) throw new Error(`entry ${r.index}: no handler for statement type "${t}"`);
    h(r);
  }
}
