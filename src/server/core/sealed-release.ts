// GET …/record/sealed/:hash (design §2): sealed content released per the policy. A talks
// item's content goes to whom the talks policy lets read it; a report's, per the
// disclosure policy: in full with its salt (so the reader checks it against the
// commitment), coarsened without the salt, or not at all, which answers exactly like an
// unknown commitment. Who filed a report is read from its entry, found through the
// derived index of sealed reports: nothing per report is held in memory.
import { coarsen } from '../../monitor/coarsen.ts';
import type { Finding } from '../../monitor/findings.ts';
import { type Coarsening, disclosureOf, readsInFull } from '../../policy/disclosure.ts';
import { type Actor, canSee } from '../../policy/policy.ts';
import { canonicalJson, type JsonObject } from '../../record/canonical.ts';
import { encodeBase64 } from '../../record/encoding.ts';
import type { Log } from '../../record/log.ts';
import { contentOf, type SealingContext } from './report-sealing.ts';
import { FINDINGS } from './statement-types.ts';
import { releaseItem, type SealedOwner } from '../../talks/view.ts';

export type Release = { sealed: string; salt: string; content: string } | { sealed: string; coarse: Coarsening; content: string };

export interface ReleaseSources {
  log: Log;
  actors: ReadonlyMap<string, Actor>;
  /** the talks' record of who wrote a sealed talks item, and for whom */
  talksOwner(hash: string): SealedOwner | undefined;
  /** who made the sealed dispute with this hash, if it is one */
  disputeOwner(hash: string): string | undefined;
  /** where a sealed report or finding sits */
  reportAt(hash: string): { entry: number; n: number } | undefined;
  /** the actors a finding is about (whom the findings disclosure calls concerned) */
  concerned(f: Pick<Finding, 'actor' | 'units'>): string[];
  sealing(): SealingContext;
}

export async function releaseSealed(src: ReleaseSources, reader: Actor, hash: string): Promise<Release | undefined> {
  const owner = src.talksOwner(hash);
  if (owner) {
    if (!canSee(reader, releaseItem(owner))) return undefined;
    const s = await src.log.getSealed(hash);
    return s && { sealed: s.sealed, salt: encodeBase64(s.salt), content: Buffer.from(s.content).toString('utf8') };
  }
  const disputant = src.disputeOwner(hash);
  if (disputant !== undefined) {
    if (!canSee(reader, { kind: 'dispute', author: disputant })) return undefined;
    const s = await src.log.getSealed(hash);
    return s && { sealed: s.sealed, salt: encodeBase64(s.salt), content: Buffer.from(s.content).toString('utf8') };
  }
  const at = src.reportAt(hash);
  if (!at) return undefined;
  const s = await src.log.openSealed(hash, at);
  if (!s) return undefined;
  const entry = JSON.parse(Buffer.from(await src.log.entry(at.entry)).toString('utf8')) as { statement: { author: string; type: string } };
  const text = Buffer.from(s.content).toString('utf8');
  if (entry.statement.type === FINDINGS) {
    const concerned = src.concerned(JSON.parse(text) as Pick<Finding, 'actor' | 'units'>);
    if (!readsInFull(src.sealing().policy, reader, { kind: 'findings', author: entry.statement.author, concerned })) return undefined;
    return { sealed: s.sealed, salt: encodeBase64(s.salt), content: text };
  }
  const author = src.actors.get(entry.statement.author);
  if (!author) return undefined;
  const r = releaseReport(src.sealing(), reader, author, JSON.parse(text) as JsonObject);
  if (r?.coarse) return { sealed: s.sealed, coarse: r.coarse, content: canonicalJson(r.report) };
  if (r) return { sealed: s.sealed, salt: encodeBase64(s.salt), content: text };
  return undefined;
}

/** A report as a reader may have it: `report` as it is (full) or coarsened (`coarse` set), or undefined (it may only know it exists). */
export type ReleasedReport = { report: JsonObject; coarse?: Coarsening };

/**
 * The disclosure decision for one report, as the sealed route, the CSV export and the
 * history routes all make it: the report's kind, subject and notifier looked up, the
 * policy asked, the report coarsened when that is the reader's level.
 */
export function releaseReport(ctx: SealingContext, reader: Actor, author: Actor, report: JsonObject): ReleasedReport | undefined {
  const d = disclosureOf(ctx.policy, reader, contentOf(ctx, author, report as JsonObject & { type: string }));
  if (d.level === 'full') return { report };
  if (d.level === 'coarse' && d.coarsening) return { report: coarsen(report, d.coarsening) as JsonObject, coarse: d.coarsening };
  return undefined;
}
