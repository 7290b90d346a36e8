// Live events for subscribers, each rendered as the policy lets its audience see it
// (or not sent at all). The decision is the publisher's, taken through the policy
// module; the bus fans out, and keeps the fan-out cheap and bounded:
// - an event is rendered once per audience (the actor: the policy's view takes an
//   actor), into one Buffer that every socket of that audience shares;
// - history (findings, talks changes) is grouped by the record position that caused
//   it, and a group carries the SSE `id` (the tree size after its entry) on its last
//   frame only, so a client cut off half-way through a group resumes with the
//   previous id and gets the whole group again, never half of it;
// - recent groups are kept in a bounded journal, so Last-Event-ID resumes from them;
// - a subscriber that does not read is dropped once its socket holds too much or has
//   been backpressured too long; it reconnects with Last-Event-ID;
// - the fan-out runs after the publisher's turn, in slices of at most `sliceMs`, so a
//   request that caused an event is answered without waiting for thousands of sockets
//   (a socket that does not read still takes megabytes into its kernel buffer before it
//   pushes back, and copying a frame into 2,000 of them blocks for tens of ms).
import type { Actor } from '../policy/policy.ts';

export interface BusEvent {
  /** SSE event name: finding, talks (history); posture, checkpoint (state) */
  type: string;
  /** the event's data as this actor may see it, or undefined to send it nothing */
  render: (actor: Actor) => unknown;
}

/** Where a stream's frames go: an http.ServerResponse fits. */
export interface Sink {
  /** false once the socket holds more than its high-water mark */
  write(chunk: Buffer): boolean;
  /** bytes written but not yet taken by the kernel */
  readonly writableLength: number;
  once(event: 'drain', listener: () => void): unknown;
  destroy(): void;
}

export interface BusLimits {
  /** open streams per token; the next is refused */
  streamsPerToken: number;
  /** a stream whose socket holds more than this is dropped */
  maxBufferedBytes: number;
  /** a stream backpressured (write() said false, no drain since) this long is dropped */
  maxStalledMs: number;
  /** a stream backpressured this long is sent nothing more (and ended if it drains) */
  skipAfterMs: number;
  /** history groups kept for Last-Event-ID (at least this many, at most twice) */
  journalGroups: number;
  /** how often every stream gets a keep-alive comment (and stalls are checked) */
  heartbeatMs: number;
  /** the longest the fan-out writes before letting other work run */
  sliceMs: number;
}

export const DEFAULT_BUS_LIMITS: BusLimits = {
  streamsPerToken: 8,
  maxBufferedBytes: 1 << 20,
  maxStalledMs: 10_000,
  skipAfterMs: 2_000,
  journalGroups: 4096,
  heartbeatMs: 15_000,
  sliceMs: 2,
};

/** Event types that are history (resumable, with ids); the rest are state, sent as they change. */
const HISTORY = new Set(['finding', 'talks']);

const KEEP_ALIVE = Buffer.from(': keep-alive\n\n');

interface Group {
  /** record position (tree size after the causing entry); undefined for state */
  position: number | undefined;
  events: BusEvent[];
  /** audience (actor id) → its frames, or null when it sees none of them */
  frames: Map<string, Buffer | null>;
}

/** A frame on its way to the streams open when it was sent (later ones get it from their greeting). */
interface Delivery {
  frameFor: (actor: Actor) => Buffer | null;
  /** its place in the order sent; a stream gets the deliveries from its own `from` on */
  seq: number;
}

/**
 * The deliveries the fan-out is writing, to the streams open when it began: each stream
 * gets all of them it is due in ONE write (a posture and a checkpoint a second apart, or
 * a burst of findings, cost one syscall a socket, not one each), and the bytes for an
 * audience are joined once, shared by every socket of that audience.
 */
interface Round {
  batch: Delivery[];
  targets: Subscription[];
  next: number;
  /** audience and first delivery due → the joined frames (null: nothing for it) */
  joined: Map<string, Buffer | null>;
}

/** One open stream, as the bus tracks it. */
export interface Stream {
  readonly actor: Actor;
  readonly token: string;
  /** writes what a client gets on connecting (replayed history, the posture); it does not count against the buffer bound */
  greet(chunk: Buffer): void;
  close(): void;
}

class Subscription implements Stream {
  stalledSince: number | undefined;
  /** something was not written while the socket was full */
  skipped = false;
  closed = false;
  /** bytes the socket may hold before the stream is dropped */
  allowance: number;
  /** the first delivery (by seq) this stream is due: those before it were in its greeting */
  from = 0;

  constructor(
    readonly actor: Actor,
    readonly token: string,
    readonly sink: Sink,
    private readonly bus: Bus,
  ) {
    this.allowance = bus.limits.maxBufferedBytes;
  }

  greet(chunk: Buffer): void {
    this.allowance += chunk.length;
    this.write(chunk);
  }

  write(chunk: Buffer): void {
    if (this.closed) return;
    // A stream whose socket is full gets nothing more (writing to thousands of sockets
    // that do not read is what stalls a server); if it drains having missed something,
    // it is ended, and the client resumes exactly with Last-Event-ID.
    if (this.stalledSince !== undefined && this.bus.clock() - this.stalledSince > this.bus.limits.skipAfterMs) {
      this.skipped = true;
      this.bus.check(this);
      return;
    }
    if (!this.sink.write(chunk) && this.stalledSince === undefined) {
      this.stalledSince = this.bus.clock();
      this.sink.once('drain', () => {
        this.stalledSince = undefined;
        if (this.skipped && !this.closed) {
          this.bus.remove(this);
          this.sink.destroy();
        }
      });
    }
    this.bus.check(this);
  }

  close(): void {
    this.bus.remove(this);
  }
}

export class Bus {
  readonly limits: BusLimits;
  readonly clock: () => number;
  private readonly subs = new Set<Subscription>();
  private readonly perToken = new Map<string, number>();
  private readonly journal: Group[] = [];
  /** the journal holds every history group after this position */
  private floor: number;
  private pending: Group | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private renders = 0;
  private readonly snapshots = new Map<string, { position: number; frame: Buffer }>();
  /** deliveries not yet begun, in the order sent; each stream gets them in this order */
  private outbox: Delivery[] = [];
  private seq = 0;
  private round: Round | undefined;
  private pumping = false;
  /** the record position the state has reached (set by the publisher as it applies entries) */
  position: number;

  constructor(o: { limits?: Partial<BusLimits>; now?: () => number; position?: number } = {}) {
    this.limits = { ...DEFAULT_BUS_LIMITS, ...o.limits };
    this.clock = o.now ?? Date.now;
    this.position = this.floor = o.position ?? 0;
  }

  /** Events published from now on follow from the entry that ends at `position` (its index + 1). */
  at(position: number): void {
    if (this.pending && this.pending.position !== position) this.flush();
    this.position = position;
  }

  get listening(): boolean {
    return this.subs.size > 0;
  }

  /** open streams */
  get size(): number {
    return this.subs.size;
  }

  /** render calls so far (one per event and audience, however many sockets) */
  get renderCount(): number {
    return this.renders;
  }

  /** bytes held by all open streams' sockets */
  get bufferedBytes(): number {
    let n = 0;
    for (const s of this.subs) n += s.sink.writableLength;
    return n;
  }

  publish(e: BusEvent): void {
    if (!HISTORY.has(e.type)) {
      // State goes out at once, after any history before it, with no id and no journal.
      this.flush();
      this.send({ position: undefined, events: [e], frames: new Map() });
      return;
    }
    if (this.pending && this.pending.position !== this.position) this.flush();
    if (!this.pending) {
      this.pending = { position: this.position, events: [], frames: new Map() };
      // Everything one entry causes is published in the same turn; send it as one group.
      queueMicrotask(() => this.flush());
    }
    this.pending.events.push(e);
  }

  /** Sends the group being collected, if any (before a new subscriber reads the journal). */
  flush(): void {
    const g = this.pending;
    if (!g) return;
    this.pending = undefined;
    this.journal.push(g);
    // Trimmed in halves, not one by one, so that keeping it costs O(1) a group.
    if (this.journal.length >= 2 * this.limits.journalGroups) {
      const dropped = this.journal.splice(0, this.journal.length - this.limits.journalGroups);
      this.floor = dropped[dropped.length - 1].position!;
    }
    this.send(g);
  }

  /** Whether history after `position` is all in the journal (else the caller falls back). */
  covers(position: number): boolean {
    return position >= this.floor;
  }

  /** The journal's history after `position`, as this actor may see it, preformatted. */
  *replay(actor: Actor, position: number): Iterable<Buffer> {
    this.flush();
    for (const g of this.journal) {
      if (g.position! <= position) continue;
      const f = this.frameOf(g, actor);
      if (f) yield f;
    }
  }

  /**
   * A state frame for this audience as of the current record position (the posture
   * sent on connecting), rendered once however many connect before the state moves.
   */
  snapshot(type: string, actor: Actor, render: () => unknown): Buffer {
    const key = `${type}\n${actor.id}`;
    const hit = this.snapshots.get(key);
    if (hit && hit.position === this.position) return hit.frame;
    this.renders++;
    const frame = Buffer.from(`event: ${type}\ndata: ${JSON.stringify(render())}\n\n`);
    this.snapshots.set(key, { position: this.position, frame });
    return frame;
  }

  /** Whether this token may open another stream. */
  mayOpen(token: string): boolean {
    return (this.perToken.get(token) ?? 0) < this.limits.streamsPerToken;
  }

  /**
   * Adds a stream (check mayOpen first). `onClose` runs once when the stream ends,
   * whoever ends it: the client, close(), or the bus dropping a slow reader.
   */
  subscribe(actor: Actor, token: string, sink: Sink): Stream {
    this.flush();
    const s = new Subscription(actor, token, sink, this);
    s.from = this.seq;
    this.subs.add(s);
    this.perToken.set(token, (this.perToken.get(token) ?? 0) + 1);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.beat(), this.limits.heartbeatMs);
      this.heartbeat.unref();
    }
    return s;
  }

  /** @internal drops a stream whose socket holds too much or has not drained for too long */
  check(s: Subscription): void {
    if (s.closed) return;
    const stalled = s.stalledSince !== undefined && this.clock() - s.stalledSince > this.limits.maxStalledMs;
    if (s.sink.writableLength > s.allowance || stalled) {
      this.remove(s);
      s.sink.destroy();
    }
  }

  /** @internal */
  remove(s: Subscription): void {
    if (s.closed) return;
    s.closed = true;
    this.subs.delete(s);
    const n = (this.perToken.get(s.token) ?? 1) - 1;
    if (n > 0) this.perToken.set(s.token, n);
    else this.perToken.delete(s.token);
    if (this.subs.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  /** Whether frames sent are still on their way to some streams. */
  get delivering(): boolean {
    return this.outbox.length > 0 || this.round !== undefined;
  }

  /** Ends every stream (the server is closing). */
  close(): void {
    this.flush();
    this.outbox = [];
    this.round = undefined;
    for (const s of [...this.subs]) {
      this.remove(s);
      s.sink.destroy();
    }
  }

  private beat(): void {
    this.deliver(() => KEEP_ALIVE);
  }

  private send(g: Group): void {
    this.deliver((actor) => this.frameOf(g, actor));
  }

  private deliver(frameFor: (actor: Actor) => Buffer | null): void {
    if (this.subs.size === 0) return;
    this.outbox.push({ frameFor, seq: this.seq++ });
    if (!this.pumping) {
      this.pumping = true;
      setImmediate(this.pump);
    }
  }

  private readonly pump = (): void => {
    const stop = performance.now() + this.limits.sliceMs;
    for (;;) {
      let r = this.round;
      if (!r) {
        // Everything sent since the last round began goes out together.
        if (this.outbox.length === 0) break;
        r = this.round = { batch: this.outbox, targets: [...this.subs], next: 0, joined: new Map() };
        this.outbox = [];
      }
      while (r.next < r.targets.length) {
        const s = r.targets[r.next++];
        if (!s.closed) {
          const f = this.joinedFor(r, s);
          if (f) s.write(f);
        }
        // After each socket: one write of a posture can take a tenth of a millisecond.
        if (performance.now() > stop) {
          setImmediate(this.pump);
          return;
        }
      }
      this.round = undefined;
    }
    this.pumping = false;
  };

  /** The frames of a round this stream is due, joined once per audience and starting point. */
  private joinedFor(r: Round, s: Subscription): Buffer | null {
    const first = r.batch[0].seq >= s.from ? 0 : r.batch.findIndex((d) => d.seq >= s.from);
    if (first < 0) return null;
    const key = first === 0 ? s.actor.id : `${s.actor.id}\n${first}`;
    const hit = r.joined.get(key);
    if (hit !== undefined) return hit;
    const parts: Buffer[] = [];
    for (let i = first; i < r.batch.length; i++) {
      const f = r.batch[i].frameFor(s.actor);
      if (f) parts.push(f);
    }
    const joined = parts.length === 0 ? null : parts.length === 1 ? parts[0] : Buffer.concat(parts);
    r.joined.set(key, joined);
    return joined;
  }

  private frameOf(g: Group, actor: Actor): Buffer | null {
    const cached = g.frames.get(actor.id);
    if (cached !== undefined) return cached;
    const frames: string[] = [];
    for (const e of g.events) {
      this.renders++;
      const data = e.render(actor);
      if (data !== undefined) frames.push(`event: ${e.type}\ndata: ${JSON.stringify(data)}\n`);
    }
    let f: Buffer | null = null;
    if (frames.length) {
      // The id goes on the group's last frame: only a client that got all of it moves on.
      const last = frames.length - 1;
      if (g.position !== undefined) frames[last] = `id: ${g.position}\n${frames[last]}`;
      f = Buffer.from(`${frames.join('\n')}\n`);
    }
    g.frames.set(actor.id, f);
    return f;
  }
}

/** An event with only an id: sets the client's last event id, and dispatches nothing. */
export function positionFrame(position: number): Buffer {
  return Buffer.from(`id: ${position}\n\n`);
}
