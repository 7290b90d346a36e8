// The web UI's built files (web/dist), served at / with index.html for any other path
// that is not the API, so that the app's own routes survive a reload. The files are
// public; everything they show comes from the API, behind a token.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';

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
    return reply.type(type).send(await readFile(target));
  });
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
