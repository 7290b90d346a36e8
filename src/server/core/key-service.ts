// The key book as a service of the deployment: who may sign for which actor. Every entry
// is admitted on the head (the book with every accepted entry applied, durable or not
// yet) before it is appended, in the same synchronous step that moves the head, so two
// concurrent rotations by one key cannot both pass. The applied book follows the record
// in log order, live and on replay alike, and is what a snapshot keeps.
import type { JsonObject } from '../../record/canonical.ts';
import { ARRANGEMENT, KEY, KeyBook, type KeyBookJson } from '../../record/key-book.ts';
import { Forbidden } from '../errors.ts';
import type { Recorded, StatementTable } from './statement-table.ts';

export class KeyService {
  private applied: KeyBook;
  private head: KeyBook;
  /** the index the next admitted entry will most likely take (for messages) */
  private nextIndex: number;

  constructor(logKey: string, size: number, restored?: KeyBookJson) {
    this.applied = restored ? KeyBook.fromJSON(restored) : new KeyBook([logKey]);
    this.head = KeyBook.fromJSON(this.applied.toJSON());
    this.nextIndex = size;
  }

  register(table: StatementTable): void {
    table.on(KEY, (r) => this.apply(r));
  }

  /** The book as recorded and applied. */
  get book(): KeyBook {
    return this.applied;
  }

  /** The head book: what the next entry is judged by. */
  get current(): KeyBook {
    return this.head;
  }

  /**
   * Refuses (403, naming the key and why) an entry the head book does not admit. Callers
   * check before they reserve anything (report ids, the talks' head), so that the
   * admission in the writer, in the same synchronous step, does not refuse.
   */
  check(author: string, key: string, type: string, body: JsonObject): void {
    const a = this.head.admit(author, key, type, body, this.nextIndex);
    if (!a.ok) throw new Forbidden(a.reason.replace(/^entry \d+: /, ''), 'key');
  }

  /** check(), then moves the head past the entry. */
  admit(author: string, key: string, type: string, body: JsonObject): void {
    this.check(author, key, type, body);
    this.head.apply(author, key, type, body, this.nextIndex);
    this.nextIndex++;
  }

  /** Applies a recorded entry (genesis, key statements, and in a legacy record an author's first key). */
  apply(r: Recorded): void {
    if (r.key === undefined) throw new Error(`entry ${r.index}: applied without its key`);
    this.applied.apply(r.statement.author, r.key, r.statement.type, r.statement.body, r.index);
  }

  /** Ordinary entries move the book only in a record from before the key book (an author's first key is pinned). */
  pinned(r: Recorded): void {
    if (this.applied.state !== 'keyed' && r.statement.type !== KEY && r.statement.type !== ARRANGEMENT) this.apply(r);
  }

  /** After replaying the stored record, entries are judged on what it left. */
  replayed(size: number): void {
    this.head = KeyBook.fromJSON(this.applied.toJSON());
    this.nextIndex = size;
  }

  snapshot(): KeyBookJson {
    return this.applied.toJSON();
  }
}
