// Debian's Chromium for the browser tests, and why a browser test cannot run here (no
// Chromium, or the web UI not built), so that each such test skips saying so.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WEB_DIST } from '../../src/server/static.ts';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const browserSkip: string | undefined = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM} (apt-get install chromium)`
  : !existsSync(join(WEB_DIST, 'index.html'))
    ? 'the web UI is not built (npm run build:web)'
    : undefined;
