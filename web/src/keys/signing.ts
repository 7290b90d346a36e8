// Who signs what this page sends. With an enrolled key of this device, the page signs:
// talks commands are prepared by the server (…/talks/prepare), signed here and posted
// to …/statements; reports are built here as the server would build them (a `report`
// statement for one, `reports` with { reports } for several), signed and posted. Without
// one, the token alone is sent and the server signs for the actor (custodially, marked
// so in the record).
import type { JsonObject } from '../../../src/record/canonical.ts';
import type { SignedStatement } from '../../../src/record/statement.ts';
import type { Api } from '../api/client.ts';
import { deviceKey, type DeviceKey, makeKey, type StoredKey } from './device-key.ts';
import { browserKeys, type KeyStore } from './key-store.ts';
import { signInPage, signPrepared } from './sign-statement.ts';
import { commandOf } from './talks-commands.ts';
import { type Opening, sealReports } from './seal-reports.ts';
import type { DisclosurePolicy } from '../../../src/policy/disclosure.ts';
import type { Actor } from '../../../src/policy/policy.ts';

export interface Prepared {
  statement: unknown;
  sealed?: { salt: string; content: string };
}

/** What a command or report recorded, as the forms describe it. */
export interface Recorded {
  type?: string;
  id?: string;
  version?: number;
  index?: number;
  indexes?: number[];
}

export class Signing {
  private stored: StoredKey | undefined;
  private key: DeviceKey | undefined;
  private readonly listeners = new Set<() => void>();
  /** the actor's keys as the server's key book has them now (GET …/keys), once read */
  private now: { keys: string[]; custodial: boolean } | undefined;
  private policy: Promise<{ disclosure: DisclosurePolicy; actors: Actor[] }> | undefined;

  constructor(
    private readonly api: Api,
    private readonly base: string,
    readonly arrangement: string,
    readonly actor: string,
    /** the actor's keys as the arrangement names them */
    private readonly knownKeys: () => string[],
    private readonly store: KeyStore = browserKeys,
  ) {}

  async load(): Promise<void> {
    await this.readKeyBook();
    try {
      this.set(await this.store.load(this.arrangement, this.actor));
    } catch (e) {
      // No IndexedDB (a private window may refuse it): the page signs custodially.
      console.warn('keys:', e);
    }
  }

  private async readKeyBook(): Promise<void> {
    try {
      const { actors } = await this.api.json<{ actors: { actor: string; keys: string[]; custodial: boolean }[] }>(`${this.base}/keys`);
      const mine = actors.find((a) => a.actor === this.actor);
      if (mine) this.now = { keys: mine.keys, custodial: mine.custodial };
    } catch (e) {
      // An older server has no key route: the arrangement's keys are all the page knows.
      console.warn('keys:', e);
    }
  }

  /** The actor's working keys: the key book's when the server said, else the arrangement's. */
  private actorKeys(): string[] {
    return this.now?.keys ?? this.knownKeys();
  }

  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  /** This device's key, enrolled or not. */
  get deviceKey(): DeviceKey | undefined {
    return this.key;
  }

  get enrolled(): boolean {
    return this.stored !== undefined && (this.stored.enrolled === true || this.actorKeys().includes(this.stored.vkey));
  }

  /** 'browser' when this page signs for the actor, 'custodial' when the server does. */
  get mode(): 'browser' | 'custodial' {
    return this.key && this.enrolled ? 'browser' : 'custodial';
  }

  /** Sends a talks command (the route's path and body), signed here when it can be. */
  async talks(path: string, body: JsonObject): Promise<Recorded> {
    const key = this.mode === 'browser' ? this.key : undefined;
    if (!key) return this.api.post<Recorded>(`${this.base}/talks/${path}`, body);
    const { statements } = await this.api.post<{ statements: Prepared[] }>(`${this.base}/talks/prepare`, { command: commandOf(path, body) });
    let first: Recorded | undefined;
    // In order: the server records each only while the talks are where it prepared them.
    for (const p of statements) {
      const signed = await signPrepared(key, p.statement);
      const { indexes } = await this.post(signed);
      first ??= { type: signed.statement.type, ...idOf(signed, p), index: indexes[0] };
    }
    return first ?? {};
  }

  /**
   * Files reports (one, or a batch), signed here when it can be: each report the
   * arrangement's disclosure policy restricts is sealed first (only its commitment is
   * signed and recorded), its opening sent beside the statement.
   */
  async reports(reports: JsonObject[]): Promise<Recorded> {
    const key = this.mode === 'browser' ? this.key : undefined;
    const single = reports.length === 1;
    if (!key) return this.api.post<Recorded>(`${this.base}/reports`, single ? reports[0] : reports);
    const { disclosure, actors } = await this.disclosure();
    const author = actors.find((a) => a.id === this.actor) ?? { id: this.actor, role: 'party' as const };
    const { items, sealed } = sealReports(disclosure, actors, author, reports);
    const signed = await signInPage(key, { type: single ? 'report' : 'reports', arrangement: this.arrangement, body: single ? items[0] : { reports: items } });
    return { type: signed.statement.type, ...(await this.post(signed, sealed)) };
  }

  /** The arrangement's disclosure policy and actors, as the server gives them (read once). */
  private async disclosure(): Promise<{ disclosure: DisclosurePolicy; actors: Actor[] }> {
    this.policy ??= this.api.json<{ disclosure: DisclosurePolicy; actors: Actor[] }>(this.base).then((v) => ({ disclosure: v.disclosure, actors: v.actors }));
    return this.policy;
  }

  /**
   * Makes this device's key; when the actor has no key at all, enrols it by itself. The
   * key is kept even when the server refuses the enrolment: the refusal is returned.
   */
  async makeKey(device?: string): Promise<{ refused?: Error }> {
    const stored = await makeKey(this.actor);
    await this.store.save(this.arrangement, stored);
    this.set(stored);
    const custodial = this.now?.custodial === true;
    if (!custodial && this.actorKeys().length > 0) return {};
    try {
      // Where the server holds the actor's key, it enrols this one with it (custodially,
      // once); otherwise an actor with no key at all enrols its first by itself.
      if (custodial) {
        await this.api.post(`${this.base}/keys/enroll`, { key: stored.vkey, ...(device ? { device } : {}) });
        await this.markEnrolled();
      } else await this.enroll(stored.vkey, device);
      return {};
    } catch (e) {
      return { refused: e as Error };
    }
  }

  /**
   * Enrols a key for the actor (another device's, or this one's own first key), in a
   * `key` statement signed by this device's key.
   */
  async enroll(vkey: string, device?: string): Promise<void> {
    const key = this.key;
    if (!key) throw new Error('this device has no key to sign the enrolment with');
    const body: JsonObject = { action: 'enroll', key: vkey, ...(device ? { device } : {}) };
    await this.post(await signInPage(key, { type: 'key', arrangement: this.arrangement, body }));
    if (vkey === key.vkey) await this.markEnrolled();
  }

  /** Replaces this device's key by a new one, introduced by a `rotate` statement the current key signs. */
  async rotate(): Promise<void> {
    const key = this.key;
    if (!key || !this.enrolled) throw new Error('only an enrolled key can introduce the next one');
    const next = await makeKey(this.actor);
    await this.post(await signInPage(key, { type: 'key', arrangement: this.arrangement, body: { action: 'rotate', key: next.vkey } }));
    next.enrolled = true;
    await this.store.save(this.arrangement, next);
    this.set(next);
  }

  private async markEnrolled(): Promise<void> {
    if (!this.stored) return;
    this.stored = { ...this.stored, enrolled: true };
    await this.store.save(this.arrangement, this.stored);
    this.set(this.stored);
  }

  private post(signed: SignedStatement, sealed: Opening[] = []): Promise<{ indexes: number[] }> {
    return this.api.post<{ indexes: number[] }>(`${this.base}/statements`, sealed.length ? { ...signed, sealed } : signed);
  }

  private set(stored: StoredKey | undefined): void {
    this.stored = stored;
    this.key = stored ? deviceKey(stored) : undefined;
    for (const fn of this.listeners) fn();
  }
}

/** The id the talks gave what was recorded: in the body, or inside its sealed content. */
function idOf(signed: SignedStatement, p: Prepared): { id?: string; version?: number } {
  let body: Record<string, unknown> = signed.statement.body;
  if (p.sealed) {
    try {
      body = JSON.parse(p.sealed.content) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return {
    ...(typeof body.id === 'string' ? { id: body.id } : {}),
    ...(typeof body.version === 'number' ? { version: body.version } : {}),
  };
}
