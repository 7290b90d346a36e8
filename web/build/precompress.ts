// Writes a .br and a .gz beside each built file, once, at build time, so the server sends
// the smallest form a browser accepts without compressing anything per request
// (src/server/static.ts picks one by Accept-Encoding). Brotli at its highest quality is
// slow to write but free to read, which is the right trade for files built once.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const br = promisify(brotliCompress);
const gz = promisify(gzip);

/** Kinds worth compressing: text. Images and fonts are compressed already. */
const COMPRESSIBLE = /\.(html|js|mjs|css|json|svg|map|txt|pbf)$/;
/** Below this the headers outweigh what compression saves. */
const MIN_BYTES = 1024;
const LARGE_BYTES = 1536 * 1024;

export async function precompressFile(path: string): Promise<{ br?: number; gz?: number }> {
  const raw = await readFile(path);
  const out: { br?: number; gz?: number } = {};
  if (raw.length < MIN_BYTES) return out;
  const [b, g] = await Promise.all([
    br(raw, {
      params: {
        // The highest quality costs about a second a megabyte: kept for what most pages
        // load (the app, the map, the land near most places); the few large files (the
        // land of the largest countries, at full detail) get a quicker one.
        [constants.BROTLI_PARAM_QUALITY]: raw.length <= LARGE_BYTES ? constants.BROTLI_MAX_QUALITY : 9,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
    gz(raw, { level: 9 }),
  ]);
  // A compressed form no smaller than the file is left out: the server then sends the file.
  if (b.length < raw.length) {
    await writeFile(`${path}.br`, b);
    out.br = b.length;
  }
  if (g.length < raw.length) {
    await writeFile(`${path}.gz`, g);
    out.gz = g.length;
  }
  return out;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Compresses every compressible file under `dir` (the build's output). */
export async function precompressDir(dir: string): Promise<number> {
  const files: string[] = [];
  for await (const p of walk(dir)) if (COMPRESSIBLE.test(p) && (await stat(p)).size >= MIN_BYTES) files.push(p);
  await Promise.all(files.map(precompressFile));
  return files.length;
}

/** The vite plugin: runs once the bundle is written. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'detente-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    async closeBundle() {
      await precompressDir(outDir);
    },
  };
}
