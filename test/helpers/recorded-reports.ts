// The reports a test server's record holds, as one actor can open them: raw items in
// the clear, and sealed ones opened through GET …/record/sealed/:hash (404: not its to read).
import type { TestServer } from './server.ts';

export async function recordedReports(s: TestServer, actor: string, api: string): Promise<Record<string, unknown>[]> {
  const res = await s.as(actor, 'GET', `${api}/record/entries?from=0&to=${s.deployment.log.size}`);
  if (res.statusCode !== 200) throw new Error(`${res.statusCode}: ${res.body}`);
  const out: Record<string, unknown>[] = [];
  const items: unknown[] = [];
  const walk = (v: unknown): void => {
    // Entries come as their JSON text.
    if (typeof v === 'string' && v.startsWith('{')) walk(JSON.parse(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.reports)) items.push(...o.reports);
      else for (const x of Object.values(o)) walk(x);
    }
  };
  walk(JSON.parse(res.body));
  for (const item of items) {
    const o = item as Record<string, unknown>;
    if (typeof o.sealed !== 'string') {
      out.push(o);
      continue;
    }
    const r = await s.as(actor, 'GET', `${api}/record/sealed/${o.sealed}`);
    if (r.statusCode === 200) out.push(JSON.parse(JSON.parse(r.body).content));
  }
  return out;
}
