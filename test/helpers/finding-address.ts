// Where a server recorded the finding of a rule: its findings statement's entry and item.
import { parseEntry } from '../../src/record/statement.ts';
import type { TestServer } from './server.ts';

/** The address of the recorded finding of this rule, in the server's findings statements. */
export async function findingAddress(s: TestServer, rule: string): Promise<{ entry: number; n: number }> {
  const log = s.deployment.log;
  const entries = await log.entries(0, log.size);
  for (let entry = 0; entry < entries.length; entry++) {
    const st = parseEntry(entries[entry]).statement;
    if (st.type !== 'findings') continue;
    const items = (st.body as { findings: { sealed?: string; rule?: string }[] }).findings;
    for (let n = 0; n < items.length; n++) {
      const it = items[n];
      const opened = it.sealed ? JSON.parse(Buffer.from((await log.openSealed(it.sealed, { entry, n }))!.content).toString('utf8')) : it;
      if (opened.rule === rule) return { entry, n };
    }
  }
  throw new Error(`no recorded finding of ${rule}`);
}
