// A self-signed reports statement carries commitments in its signed body and their
// openings beside it (POST …/statements, `sealed: [{ salt, content }]`). Each opening must
// open a commitment of the body and hold one report in its canonical form; each
// commitment must be opened; a report left raw must be one the policy opens to everyone.
// What comes out is the body as the engine applies it and the openings to store.
import type { Actor } from '../../policy/policy.ts';
import { canonicalJson, type JsonObject } from '../../record/canonical.ts';
import { decodeBase64 } from '../../record/encoding.ts';
import { SALT_BYTES, type SealedContent, seal } from '../../record/sealed.ts';
import type { ItemOpening } from '../../record/log.ts';
import type { Statement } from '../../record/statement.ts';
import { ReportError, toReport } from '../../monitor/reports.ts';
import { BadRequest } from '../errors.ts';
import { restrictedReports, type SealingContext, sealedItem } from './report-sealing.ts';
import { REPORT } from './statement-types.ts';

export interface Opening {
  /** base64 of the salt */
  salt: string;
  /** the report's RFC 8785 canonical JSON text */
  content: string;
}

export interface OpenedReports {
  /** the reports as posted, opened: one report for a `report` statement, else the list */
  reports: unknown;
  /** the body as the engine applies it */
  body: JsonObject;
  /** each sealed item's opening, at its place in the body's list */
  openings: ItemOpening[];
}

function refuse(path: string, message: string): never {
  throw new BadRequest(`${path}: ${message}`, [{ path, message }]);
}

export function openSignedReports(st: Statement, openings: readonly Opening[]): OpenedReports {
  const single = st.type === REPORT;
  const listed = (st.body as { reports?: unknown }).reports;
  const items: unknown[] = single ? [st.body] : Array.isArray(listed) ? listed : [];
  const itemPath = (k: number) => (single ? 'statement.body' : `statement.body.reports[${k}]`);
  const byDigest = new Map<string, { j: number; s: SealedContent }>();
  openings.forEach((o, j) => {
    let salt: Uint8Array;
    try {
      salt = decodeBase64(o.salt, 'salt');
    } catch {
      refuse(`sealed[${j}].salt`, 'is not base64');
    }
    if (salt.length < 16) refuse(`sealed[${j}].salt`, `a salt has at least 16 bytes (${SALT_BYTES} recommended)`);
    const s = seal(o.content, salt);
    byDigest.set(s.sealed, { j, s });
  });
  const used = new Set<number>();
  const stored: ItemOpening[] = [];
  const opened = items.map((item, k) => {
    const h = sealedItem(item);
    if (h === undefined) return item;
    const found = byDigest.get(h);
    if (!found) return refuse(itemPath(k), `no opening in sealed[] for the commitment ${h}`);
    const { j, s } = found;
    if (used.has(j)) return refuse(itemPath(k), `the commitment ${h} appears twice`);
    used.add(j);
    let report: unknown;
    try {
      report = JSON.parse(openings[j].content);
    } catch {
      return refuse(`sealed[${j}].content`, 'is not JSON');
    }
    try {
      toReport(report);
    } catch (e) {
      if (!(e instanceof ReportError)) throw e;
      return refuse(e.field ? `sealed[${j}].content.${e.field}` : `sealed[${j}].content`, e.message);
    }
    if (canonicalJson(report as JsonObject) !== openings[j].content) refuse(`sealed[${j}].content`, "must be the report's RFC 8785 canonical JSON text");
    const time = (item as { time?: unknown }).time;
    if (time !== (report as { time?: unknown }).time)
      refuse(
        `${itemPath(k)}.time`,
        time === undefined ? "a sealed report carries its report's time in the clear" : `is not the time of the report it commits to`,
      );
    stored.push({ ...s, n: k });
    return report;
  });
  openings.forEach((_, j) => {
    if (!used.has(j)) refuse(`sealed[${j}]`, 'opens no commitment of the statement body');
  });
  return {
    reports: single ? opened[0] : opened,
    body: (single ? opened[0] : { ...st.body, reports: opened }) as JsonObject,
    openings: stored,
  };
}

/**
 * Refuses a report left raw that the policy does not open to every actor. Asked after
 * the intake's checks, so a malformed report is named by its field first.
 */
export function refuseRawRestricted(st: Statement, opened: OpenedReports, ctx: SealingContext, author: Actor): void {
  const single = st.type === REPORT;
  const listed = (st.body as { reports?: unknown }).reports;
  const items: unknown[] = single ? [st.body] : Array.isArray(listed) ? listed : [];
  const reports: unknown[] = single ? [opened.reports] : (opened.reports as unknown[]);
  const itemPath = (k: number) => (single ? 'statement.body' : `statement.body.reports[${k}]`);
  const objects = reports.map((r) => (typeof r === 'object' && r !== null ? r : {}));
  restrictedReports(ctx, author, objects).forEach((restricted, k) => {
    if (restricted && sealedItem(items[k]) === undefined)
      refuse(itemPath(k), 'the disclosure policy does not open this report to every actor: it must be sent as { "sealed" } with its opening in sealed[]');
  });
}
