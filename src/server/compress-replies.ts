// Large JSON replies (findings, history, posture, exports) go out compressed when the
// client accepts it. Only GET replies above a size are touched: the intake path (reports
// POSTed by the thousand) and small replies never pay for it. Brotli at a low quality
// compresses JSON nearly as well as gzip -9 at a fraction of the time.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { chooseCoding } from './accept-encoding.ts';

const br = promisify(brotliCompress);
const gz = promisify(gzip);

/** Replies smaller than this go out as they are: a few packets either way. */
export const COMPRESS_MIN_BYTES = 8 * 1024;

export function compressReplies(app: FastifyInstance, minBytes = COMPRESS_MIN_BYTES): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'GET' || reply.statusCode !== 200) return payload;
    // Streams (event streams, file downloads) and replies with a coding already are left alone.
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (reply.hasHeader('content-encoding')) return payload;
    if (!/^application\/(?:[\w.+-]*\+)?json\b/.test(String(reply.getHeader('content-type') ?? ''))) return payload;
    const size = Buffer.byteLength(payload);
    if (size < minBytes) return payload;
    reply.header('vary', 'Accept-Encoding');
    const coding = chooseCoding(req.headers['accept-encoding']);
    if (coding === 'identity') return payload;
    const body =
      coding === 'br'
        ? await br(payload, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: size } })
        : await gz(payload, { level: 6 });
    reply.header('content-encoding', coding);
    reply.removeHeader('content-length');
    return body;
  });
}
