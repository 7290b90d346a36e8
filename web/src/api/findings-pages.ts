// The findings booked so far, page after page from `since`: asked for by the boot beside
// the arrangement, since the list is the first thing the page shows. Only what the
// server releases to this token.
import type { Api } from './client.ts';
import type { BookedFindingView } from './types.ts';

const PAGE = 5000;

export async function findingsSince(api: Api, base: string, since: number): Promise<BookedFindingView[]> {
  const all: BookedFindingView[] = [];
  for (let after = since; ; ) {
    const page = await api.json<BookedFindingView[]>(`${base}/findings?since=${after}&limit=${PAGE}`);
    all.push(...page);
    if (page.length < PAGE) return all;
    for (const b of page) after = Math.max(after, b.seq);
  }
}
