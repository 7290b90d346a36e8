// The web UI's built files (web/dist), served at / with index.html for any other path
// that is not the API, so that the app's own routes survive a reload. The files are
// public; everything they show comes from the API, behind a token. Each goes out in the
// smallest coding the client accepts (precompressed at build time), with a tag for
// revalidation; hashed assets are cached for good, index.html is revalidated each time.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Coding, chooseCoding } from './accept-encoding.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.pbf': 'application/x-protobuf',
};

export const WEB_DIST = new URL('../../web/dist/', import.meta.url).pathname;

export function staticRoutes(app: FastifyInstance, root = WEB_DIST): void {
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    // The router has decoded the path once already; decoding again would make "%25" a
    // stray "%" (an exception), and "%252e%252e" a way up.
    const path = (req.params as { '*': string })['*'] ?? '';
    // The API's and the log's paths are never the UI's (nor their spellings with extra
    // slashes, which the router does not merge): an unknown one is a 404, in JSON.
    const bare = path.replace(/^\/+/, '');
    if (['api', 'log'].some((p) => bare === p || bare.startsWith(`${p}/`)))
      return reply.code(404).send({ error: `no route GET ${req.url.split('?')[0]}`, issues: [] });
    const file = normalize(join(root, path));
    // Nothing outside the root, whatever the path says.
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep) && file !== root) return reply.code(404).send({ error: 'not found', issues: [] });
    const target = (await isFile(file)) ? file : join(root, 'index.html');
    if (!(await isFile(target))) {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('The web UI is not built: run `npm run build:web` (npm install does it). The API is at /api/.\n');
    }
    const type = TYPES[extname(target)] ?? 'application/octet-stream';
    // Built assets carry a content hash in their names; index.html must be re-read.
    reply.header('cache-control', target.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    // The build wrote .br and .gz beside each text file (web/build/precompress.ts): the
    // smallest the client takes goes out as it is, nothing is compressed per request.
    const variants = new Map<Coding, string>();
    for (const [coding, ext] of [
      ['br', '.br'],
      ['gzip', '.gz'],
    ] as const)
      if (await isFile(target + ext)) variants.set(coding, target + ext);
    if (variants.size > 0) reply.header('vary', 'Accept-Encoding');
    const coding = chooseCoding(req.headers['accept-encoding'], new Set(variants.keys()));
    const sent = variants.get(coding) ?? target;
    const info = await stat(sent);
    // One tag per file and coding: a cached gzip body is never taken for the brotli one.
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}-${coding}"`;
    reply.header('etag', etag);
    if (coding !== 'identity') reply.header('content-encoding', coding);
    reply.type(type);
    if (matchesEtag(req.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.send(await readFile(sent));
  });
}

/** If-None-Match by weak comparison (RFC 9110 §13.1.2): a list of tags, or "*". */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
