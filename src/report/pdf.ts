// Prints the report's HTML to PDF in the system's Chromium (driven by playwright-core),
// which shapes Arabic and Hebrew and lays them out right to left given the fonts. The
// page is offline: every request it would make is refused. The PDF is written beside
// its destination and renamed into place, so a failure leaves nothing half-written.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const COMMON_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export class NoChromium extends Error {}

/** Where Chromium is: CHROMIUM_PATH when set (and there), else the usual places. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.CHROMIUM_PATH;
  if (given !== undefined && given !== '') {
    if (existsSync(given)) return given;
    throw new NoChromium(`CHROMIUM_PATH is ${given}, which does not exist; install Chromium (Debian: apt-get install chromium) or correct the path`);
  }
  const found = COMMON_PATHS.find((p) => existsSync(p));
  if (!found)
    throw new NoChromium(`no Chromium found (looked in ${COMMON_PATHS.join(', ')}); install it (Debian: apt-get install chromium) or set CHROMIUM_PATH`);
  return found;
}

export interface PrintOptions {
  chromium: string;
  /** the footer's word for "page" */
  pageWord: string;
  dir: 'ltr' | 'rtl';
}

export async function printPdf(html: string, out: string, o: PrintOptions): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: o.chromium, args: ['--no-sandbox', '--disable-gpu'] });
  const tmp = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div dir="${o.dir}" style="font-size:8pt;width:100%;text-align:center;color:#555">${o.pageWord} <span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
      tagged: true,
      outline: true,
    });
    writeFileSync(tmp, pdf, { flag: 'wx' });
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    await browser.close();
  }
}
