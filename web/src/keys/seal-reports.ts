// Reports sealed in the page before it signs them, as the server seals those it signs
// (src/server/core/report-sealing.ts, design §2): each report the arrangement's
// disclosure policy does not open to every actor becomes `{ sealed: hex SHA-256(salt ‖
// content) }` in the signed body, content its RFC 8785 text, salt 32 random bytes, and
// its opening travels beside the statement. SHA-256 is @noble/hashes', the salt WebCrypto's.
import { sha256 } from '@noble/hashes/sha2.js';
import { contentOfReport, type DisclosurePolicy, isPublic } from '../../../src/policy/disclosure.ts';
import type { Actor } from '../../../src/policy/policy.ts';
import { canonicalJson, type JsonObject } from '../../../src/record/canonical.ts';

export interface Opening {
  salt: string;
  content: string;
}

export interface SealedBatch {
  /** each report, or its commitment, in order */
  items: JsonObject[];
  /** the openings of the commitments */
  sealed: Opening[];
}

const SALT_BYTES = 32;

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function randomSalt(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
}

/**
 * Seals what the policy restricts. An acknowledgement's notifier is known only for a
 * notification in the same batch; without it the ack is judged as if no one were its
 * notifier, which can only seal more (a sealed report is always accepted).
 */
export function sealReports(policy: DisclosurePolicy, actors: readonly Actor[], author: Actor, reports: readonly JsonObject[], salt = randomSalt): SealedBatch {
  const notes = new Map<string, string>();
  const out: SealedBatch = { items: [], sealed: [] };
  for (const r of reports) {
    const report = r as { type: string; id?: string; actor?: string; notification?: string };
    if (report.type === 'notification' && typeof report.id === 'string' && typeof report.actor === 'string') notes.set(report.id, report.actor);
    const notifier = report.type === 'ack' && typeof report.notification === 'string' ? notes.get(report.notification) : undefined;
    if (isPublic(policy, actors, contentOfReport(author, report, notifier))) {
      out.items.push(r);
      continue;
    }
    const content = canonicalJson(r);
    const s = salt();
    const bytes = new TextEncoder().encode(content);
    const both = new Uint8Array(s.length + bytes.length);
    both.set(s);
    both.set(bytes, s.length);
    // The report's time stays in the clear beside its commitment (spec/record.md "Sealed reports").
    out.items.push(typeof r.time === 'string' ? { sealed: hex(sha256(both)), time: r.time } : { sealed: hex(sha256(both)) });
    out.sealed.push({ salt: base64(s), content });
  }
  return out;
}
