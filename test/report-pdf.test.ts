// `detente report` over a record the server wrote: the report lists exactly the findings
// of the period each actor may read (as the server's GET …/findings shows them to it),
// never writes into the data directory, and prints in every language: pages rendered to
// images (text extraction cannot judge Arabic or Hebrew) must hold ink, right-aligned for
// Arabic and Hebrew and left-aligned for English and Russian.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { reportModel } from '../src/cli/report.ts';
import { reportHtml } from '../src/report/html.ts';
import { findChromium, printPdf } from '../src/report/pdf.ts';
import { LANGS, STRINGS } from '../src/report/strings.ts';
import { detente } from './helpers/record-bundle.ts';
import { tempDir } from './helpers/record-fixtures.ts';
import { flush, inkLines, pdfInfo, popplerSkip, renderPage } from './helpers/page-ink.ts';
import { exampleRecord } from './helpers/report-record.ts';
import { ACTORS, EXAMPLE } from './helpers/server.ts';

const chromiumSkip = (() => {
  try {
    findChromium();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
})();

const FROM = '2026-01-01T00:00:00Z';
const TO = '2026-02-15T00:00:00Z';

/** A transition as both sides name it (the record leaves out the triggering report's id; the seq is the server's). */
function key(f: Record<string, unknown>): string {
  return JSON.stringify([f.time, f.rule, f.finding, f.state, f.actor ?? null, f.zone ?? null, f.units ?? null]);
}

/**
 * Every file's time and content digest, SQLite's -wal and -shm companions aside: a
 * reader of a WAL database creates them empty when they are missing and marks the shared
 * index, as every reader (export too) does; the databases themselves must not change.
 */
function snapshot(dir: string, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) snapshot(p, out);
    else if (!name.endsWith('-shm') && !name.endsWith('-wal')) out[p] = `${st.mtimeMs} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
  }
  return out;
}

test('detente report over the example record', { timeout: 600_000 }, async (t) => {
  const dir = tempDir(t, 'detente-report-');
  const data = join(dir, 'data');
  const seen = await exampleRecord(data);
  const before = snapshot(data);
  const opts = { data, arrangement: 'southern-syria', arrangementFile: EXAMPLE };

  await t.test('it lists exactly the findings of the period that each actor may read', async () => {
    const from = Date.parse(FROM);
    const to = Date.parse(TO);
    const all = seen.get('ru')!;
    const inPeriod = all.filter((f) => Date.parse(String(f.time)) >= from && Date.parse(String(f.time)) <= to);
    assert.ok(inPeriod.length > 0 && inPeriod.length < all.length, `the period holds some findings, not all (${inPeriod.length} of ${all.length})`);
    for (const actor of ACTORS) {
      const { model } = await reportModel({ ...opts, from, to, as: actor });
      const want = seen
        .get(actor)!
        .filter((f) => Date.parse(String(f.time)) >= from && Date.parse(String(f.time)) <= to)
        .map(key)
        .sort();
      assert.deepEqual(model.findings.map((f) => key(f.recorded.item)).sort(), want, `as ${actor}`);
      // Paragraphs number the findings in order, after the introduction's.
      assert.deepEqual(
        model.findings.map((f) => f.para),
        model.findings.map((_, i) => model.introParas + i + 1),
      );
    }
    const tr = (await reportModel({ ...opts, as: 'tr' })).model.findings.length;
    assert.ok(tr < all.length, `a third party reads fewer findings than the mediator (${tr} of ${all.length})`);
  });

  await t.test('the CLI refuses what it cannot use, exit 2 naming the flag, writing nothing', () => {
    const out = join(dir, 'refused.pdf');
    const base = ['report', '--data', data, '--arrangement', 'southern-syria', '--out', out];
    for (const [args, message, env] of [
      [base, /--arrangement-file: .*reads lines.geojson, places.geojson, zones.geojson \(its zones, lines and places\)/, {}],
      [[...base, '--arrangement-file', EXAMPLE, '--as', 'nobody'], /--as: no actor "nobody"/, {}],
      [[...base, '--arrangement-file', new URL('../src/geo/testdata', import.meta.url).pathname], /--arrangement-file: /, {}],
      [[...base, '--arrangement-file', EXAMPLE], /CHROMIUM_PATH is \/nonexistent.*apt-get install chromium/, { CHROMIUM_PATH: '/nonexistent' }],
    ] as [string[], RegExp, Record<string, string>][]) {
      const r = spawnSync(process.execPath, [new URL('../bin/detente.js', import.meta.url).pathname, ...args], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.ok(!existsSync(out));
  });

  await t.test('the PDF in every language: pages with ink, aligned to the language’s side, with its title', { skip: chromiumSkip ?? popplerSkip }, async () => {
    const { model, arrangement } = await reportModel(opts);
    const chromium = findChromium();
    for (const lang of LANGS) {
      const s = STRINGS[lang];
      const pdf = join(dir, `report-${lang}.pdf`);
      await printPdf(reportHtml(model, lang), pdf, { chromium, pageWord: s.page, dir: s.dir });
      const info = pdfInfo(pdf);
      assert.ok(Number(info.Pages) > 1, `${lang}: ${info.Pages} pages`);
      assert.equal(info.Title, s.title(arrangement.title), `${lang}: the PDF's title`);
      for (const n of [1, 2]) {
        const page = renderPage(pdf, n);
        const ink = inkLines(page);
        assert.ok(ink.ink > 0.01, `${lang} page ${n} is not blank (ink ${ink.ink})`);
        assert.ok(ink.lines.length > 15, `${lang} page ${n} has lines of text (${ink.lines.length})`);
        // The page's margins are 20 mm of 210 mm on each side; the ink's box hugs the language's side.
        const margin = (page.width * 20) / 210;
        if (s.dir === 'rtl') assert.ok(Math.abs(page.width - ink.right - margin) < page.width * 0.02, `${lang} page ${n}: the ink hugs the right margin`);
        else assert.ok(Math.abs(ink.left - margin) < page.width * 0.02, `${lang} page ${n}: the ink hugs the left margin`);
        if (n !== 1) continue;
        // Page 1 is headings and short list items: their lines start (LTR) or end (RTL) flush, their other ends ragged.
        const f = flush(ink, page.width);
        if (s.dir === 'rtl') assert.ok(f.right > 2 * f.left, `${lang}: lines end flush right (${f.right}) rather than start flush left (${f.left})`);
        else assert.ok(f.left > 2 * f.right, `${lang}: lines start flush left (${f.left}) rather than end flush right (${f.right})`);
      }
      if (lang === 'en') {
        // Latin text extracts faithfully: every finding's record address is printed.
        const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
        for (const f of model.findings)
          assert.ok(text.includes(`entry ${f.recorded.address.entry}, findings[${f.recorded.address.n}]`), `address of ¶${f.para}`);
        assert.ok(text.includes(model.record.root.slice(0, 12)), 'the checkpoint root');
      }
    }
  });

  await t.test('the CLI writes the report (Arabic, a period) and says what it holds', { skip: chromiumSkip ?? popplerSkip }, async () => {
    const out = join(dir, 'cli-ar.pdf');
    const r = detente([
      'report',
      '--data',
      data,
      '--arrangement',
      'southern-syria',
      '--arrangement-file',
      EXAMPLE,
      '--lang',
      'ar',
      '--from',
      FROM,
      '--to',
      TO,
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const { model } = await reportModel({ ...opts, from: Date.parse(FROM), to: Date.parse(TO) });
    assert.match(r.stdout, new RegExp(`: ${model.findings.length} finding\\(s\\) under ${model.sections.length} rule\\(s\\), as ru,`));
    assert.ok(Number(pdfInfo(out).Pages) > 1);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('partial')),
      [],
    );
  });

  assert.deepEqual(snapshot(data), before, 'the data directory is exactly as it was: the report wrote nothing into it');
  for (const f of readdirSync(join(data, 'record', 'southern-syria')).filter((n) => n.endsWith('-wal')))
    assert.equal(statSync(join(data, 'record', 'southern-syria', f)).size, 0, `${f} holds nothing written`);
});
