// A log's record API and tlog-tiles answered as a fetch, without a server: for follower
// tests that need a log a server would refuse to hold (a replay, an edited history) or
// that must control when answers arrive.
import type { Log } from '../../src/record/log.ts';
import { parseStandardTilePath } from '../../src/record/standard-tiles.ts';

/** The tiles at /log/{arrangement}/tile/…; anything else is 404. */
export function tilesOf(log: Log): typeof fetch {
  return (async (input: string | URL | Request) => {
    const path = new URL(String(input)).pathname;
    const m = /^\/log\/[^/]+\/tile\/(.+)$/.exec(path);
    if (!m) return new Response('not found', { status: 404 });
    const t = parseStandardTilePath(m[1]);
    const body = t.kind === 'entries' ? await log.entryBundle(t.index, t.width) : await log.standardTile(t.level, t.index, t.width);
    return new Response(Buffer.from(body));
  }) as typeof fetch;
}

/** The tiles, and the record's key and checkpoint: what a follower's round reads. */
export function servedRecord(log: Log): typeof fetch {
  const tiles = tilesOf(log);
  return (async (input: string | URL | Request) => {
    const path = new URL(String(input)).pathname;
    if (path.endsWith('/record/key')) return new Response(`${log.verifierKey}\n`);
    if (path.endsWith('/record/checkpoint')) return new Response(log.checkpoint());
    return tiles(input);
  }) as typeof fetch;
}
