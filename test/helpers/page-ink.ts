// Where the ink is on a rendered PDF page: pdftoppm (poppler-utils) renders it to a
// greyscale PGM, read here without any image library. Text extraction cannot judge
// Arabic or Hebrew (it reorders and splits them); the picture can: a right-to-left page
// has its lines ending flush at the right margin, a left-to-right one at the left.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

export const popplerSkip: string | undefined =
  spawnSync('pdftoppm', ['-v']).error || spawnSync('pdfinfo', ['-v']).error ? 'no pdftoppm/pdfinfo (apt-get install poppler-utils)' : undefined;

export interface Page {
  width: number;
  height: number;
  /** 0 black … 255 white, row by row */
  grey: Uint8Array;
}

/** Renders page `n` (from 1) of a PDF at `dpi` as greyscale. */
export function renderPage(pdf: string, n: number, dpi = 50): Page {
  const base = `${pdf}.page${n}`;
  const r = spawnSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(n), '-l', String(n), '-singlefile', pdf, base], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftoppm: ${r.stderr}`);
  const buf = readFileSync(`${base}.pgm`);
  rmSync(`${base}.pgm`);
  // P5 header: magic, width, height, maxval, each separated by whitespace; then the bytes.
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]))) i++;
    let tok = '';
    while (!/\s/.test(String.fromCharCode(buf[i]))) tok += String.fromCharCode(buf[i++]);
    fields.push(tok);
  }
  i++;
  if (fields[0] !== 'P5') throw new Error(`not a binary PGM: ${fields[0]}`);
  const [width, height] = [Number(fields[1]), Number(fields[2])];
  return { width, height, grey: buf.subarray(i, i + width * height) };
}

export interface InkLines {
  /** the share of dark pixels on the page */
  ink: number;
  /** each line of text (a band of rows with ink): its leftmost and rightmost dark column */
  lines: { left: number; right: number }[];
  /** the ink's bounding box columns */
  left: number;
  right: number;
}

/** The lines of ink on a page, the bottom `skipBottom` share (the footer) left out. */
export function inkLines(p: Page, skipBottom = 0.08): InkLines {
  const rows = Math.floor(p.height * (1 - skipBottom));
  let dark = 0;
  const lines: { left: number; right: number }[] = [];
  let cur: { left: number; right: number } | undefined;
  for (let y = 0; y < rows; y++) {
    let l = -1;
    let r = -1;
    for (let x = 0; x < p.width; x++) {
      if (p.grey[y * p.width + x] < 128) {
        dark++;
        if (l < 0) l = x;
        r = x;
      }
    }
    if (l >= 0) {
      if (cur) {
        cur.left = Math.min(cur.left, l);
        cur.right = Math.max(cur.right, r);
      } else cur = { left: l, right: r };
    } else if (cur) {
      lines.push(cur);
      cur = undefined;
    }
  }
  if (cur) lines.push(cur);
  return {
    ink: dark / (rows * p.width),
    lines,
    left: Math.min(...lines.map((x) => x.left)),
    right: Math.max(...lines.map((x) => x.right)),
  };
}

/** How many lines start flush with the ink's left edge, and how many end flush with its right (within `tol` of the width). */
export function flush(ink: InkLines, width: number, tol = 0.02): { left: number; right: number } {
  const t = width * tol;
  return {
    left: ink.lines.filter((l) => l.left - ink.left <= t).length,
    right: ink.lines.filter((l) => ink.right - l.right <= t).length,
  };
}

/** pdfinfo's fields (Title, Pages, …). */
export function pdfInfo(pdf: string): Record<string, string> {
  const r = spawnSync('pdfinfo', ['-enc', 'UTF-8', pdf], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdfinfo: ${r.stderr}`);
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
  );
}
