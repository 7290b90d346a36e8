// Reading an arrangement from disk: YAML or JSON (parsed with one YAML parser
// so that both give line numbers), GeoJSON files beside it, validation of the
// whole, and compilation of its zones. Fails with every problem at once.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { ArrangementError, IssueList, type Issue, type PathPart } from './issues.ts';
import { compileArrangement, type Arrangement } from './compile.ts';
import type { GeoFileReader } from './geojson.ts';
import { validateDocument } from './validate.ts';

/** The largest arrangement or GeoJSON file read: a guard against reading a wrong, huge file. */
const MAX_BYTES = 256 * 1024 * 1024;

function readText(path: string): string {
  const st = statSync(path);
  if (!st.isFile()) throw new Error('not a file');
  if (st.size > MAX_BYTES) throw new Error(`larger than ${MAX_BYTES / 1048576} MiB`);
  return readFileSync(path, 'utf8');
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file';
  if (err?.code === 'EACCES') return 'permission denied';
  if (err?.code === 'EISDIR') return 'is a directory';
  return err?.message ?? String(e);
}

/** GeoJSON files are read relative to the arrangement file (each read once), and kept by the name written. */
function geoReader(baseDir: string, shown: (p: string) => string, files: Map<string, unknown>): GeoFileReader {
  const cache = new Map<string, ReturnType<GeoFileReader>>();
  return (file) => {
    const full = isAbsolute(file) ? file : resolve(baseDir, file);
    const name = shown(full);
    let r = cache.get(full);
    if (!r) {
      try {
        r = { json: JSON.parse(readText(full)), name };
      } catch (e) {
        r = { error: `cannot read GeoJSON file ${name}: ${e instanceof SyntaxError ? 'not valid JSON: ' + e.message : reason(e)}`, name };
      }
      cache.set(full, r);
    }
    if ('json' in r) files.set(file, r.json);
    return r;
  };
}

function locate(doc: Document, lc: LineCounter, issue: Issue): void {
  // The issue's own node, or the nearest ancestor that exists (a missing key points at its parent).
  for (let n = issue.path.length; n >= 0; n--) {
    const node = doc.getIn(issue.path.slice(0, n) as PathPart[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      const pos = lc.linePos(node.range[0]);
      issue.line = pos.line;
      issue.column = pos.col;
      return;
    }
  }
}

export interface ParseOptions {
  /** the name shown in errors */
  file: string;
  /** where GeoJSON files named in the document are looked up */
  baseDir: string;
}

/**
 * An arrangement with what it was read from: the plain document and its GeoJSON
 * reader, so that rules proposed later (a draft's clauses) can be checked against it
 * by the same validation.
 */
export interface ArrangementSource {
  arrangement: Arrangement;
  file: string;
  value: unknown;
  read: GeoFileReader;
  /** the GeoJSON files the document names, as written there, with their content */
  geoFiles: ReadonlyMap<string, unknown>;
}

/** Parses and checks arrangement text (YAML or JSON). Throws ArrangementError listing every problem. */
export function parseArrangement(text: string, opts: ParseOptions): Arrangement {
  return parseArrangementSource(text, opts).arrangement;
}

/** parseArrangement, keeping the source for later amendments. */
export function parseArrangementSource(text: string, opts: ParseOptions): ArrangementSource {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    throw new ArrangementError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return {
          file: opts.file,
          path: [],
          message: 'not valid YAML or JSON: ' + e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
          ...(pos ? { line: pos.line, column: pos.col } : {}),
        };
      }),
    );
  }
  const cwd = process.cwd();
  const shown = (p: string) => {
    const r = relative(cwd, p);
    return r && !r.startsWith('..') ? r : p;
  };
  const out = new IssueList(opts.file);
  const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  const geoFiles = new Map<string, unknown>();
  const read = geoReader(opts.baseDir, shown, geoFiles);
  const checked = validateDocument(value, out, read);
  if (out.issues.length || !checked) {
    for (const i of out.issues) if (i.file === opts.file) locate(doc, lc, i);
    throw new ArrangementError(out.issues.length ? out.issues : [{ file: opts.file, path: [], message: 'not a valid arrangement' }]);
  }
  return { arrangement: compileArrangement(checked), file: opts.file, value, read, geoFiles };
}

/** Reads, checks and compiles an arrangement file. */
export function loadArrangement(path: string): Arrangement {
  return loadArrangementSource(path).arrangement;
}

/** loadArrangement, keeping the source for later amendments. */
export function loadArrangementSource(path: string): ArrangementSource {
  let text: string;
  try {
    text = readText(path);
  } catch (e) {
    throw new ArrangementError([{ file: path, path: [], message: `cannot read the arrangement: ${reason(e)}` }]);
  }
  return parseArrangementSource(text, { file: path, baseDir: dirname(resolve(path)) });
}
