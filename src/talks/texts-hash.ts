// What a stance on a clause in several languages binds: the SHA-256 of the canonical
// JSON of `{ prevailing, texts }` (keys sorted, as RFC 8785 writes them for these
// string-only objects). A stance carries it so that a party's acceptance is of the
// texts as it read them, every language included.

import { createHash } from 'node:crypto';
import type { ClauseTexts } from './texts.ts';

export function textsHash(c: ClauseTexts): string | undefined {
  if (c.texts === undefined || c.prevailing === undefined) return undefined;
  const texts = Object.fromEntries(
    Object.keys(c.texts)
      .sort()
      .map((k) => [k, c.texts![k]]),
  );
  return createHash('sha256')
    .update(JSON.stringify({ prevailing: c.prevailing, texts }), 'utf8')
    .digest('hex');
}
