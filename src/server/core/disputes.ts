// A party disputes a finding (issue 11, point 4): a signed statement in the record that
// names the finding by its address in the server's `findings` statement and says why.
// Who disputes what is for the disputing party, the mediator and the guarantor (policy
// item `dispute`): the statement's body is sealed as a whole, as a confidential talks
// submission is, so the public record shows only that a party disputed something. The
// disputes of a finding are its history's last word: the findings views show them to
// those who may read them. The mediator (or a member of the arrangement's joint
// commission) resolves a dispute, upheld or withdrawn with reasons, in a statement sealed
// like it; a withdrawal closes the finding ("withdrawn on dispute N"; the reasons stay with the sealed resolution).
import { formatTime } from '../../arrangement/time.ts';
import { type Actor, canSee, mayAct, mayResolve } from '../../policy/policy.ts';
import { canonicalJson, type JsonObject } from '../../record/canonical.ts';
import type { Log } from '../../record/log.ts';
import type { Signer } from '../../record/keys.ts';
import { seal } from '../../record/sealed.ts';
import { makeEntry, type SignedStatement } from '../../record/statement.ts';
import { z } from 'zod';
import { BadRequest, Conflict, Forbidden, NotFound } from '../errors.ts';
import type { RecordWriter } from './record-writer.ts';
import { openSealedBody } from './sealed-opening.ts';
import { signedEntry } from './signed-entry.ts';
import type { Recorded, StatementTable } from './statement-table.ts';
import { DISPUTE, FINDINGS, RESOLUTION, type ResolutionBody } from './statement-types.ts';

/** The longest reason a dispute may give (characters): a paragraph, not a brief. */
export const MAX_DISPUTE_REASON = 2000;

/** A dispute as sealed: what a self-signing party's opening must hold. */
const DisputeContent = z.strictObject({
  finding: z.strictObject({ entry: z.number().int().min(0), n: z.number().int().min(0) }),
  reason: z.string().min(1).max(MAX_DISPUTE_REASON),
});

export interface FindingAddress {
  /** the `findings` statement's entry */
  entry: number;
  /** the finding's position in its `findings` list */
  n: number;
}

export interface Dispute {
  finding: FindingAddress;
  by: string;
  reason: string;
  /** the dispute's own entry, and when it was made */
  index: number;
  time: string;
  /** how the mediator (or a commission member) resolved it, once resolved */
  resolution?: Resolution;
}

export const OUTCOMES = ['upheld', 'withdrawn'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A resolution as sealed: what a self-signing mediator's opening must hold (the finding as recorded, checked apart). */
const ResolutionContent = z.strictObject({
  dispute: z.number().int().min(0),
  finding: z.record(z.string(), z.unknown()),
  outcome: z.enum(OUTCOMES),
  reasons: z
    .string()
    .min(1)
    .max(MAX_DISPUTE_REASON)
    .regex(/^\S(.*\S)?$/s, 'no white space at either end (the custodial route trims it)'),
});

export interface Resolution {
  outcome: Outcome;
  reasons: string;
  by: string;
  /** the resolution's own entry, and when it was made */
  index: number;
  time: string;
}

export interface DisputesSnapshot {
  disputes: Dispute[];
  /** sealed dispute body → its author */
  owners: [string, string][];
}

export interface DisputesOptions {
  arrangement: string;
  log: Log;
  writer: RecordWriter;
  signerOf: (actor: string) => Signer;
  time: () => number;
  /** may this reader read this finding (its item in a findings statement, opened)? */
  readsFinding: (reader: Actor, item: JsonObject) => boolean;
  /** opens a findings item: as written, or its sealed content */
  openItem: (item: unknown, at: FindingAddress) => Promise<JsonObject | undefined>;
  /** the actors a finding is about: the accused of a dispute, who read it and its resolution */
  concerned: (item: JsonObject) => string[];
  /** the arrangement's joint commission, who may resolve disputes beside the mediator */
  commission?: readonly string[];
  /** a dispute was resolved as withdrawn (applied, live or on replay): the finding closes */
  withdrawn?: (finding: JsonObject, dispute: number, entry: number, time: string) => void;
}

export class Disputes {
  private readonly list: Dispute[];
  /** sealed dispute body → its author, for the sealed route */
  private readonly owners = new Map<string, string>();
  /** disputes a resolution is on its way for (refused a second one until it settles) */
  private readonly resolving = new Set<number>();
  /** each dispute's accused (the actors its finding is about), read once */
  private readonly accused = new Map<number, string[]>();

  constructor(
    private readonly o: DisputesOptions,
    restored?: DisputesSnapshot,
  ) {
    this.list = restored ? [...restored.disputes] : [];
    for (const [hash, author] of restored?.owners ?? []) this.owners.set(hash, author);
  }

  snapshot(): DisputesSnapshot {
    return { disputes: [...this.list], owners: [...this.owners] };
  }

  register(table: StatementTable): void {
    table.on(DISPUTE, (r: Recorded) => {
      const body = r.body as { finding?: FindingAddress; reason?: string };
      if (r.sealed) this.owners.set(r.sealed, r.statement.author);
      if (!body.finding || typeof body.reason !== 'string') return;
      this.list.push({
        finding: { entry: body.finding.entry, n: body.finding.n },
        by: r.statement.author,
        reason: body.reason,
        index: r.index,
        time: r.statement.time,
      });
    });
    table.on(RESOLUTION, (r: Recorded) => {
      const body = r.body as unknown as Partial<ResolutionBody>;
      const d = this.list.find((x) => x.index === body.dispute);
      // The resolution's content is for those who read the dispute: the sealed route asks the dispute's author.
      if (r.sealed && d) this.owners.set(r.sealed, d.by);
      // The first resolution is the one: a second never passes the live check, and replay keeps to it.
      if (!d || d.resolution || (body.outcome !== 'upheld' && body.outcome !== 'withdrawn') || typeof body.reasons !== 'string') return;
      d.resolution = { outcome: body.outcome, reasons: body.reasons, by: r.statement.author, index: r.index, time: r.statement.time };
      if (body.outcome === 'withdrawn' && body.finding) this.o.withdrawn?.(body.finding as JsonObject, d.index, r.index, r.statement.time);
    });
  }

  /** Who wrote the sealed dispute with this hash, if it is one. */
  ownerOf(hash: string): string | undefined {
    return this.owners.get(hash);
  }

  /** The disputes this reader may read (its author, the accused, the commission, mediator and guarantor), of one finding or all. */
  async visible(reader: Actor, of?: FindingAddress): Promise<Dispute[]> {
    const out: Dispute[] = [];
    for (const d of this.list) {
      if (of && (d.finding.entry !== of.entry || d.finding.n !== of.n)) continue;
      if (canSee(reader, { kind: 'dispute', author: d.by, about: [...(await this.accusedOf(d)), ...(this.o.commission ?? [])] })) out.push(d);
    }
    return out;
  }

  private async accusedOf(d: Dispute): Promise<string[]> {
    let a = this.accused.get(d.index);
    if (a === undefined) {
      const item = await this.findingAt(d.finding);
      this.accused.set(d.index, (a = item ? this.o.concerned(item) : []));
    }
    return a;
  }

  /**
   * Records the resolution of dispute `index` (its entry) by the mediator or a commission
   * member, signed with the key the server holds for it: 403 for anyone else, 404 for no
   * such dispute (or one this actor may not read), 409 once resolved.
   */
  async resolve(actor: Actor, index: number, outcome: Outcome, reasons: string): Promise<number> {
    return this.checkedResolution(actor, index, 'dispute', (finding) => {
      const content = canonicalJson({ dispute: index, outcome, reasons, finding });
      const sealed = seal(content);
      const { bytes, statement } = signedEntry(
        this.o.signerOf(actor.id),
        { type: RESOLUTION, arrangement: this.o.arrangement, body: { sealed: sealed.sealed }, time: formatTime(this.o.time()) },
        true,
      );
      return this.o.writer.append(bytes, { statement, body: JSON.parse(content) as JsonObject, sealed: sealed.sealed }, sealed);
    });
  }

  /**
   * The checks of a resolution, custodial or self-signed (`path` names the dispute in
   * messages), then `write` given the disputed finding as recorded; a second resolution
   * of the same dispute meanwhile is a 409.
   */
  private async checkedResolution(actor: Actor, index: number, path: string, write: (finding: JsonObject) => Promise<number>): Promise<number> {
    const may = mayResolve(actor, this.o.commission);
    if (!may.ok) throw new Forbidden(may.reason);
    const d = (await this.visible(actor)).find((x) => x.index === index);
    if (!d) throw new NotFound(`no dispute at entry ${index}`, path);
    if (d.resolution) throw new Conflict(`dispute ${index} was resolved already (${d.resolution.outcome}, entry ${d.resolution.index})`, path);
    if (this.resolving.has(index)) throw new Conflict(`dispute ${index} is being resolved already`, path);
    // Held from the check to the append, across the awaits, so that a second request meanwhile is a 409.
    this.resolving.add(index);
    try {
      const finding = await this.findingAt(d.finding);
      if (!finding) throw new NotFound(`the finding dispute ${index} names is not in the record`, path);
      return await write(finding);
    } finally {
      this.resolving.delete(index);
    }
  }

  /** Refuses a dispute this actor may not make: not a party, or of no finding it may read. */
  private async check(actor: Actor, finding: FindingAddress, path: string): Promise<void> {
    const may = mayAct(actor, 'dispute');
    if (!may.ok) throw new Forbidden(may.reason);
    const item = await this.findingAt(finding);
    if (!item || !this.o.readsFinding(actor, item))
      throw new BadRequest(`no finding at entry ${finding.entry}, position ${finding.n} that ${actor.id} may read`, [
        { path, message: 'names no finding of a findings statement this actor may read' },
      ]);
  }

  /** Records a party's dispute, signed with the key the server holds for it. */
  async post(actor: Actor, finding: FindingAddress, reason: string): Promise<number> {
    await this.check(actor, finding, 'finding');
    const content = canonicalJson({ finding: { entry: finding.entry, n: finding.n }, reason });
    const sealed = seal(content);
    const { bytes, statement } = signedEntry(
      this.o.signerOf(actor.id),
      { type: DISPUTE, arrangement: this.o.arrangement, body: { sealed: sealed.sealed }, time: formatTime(this.o.time()) },
      true,
    );
    return this.o.writer.append(bytes, { statement, body: JSON.parse(content) as JsonObject, sealed: sealed.sealed }, sealed);
  }

  /**
   * Records a dispute the party signed itself: its body is `{ sealed }`, the opening
   * (`{ finding, reason }`'s canonical JSON and its salt) travels beside it.
   */
  async postSigned(actor: Actor, signed: SignedStatement, opening: { salt: string; content: string } | undefined): Promise<number> {
    const o = openSealedBody(signed, opening, DisputeContent, 'a dispute', '{ finding: { entry, n }, reason }');
    await this.check(actor, o.data.finding, 'sealed[0].content.finding');
    const sealed = seal(o.content, o.salt);
    return this.o.writer.append(makeEntry(signed, new Date()), { statement: signed.statement, body: o.data, sealed: o.hash }, sealed);
  }

  /**
   * Records a resolution the mediator (or a commission member) signed itself: the same
   * checks as resolve(), and its sealed content must name the disputed finding exactly as
   * recorded (what a custodial resolution would have sealed), so a replay closes the
   * finding the dispute names and no other.
   */
  async postSignedResolution(actor: Actor, signed: SignedStatement, opening: { salt: string; content: string } | undefined): Promise<number> {
    const o = openSealedBody(signed, opening, ResolutionContent, 'a resolution', '{ dispute, finding, outcome, reasons }');
    return this.checkedResolution(actor, o.data.dispute, 'sealed[0].content.dispute', async (finding) => {
      if (canonicalJson(o.data.finding) !== canonicalJson(finding))
        throw new BadRequest(`the resolution's finding is not the finding dispute ${o.data.dispute} names, as recorded`, [
          { path: 'sealed[0].content.finding', message: 'must equal the disputed finding as recorded' },
        ]);
      const sealed = seal(o.content, o.salt);
      return this.o.writer.append(
        makeEntry(signed, new Date()),
        { statement: signed.statement, body: JSON.parse(o.content) as JsonObject, sealed: o.hash },
        sealed,
      );
    });
  }

  /** The finding at this address as this reader may read it, or null. */
  async findingFor(reader: Actor, a: FindingAddress): Promise<JsonObject | null> {
    const item = await this.findingAt(a);
    return item && this.o.readsFinding(reader, item) ? item : null;
  }

  /** The finding item at this address, opened, if the address names one. */
  private async findingAt(a: FindingAddress): Promise<JsonObject | undefined> {
    if (!Number.isSafeInteger(a.entry) || a.entry < 0 || a.entry >= this.o.log.size) return undefined;
    const entry = JSON.parse(Buffer.from(await this.o.log.entry(a.entry)).toString('utf8')) as { statement: { type: string; body: { findings?: unknown[] } } };
    if (entry.statement.type !== FINDINGS) return undefined;
    const items = entry.statement.body.findings ?? [];
    if (!Number.isSafeInteger(a.n) || a.n < 0 || a.n >= items.length) return undefined;
    return this.o.openItem(items[a.n], a);
  }
}
