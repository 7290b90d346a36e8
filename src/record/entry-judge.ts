// Every entry of a record judged in order, as a party's client judges it: its author's
// signature, the genesis and its endorsements, the key book (the key valid at that
// index), and no signed statement twice. One judge for `detente verify` (bundle.ts) and
// the web client (web/src/record/replay-record.ts), so that neither re-implements it.
import { judgeGenesis } from './genesis.ts';
import { ARRANGEMENT, KeyBook, step } from './key-book.ts';
import { verifyStatement, type Entry } from './statement.ts';

export class EntryJudge {
  /** what the reader should know but is no failure (a record from before keys were recorded) */
  readonly notes: string[] = [];
  private readonly book: KeyBook;
  private readonly seen = new Map<string, number>();
  private next = 0;

  /** `logKey`: the log's verifier key, which signs only for the author it is named with. */
  constructor(logKey: string) {
    this.book = new KeyBook([logKey]);
  }

  /** How many entries were judged and passed. */
  get size(): number {
    return this.next;
  }

  /**
   * The reason the next entry is refused, or undefined once it is judged and applied.
   * Entries must come in order, from index 0; after a refusal the judge takes no more.
   */
  judge(entry: Entry): string | undefined {
    const index = this.next;
    try {
      verifyStatement(entry);
    } catch (e) {
      return (e as Error).message;
    }
    const { author, type, body } = entry.statement;
    if (index === 0) {
      if (type !== ARRANGEMENT) {
        this.book.beginLegacy();
        this.notes.push('the record does not begin with its arrangement: genesis has no endorsements');
      } else {
        const g = judgeGenesis(entry);
        if (!g.keyed) this.notes.push('genesis has no endorsements (a record from before keys were recorded)');
        else if (g.gaps.length > 0) return g.gaps.join('; ');
      }
    }
    const refused = step(this.book, author, entry.key, type, body, index);
    if (refused !== undefined) return refused.replace(/^entry \d+: /, '');
    const earlier = this.seen.get(entry.sig);
    if (earlier !== undefined) return `replays entry ${earlier} (the same signed statement)`;
    this.seen.set(entry.sig, index);
    this.next++;
    return undefined;
  }
}
