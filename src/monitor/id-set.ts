// The report ids seen so far, to refuse a duplicate. Every id of a stream stays
// here, so this is the largest thing the engine keeps, and it is looked up once
// per report: a Set of a million strings costs several cache misses a look and
// rebuilds itself as it grows.
//
// Most streams number their reports ("o-17", "r123456"): such an id is kept as
// one bit, at its number, in a bitmap for its prefix, so consecutive ids fall in
// the same few bytes. Any other id (no number at the end, a leading zero, a
// number too large, numbers too scattered to fill bitmaps) goes to a hash table.

/** Bits per bitmap page. */
const PAGE_BITS = 4096;
const PAGE_SHIFT = 12;

/** Ids numbered up to this many digits go to bitmaps (so numbers stay below 2^30). */
const MAX_DIGITS = 9;

/** Ids sharing one prefix before their number: a bitmap in pages, by number >> PAGE_SHIFT. */
class Numbered {
  readonly pages = new Map<number, Int32Array>();
  lastKey = -1;
  last: Int32Array | null = null;

  page(key: number): Int32Array | undefined {
    if (key === this.lastKey) return this.last!;
    const p = this.pages.get(key);
    if (p !== undefined) {
      this.lastKey = key;
      this.last = p;
    }
    return p;
  }
}

/**
 * The report ids the engine has accepted, to refuse a duplicate. This is the one
 * piece of the engine's state that grows with every report ever received, so it is
 * pluggable: a server can keep it in its store instead of in memory.
 */
export interface ReportIds {
  has(id: string): boolean;
  /** Adds id; false when it was there already. */
  add(id: string): boolean;
}

/**
 * The ids in a snapshot: each prefix's bitmap pages (the page's number, its words
 * little-endian in base64), then the other ids as they are. A million numbered ids take
 * about 170 KB this way, against some 12 MB as a list of strings.
 */
export interface IdSetJson {
  numbered: [prefix: string, pages: [key: number, bits: string][]][];
  hashed: string[];
}

export class IdSet implements ReportIds {
  /** An IdSet holding a snapshot's ids: the compact form, or (from older snapshots) a list. */
  static fromJSON(json: IdSetJson | readonly string[]): IdSet {
    const set = new IdSet();
    if (Array.isArray(json)) {
      for (const id of json) set.add(id);
      return set;
    }
    const { numbered, hashed } = json as IdSetJson;
    for (const [prefix, pages] of numbered) {
      const n = new Numbered();
      for (const [key, bits] of pages) {
        const bytes = Buffer.from(bits, 'base64');
        if (bytes.length !== PAGE_BITS / 8) throw new Error(`id snapshot: page ${key} of "${prefix}" holds ${bytes.length} bytes, not ${PAGE_BITS / 8}`);
        const page = new Int32Array(PAGE_BITS / 32);
        for (let w = 0; w < page.length; w++) {
          page[w] = bytes.readInt32LE(4 * w);
          set.count += popCount(page[w]);
        }
        n.pages.set(key, page);
        set.pageCount++;
      }
      set.numbered.set(prefix, n);
    }
    for (const id of hashed) if (set.hashed.add(id)) set.count++;
    // An id ending in a number may have gone to the table: every numbered add then looks there too.
    set.spilled = hashed.length > 0;
    return set;
  }

  toJSON(): IdSetJson {
    const numbered: IdSetJson['numbered'] = [];
    for (const [prefix, n] of this.numbered) {
      const bytes = Buffer.alloc(PAGE_BITS / 8);
      const pages: [number, string][] = [];
      for (const [key, page] of n.pages) {
        for (let w = 0; w < page.length; w++) bytes.writeInt32LE(page[w], 4 * w);
        pages.push([key, bytes.toString('base64')]);
      }
      numbered.push([prefix, pages]);
    }
    return { numbered, hashed: [...this.hashed.values()] };
  }

  private readonly hashed = new HashedIds();
  private readonly numbered = new Map<string, Numbered>();
  private lastPrefix = '';
  private lastNumbered: Numbered | null = null;
  private pageCount = 0;
  private count = 0;
  /** whether an id ending in a number went to the hash table (its page could not be made then) */
  private spilled = false;
  // The id looked at last, when it ends in a number: its prefix's bitmaps (null if none yet), page key and bit.
  private prefixEnd = 0;
  private n: Numbered | null = null;
  private key = 0;
  private bit = 0;

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    if (this.locate(id) && this.n !== null) {
      const page = this.n.page(this.key);
      if (page !== undefined && (page[this.bit >>> 5] & (1 << (this.bit & 31))) !== 0) return true;
    }
    return this.hashed.has(id);
  }

  /** Adds id; false when it was there already. */
  add(id: string): boolean {
    if (this.locate(id)) {
      let n = this.n;
      let page = n === null ? undefined : n.page(this.key);
      const w = this.bit >>> 5;
      const b = 1 << (this.bit & 31);
      if (page !== undefined && (page[w] & b) !== 0) return false;
      if (page === undefined && this.roomForPage()) {
        if (n === null) {
          const prefix = id.slice(0, this.prefixEnd);
          this.numbered.set(prefix, (n = new Numbered()));
          this.lastPrefix = prefix;
          this.lastNumbered = n;
        }
        page = new Int32Array(PAGE_BITS / 32);
        n.pages.set(this.key, page);
        this.pageCount++;
      }
      if (page !== undefined) {
        if (this.spilled && this.hashed.has(id)) return false;
        page[w] |= b;
        this.count++;
        return true;
      }
      this.spilled = true;
    }
    if (!this.hashed.add(id)) return false;
    this.count++;
    return true;
  }

  /** Every id held, in no particular order (for a snapshot of an engine that keeps its ids in memory). */
  *values(): IterableIterator<string> {
    for (const [prefix, n] of this.numbered) {
      for (const [key, page] of n.pages) {
        for (let w = 0; w < page.length; w++) {
          const word = page[w];
          if (word === 0) continue;
          for (let b = 0; b < 32; b++) if ((word & (1 << b)) !== 0) yield prefix + String(key * PAGE_BITS + w * 32 + b);
        }
      }
    }
    yield* this.hashed.values();
  }

  /** A new page only while bitmaps take no more than about a byte per id kept. */
  private roomForPage(): boolean {
    return (this.pageCount + 1) * (PAGE_BITS / 8) <= this.count + 65536;
  }

  /** For an id ending in a number without leading zero: sets prefixEnd, n, key and bit, and returns true. */
  private locate(id: string): boolean {
    const len = id.length;
    let i = len;
    let c = 0;
    while (i > 0 && (c = id.charCodeAt(i - 1)) >= 48 && c <= 57) i--;
    const digits = len - i;
    if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && id.charCodeAt(i) === 48)) return false;
    let v = 0;
    for (let k = i; k < len; k++) v = v * 10 + (id.charCodeAt(k) - 48);
    const p = this.lastPrefix;
    let n = this.lastNumbered;
    if (n === null || p.length !== i || !samePrefix(id, p)) {
      const prefix = id.slice(0, i);
      n = this.numbered.get(prefix) ?? null;
      if (n !== null) {
        this.lastPrefix = prefix;
        this.lastNumbered = n;
      }
    }
    this.prefixEnd = i;
    this.n = n;
    this.key = v >>> PAGE_SHIFT;
    this.bit = v & (PAGE_BITS - 1);
    return true;
  }
}

function popCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function samePrefix(id: string, prefix: string): boolean {
  for (let k = 0; k < prefix.length; k++) if (id.charCodeAt(k) !== prefix.charCodeAt(k)) return false;
  return true;
}

/**
 * Ids by hash: open addressing over 32-bit hashes, each slot pointing into a
 * list of the ids, at most half full so that a miss ends after a probe or two.
 */
class HashedIds {
  /** per slot: the id's hash and 1 + its index in `ids`, side by side; hash 0 is an empty slot */
  private slots = new Int32Array(2 * 1024);
  private mask = 1023;
  private readonly ids: string[] = [];

  get size(): number {
    return this.ids.length;
  }

  values(): IterableIterator<string> {
    return this.ids.values();
  }

  has(id: string): boolean {
    const h = hash(id);
    const slots = this.slots;
    const mask = this.mask;
    for (let i = h & mask; slots[2 * i] !== 0; i = (i + 1) & mask) {
      if (slots[2 * i] === h && this.ids[slots[2 * i + 1] - 1] === id) return true;
    }
    return false;
  }

  add(id: string): boolean {
    const h = hash(id);
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    for (; slots[2 * i] !== 0; i = (i + 1) & mask) {
      if (slots[2 * i] === h && this.ids[slots[2 * i + 1] - 1] === id) return false;
    }
    this.ids.push(id);
    slots[2 * i] = h;
    slots[2 * i + 1] = this.ids.length;
    if (this.ids.length * 2 > mask) this.grow();
    return true;
  }

  private grow(): void {
    const mask = (this.mask + 1) * 2 - 1;
    const slots = new Int32Array(2 * (mask + 1));
    const old = this.slots;
    for (let j = 0; j < old.length; j += 2) {
      const h = old[j];
      if (h === 0) continue;
      let i = h & mask;
      while (slots[2 * i] !== 0) i = (i + 1) & mask;
      slots[2 * i] = h;
      slots[2 * i + 1] = old[j + 1];
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** FNV-1a over the UTF-16 code units, mixed so that ids differing only at the end spread out; never 0. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h | 1;
}
