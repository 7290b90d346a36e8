// The record as C2SP tlog-tiles at /log/{arrangement}/ (spec/witness.md; standard-tiles.ts
// in the record): checkpoint, tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>], read
// only, so that a party's mirror, a witness or any standard tlog client reads the log
// with its own tools, and a cache can hold it. Until restricted content is behind
// commitments the entries must not become public through here, so by default /log asks
// for the API's bearer token (app.ts) and whoever may read the record may read it; with
// `public` it is open to all and shared caches may keep it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canSee } from '../../policy/policy.ts';
import { RecordError } from '../../record/errors.ts';
import { parseStandardTilePath, STANDARD_TILE_WIDTH } from '../../record/standard-tiles.ts';
import { allow } from '../allow.ts';
import type { Deployment } from '../deployment.ts';
import { BadRequest, Forbidden, NotFound } from '../errors.ts';
import { seatIn } from '../seat-in.ts';

export interface LogTilesOptions {
  /** serve without a token (default false: the API's bearer token is required) */
  public?: boolean;
}

/**
 * The checkpoint a tlog client starts from: the witnessed one (spec/witness.md) when the
 * arrangement names witnesses — none until a quorum has cosigned — else the log's own.
 */
export function logCheckpoint(d: Deployment): string | undefined {
  return d.witnessing ? d.witnessing.witnessed?.note : d.log.checkpoint();
}

const TAG = ['log (tlog-tiles)'];
const LogParams = z.object({ id: z.string().describe('arrangement id') });
const TileParams = LogParams.extend({ '*': z.string().describe('<N>[.p/<W>], <N> in 3-digit groups (x001/x234/067)') });
const LevelTileParams = TileParams.extend({ '*': z.string().describe('<L>/<N>[.p/<W>], <N> in 3-digit groups (x001/x234/067)') });

export async function logTilesRoutes(app: FastifyInstance, opts: LogTilesOptions): Promise<void> {
  const open = opts.public === true;
  // A token's answer must not be kept by a shared cache and handed to callers without one.
  const scope = open ? 'public' : 'private';
  const IMMUTABLE = `${scope}, max-age=31536000, immutable`;
  // A partial tile never changes either, but it is superseded as the tree grows.
  const SHORT = `${scope}, max-age=5`;

  app.addHook('preHandler', async (req) => {
    const id = (req.params as { id?: string }).id;
    if (id === undefined) return; // the catch-all below
    // Each arrangement's log at /log/<its id>/, to a token with a part in it (or to all when public).
    seatIn(req, id, 'log');
  });

  /** The caller may read the record (and, for entries, the entries); nothing to ask when public. */
  const mayRead = (req: FastifyRequest, entries: boolean) => {
    if (open) return;
    const actor = allow(req, 'read-record');
    if (entries && !canSee(actor, { kind: 'entry' })) throw new Forbidden('the record is not open to this actor');
  };

  const serveTile = async (req: FastifyRequest, reply: FastifyReply, path: string) => {
    let tile: ReturnType<typeof parseStandardTilePath>;
    try {
      tile = parseStandardTilePath(path);
    } catch (e) {
      if (e instanceof RecordError) throw new BadRequest(e.message, [{ path: 'params.*', message: e.message }]);
      throw e;
    }
    mayRead(req, tile.kind === 'entries');
    const log = req.deployment.log;
    let body: Uint8Array;
    try {
      body = tile.kind === 'entries' ? await log.entryBundle(tile.index, tile.width) : await log.standardTile(tile.level, tile.index, tile.width);
    } catch (e) {
      if (e instanceof RecordError && e.code === 'out-of-range') throw new NotFound(e.message);
      // Anything else (a stored entry too long for a bundle, a damaged store) is the server's fault, not the path's.
      if (e instanceof RecordError) throw new Error(e.message);
      throw e;
    }
    reply.header('cache-control', tile.width === STANDARD_TILE_WIDTH ? IMMUTABLE : SHORT);
    return reply.type('application/octet-stream').send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  };

  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = open ? { security: [] } : {};

  r.get(
    '/log/:id/checkpoint',
    { schema: { tags: TAG, summary: "the log's checkpoint (C2SP signed note, text/plain)", params: LogParams, ...security } },
    async (req, reply) => {
      mayRead(req, false);
      reply.header('cache-control', 'no-cache');
      const note = logCheckpoint(req.deployment);
      if (note === undefined) throw new NotFound('no checkpoint has a quorum of witness cosignatures yet', 'checkpoint');
      return reply.type('text/plain; charset=utf-8').send(note);
    },
  );

  r.get(
    '/log/:id/tile/entries/*',
    {
      schema: {
        tags: TAG,
        summary: 'entry bundle <N>: entries 256N… each after its length as a big-endian uint16 (application/octet-stream)',
        params: TileParams,
        ...security,
      },
    },
    async (req, reply) => serveTile(req, reply, `entries/${req.params['*']}`),
  );

  r.get(
    '/log/:id/tile/*',
    {
      schema: {
        tags: TAG,
        summary: 'Merkle tile <L>/<N>: the hashes of the level-8L nodes 256N… (application/octet-stream)',
        params: LevelTileParams,
        ...security,
      },
    },
    async (req, reply) => serveTile(req, reply, req.params['*']),
  );

  // Nothing else under /log is the web UI's.
  const notFound = async (req: FastifyRequest) => {
    throw new NotFound(`no log resource ${req.url.split('?')[0]}`);
  };
  app.get('/log', { schema: { hide: true } }, notFound);
  app.get('/log/*', { schema: { hide: true } }, notFound);
}
