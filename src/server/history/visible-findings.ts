// The finding transitions a reader may read, in book order, read a page at a time: each
// page is taken in one synchronous pass from a fresh read of the book (older pages from
// the derived store), so transitions booked while a long export streams neither shift
// nor repeat what it reads. It stops at the book's size when it started.
import type { Actor } from '../../policy/policy.ts';
import type { JsonObject } from '../../record/canonical.ts';
import type { BookedFinding, FindingsBook } from '../findings-book.ts';

const PAGE = 1000;

export interface FindingReader {
  book: FindingsBook;
  readsFinding(reader: Actor, concerned: readonly string[]): boolean;
  findingView(reader: Actor, b: BookedFinding): JsonObject;
}

/** Every transition (booked so far) in pages; the caller decides who reads what. */
export function* bookPages(book: FindingsBook): Generator<BookedFinding> {
  const end = book.size;
  let last = 0;
  while (last < end) {
    const page: BookedFinding[] = [];
    for (const b of book.after(last)) {
      if (b.seq > end) break;
      page.push(b);
      if (page.length >= PAGE) break;
    }
    if (page.length === 0) return;
    last = page[page.length - 1].seq;
    yield* page;
  }
}

/** The transitions this reader may read, as it may read them (GET …/findings's view). */
export function* visibleFindings(src: FindingReader, reader: Actor): Generator<JsonObject> {
  for (const b of bookPages(src.book)) if (src.readsFinding(reader, b.actors)) yield src.findingView(reader, b);
}
