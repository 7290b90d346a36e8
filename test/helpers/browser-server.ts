// One Chromium and one test server for a browser test file: started before its tests
// (not at all where browser tests skip, chromium.ts says why) and stopped after them.
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkip, launchChromium } from './chromium.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './server.ts';

export interface BrowserAndServer {
  browser: Browser;
  s: TestServer;
  /** the server's page, `http://127.0.0.1:<port>/` */
  url: string;
}

/**
 * Registers the file's before and after hooks. `started` gets the browser and the
 * server once both are up, for the file to keep and to give what its tests need
 * (reports, talks) before the first test runs.
 */
export function withBrowserAndServer(started: (b: BrowserAndServer) => void | Promise<void>, options: TestServerOptions = {}): void {
  let browser: Browser | undefined;
  let s: TestServer | undefined;
  before(async () => {
    if (browserSkip) return;
    browser = await launchChromium();
    s = await startTestServer(options);
    const url = `${await s.app.listen({ port: 0, host: '127.0.0.1' })}/`;
    await started({ browser, s, url });
  });
  after(async () => {
    await browser?.close();
    await s?.destroy();
  });
}
