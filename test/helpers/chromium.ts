// Debian's Chromium for the browser tests, and why a browser test cannot run here (no
// Chromium, or the web UI not built), so that each such test skips saying so.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import { WEB_DIST } from '../../src/server/static.ts';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const browserSkip: string | undefined = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM} (apt-get install chromium)`
  : !existsSync(join(WEB_DIST, 'index.html'))
    ? 'the web UI is not built (npm run build:web)'
    : undefined;

/** Headless Debian Chromium for a browser test: no sandbox (root in CI), nothing fetched from the network on its own. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
