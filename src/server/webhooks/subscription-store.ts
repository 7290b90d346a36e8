// Subscriptions and their dead letters, kept in DIR/webhooks.json (owner only: it holds
// the secrets, which the server needs to sign). A subscription is written durably
// (atomically, fsynced) before the client is answered, so it survives a restart; dead
// letters are written shortly after they arise, and on close. Deliveries still queued
// are not written: a crash loses them (docs/webhooks.md).
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../store/atomic-file.ts';
import type { WebhookEvent } from './event-types.ts';
import type { Filters } from './matcher.ts';

export interface Subscription extends Filters {
  id: string;
  actor: string;
  url: string;
  secret: string;
  /** RFC 3339 */
  created: string;
}

export interface DeadLetter {
  /** its number within the subscription, from 1 */
  n: number;
  delivery: string;
  type: WebhookEvent;
  reason: string;
  attempts: number;
  /** RFC 3339: when it was given up on */
  failed: string;
  /** the payload as it was to be delivered */
  payload: unknown;
}

interface FileShape {
  v: 1;
  subscriptions: Subscription[];
  dead: Record<string, { next: number; items: DeadLetter[] }>;
}

// The file is rewritten whole: dead letters are bounded, and written at most once a second.
export const DEFAULT_MAX_DEAD_LETTERS = 100;
const DEAD_WRITE_DELAY_MS = 1000;

export class SubscriptionStore {
  private readonly subs = new Map<string, Subscription>();
  private readonly dead = new Map<string, { next: number; items: DeadLetter[] }>();
  private timer: NodeJS.Timeout | undefined;

  /** `file`: where they are kept; none keeps them in memory only. */
  constructor(
    private readonly file: string | undefined,
    private readonly maxDead = DEFAULT_MAX_DEAD_LETTERS,
  ) {
    if (file && existsSync(file)) {
      let doc: FileShape;
      try {
        doc = JSON.parse(readFileSync(file, 'utf8')) as FileShape;
        if (!Array.isArray(doc.subscriptions)) throw new Error('no "subscriptions" list');
      } catch (e) {
        throw new Error(`${file}: not a webhooks file the server wrote (${(e as Error).message}); move it aside to start without subscriptions`);
      }
      for (const s of doc.subscriptions) this.subs.set(s.id, s);
      for (const [id, d] of Object.entries(doc.dead ?? {})) if (this.subs.has(id)) this.dead.set(id, d);
    }
  }

  all(): Subscription[] {
    return [...this.subs.values()];
  }

  ofActor(actor: string): Subscription[] {
    return this.all().filter((s) => s.actor === actor);
  }

  get(id: string): Subscription | undefined {
    return this.subs.get(id);
  }

  add(s: Subscription): void {
    this.subs.set(s.id, s);
    try {
      this.write();
    } catch (e) {
      this.subs.delete(s.id);
      throw e;
    }
  }

  remove(id: string): boolean {
    const s = this.subs.get(id);
    if (!s) return false;
    this.subs.delete(id);
    const d = this.dead.get(id);
    this.dead.delete(id);
    try {
      this.write();
    } catch (e) {
      this.subs.set(id, s);
      if (d) this.dead.set(id, d);
      throw e;
    }
    return true;
  }

  addDead(id: string, letter: Omit<DeadLetter, 'n'>): void {
    if (!this.subs.has(id)) return;
    let d = this.dead.get(id);
    if (!d) this.dead.set(id, (d = { next: 1, items: [] }));
    d.items.push({ n: d.next++, ...letter });
    // The oldest go first once the list is full; their numbers are not reused.
    if (d.items.length > this.maxDead) d.items.splice(0, d.items.length - this.maxDead);
    this.writeSoon();
  }

  deadLetters(id: string): DeadLetter[] {
    return this.dead.get(id)?.items ?? [];
  }

  /** Takes a dead letter out of the list (to send it again). */
  takeDead(id: string, n: number): DeadLetter | undefined {
    const d = this.dead.get(id);
    const i = d?.items.findIndex((x) => x.n === n) ?? -1;
    if (!d || i < 0) return undefined;
    const [letter] = d.items.splice(i, 1);
    this.writeSoon();
    return letter;
  }

  close(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.write();
    }
  }

  private writeSoon(): void {
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.write();
      } catch {
        // Kept in memory; the next change or close writes again.
      }
    }, DEAD_WRITE_DELAY_MS);
    this.timer.unref();
  }

  private write(): void {
    if (!this.file) return;
    const doc: FileShape = { v: 1, subscriptions: this.all(), dead: Object.fromEntries(this.dead) };
    writeFileAtomic(this.file, `${JSON.stringify(doc)}\n`, 0o600);
  }
}
