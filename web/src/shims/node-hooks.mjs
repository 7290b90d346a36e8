// A Node resolve hook that gives the record's modules the browser stand-ins for
// node:crypto (and the npm `buffer` package for the shims), so that the record code can be checked in Node exactly as
// the browser build runs it. Used by library-shimmed.test.ts (through node-hooks-register.mjs).
// The browser has no node:fs and the build has no stand-in for it: a record module the
// page runs that asks for it fails here as it would fail the build.
const here = new URL('./', import.meta.url);
const RECORD = new URL('../../../src/record/', import.meta.url).href;
const MAP = { 'node:crypto': new URL('crypto.ts', here).href };

// In Node a bare 'buffer' is Node's own module; the browser build gets the npm package.
const BUFFER_PACKAGE = new URL('../../../node_modules/buffer/index.js', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'buffer' && context.parentURL?.startsWith(here.href)) return next(BUFFER_PACKAGE, context);
  if ((specifier === 'node:fs' || specifier === 'fs') && context.parentURL?.startsWith(RECORD)) {
    throw new Error(`${context.parentURL.slice(RECORD.length)} imports ${specifier}, which the browser does not have`);
  }
  if (Object.hasOwn(MAP, specifier) && context.parentURL?.startsWith(RECORD)) {
    // Told on stderr, so that a test can see the record really ran on the stand-ins.
    process.stderr.write(`stand-in: ${specifier} for ${context.parentURL.slice(RECORD.length)}\n`);
    return next(MAP[specifier], context);
  }
  return next(specifier, context);
}
