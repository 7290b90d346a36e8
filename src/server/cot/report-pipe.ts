// A connection's reports on their way into the record, in the order they arrived.
// Each read's worth goes out as one post (the deployment's custodial report path);
// posts are made one after another, so the record keeps the connection's order.
// A post refused for some of its reports (a duplicate id, a time ahead of the clock,
// a unit the actor may not report) is logged report by report and re-posted without
// them: one bad event costs nothing but itself. While more than `maxOutstanding`
// reports are queued or in flight, the socket is paused (TCP then pushes back on the
// device) and resumed once half of them have settled.
import { MAX_BATCH } from '../intake.ts';
import type { CotReport } from '../../interop/cot/to-report.ts';

/** A device's report: the CoT mapping's, and the device it came from when the connection named one. */
export type DeviceReport = CotReport & { device?: string };

export interface ReportPipeOptions {
  /** posts reports as the connection's actor (Deployment.postReports); settles once durable and applied */
  post(reports: DeviceReport[]): Promise<unknown>;
  /** settles once the record takes writes (it may be held while the stored record is checked) */
  writable(): Promise<void>;
  log(message: string): void;
  pause(): void;
  resume(): void;
  /** reports queued or in flight before the socket is paused (default 20,000) */
  maxOutstanding?: number;
  /** posts in flight at once (default 1): reads that arrive meanwhile are coalesced into the next */
  maxPosts?: number;
  /** a post of fewer reports than this waits up to `lingerMs` for more (defaults 1,000 and 2 ms) */
  minBatch?: number;
  lingerMs?: number;
  /** reports the record took, as each post settles */
  accepted?(n: number): void;
}

/** An error the deployment throws for a request: its status and the fields at fault. */
interface RequestIssue {
  path: string;
  message: string;
}
type RequestError = Error & { status?: number; issues?: RequestIssue[] };

const NOT_YET = Symbol('in flight');
const INDEX = /^\[(\d+)\]/;

export class ReportPipe {
  private queue: DeviceReport[] = [];
  private outstanding = 0;
  private running = false;
  private paused = false;
  private posts = 0;
  private readonly max: number;
  private readonly maxPosts: number;
  private readonly minBatch: number;
  private readonly lingerMs: number;
  private linger: NodeJS.Timeout | undefined;
  /** resolves when every report pushed so far has settled */
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly o: ReportPipeOptions) {
    this.max = o.maxOutstanding ?? 20_000;
    this.maxPosts = o.maxPosts ?? 1;
    this.minBatch = o.minBatch ?? 1000;
    this.lingerMs = o.lingerMs ?? 2;
  }

  push(reports: DeviceReport[]): void {
    if (reports.length === 0) return;
    for (const r of reports) this.queue.push(r);
    this.outstanding += reports.length;
    if (!this.paused && this.outstanding > this.max) {
      this.paused = true;
      this.o.pause();
    }
    this.kick();
  }

  private kick(): void {
    if (this.running || this.posts >= this.maxPosts || this.queue.length === 0) return;
    // Each post costs a signature and, above all, a commit of the record (an fsync, which
    // holds the event loop, so no read comes in meanwhile): a small one waits a moment
    // for the reads behind it, as a stream of events arrives a socket read at a time.
    if (this.queue.length < this.minBatch && !this.linger) {
      this.linger = setTimeout(() => {
        this.linger = undefined;
        if (!this.running && this.posts < this.maxPosts && this.queue.length) void this.run();
      }, this.lingerMs);
      return;
    }
    if (this.queue.length >= this.minBatch) {
      clearTimeout(this.linger);
      this.linger = undefined;
      void this.run();
    }
  }

  /** Settles once every report pushed so far is in the record or refused. */
  idle(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      // Each post is one signed entry (or a few): the fewer and larger, the cheaper per
      // report, so reads that come while posts are in flight wait and go out together.
      while (this.queue.length && this.posts < this.maxPosts) await this.post(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.running = false;
    }
  }

  /**
   * Posts a batch. The deployment checks reports before it appends anything, so a refusal
   * is known at once (the returned promise is already rejected): the race below learns it
   * before the next read is taken, and the rest of the batch is re-posted in its place.
   */
  private async post(batch: DeviceReport[]): Promise<void> {
    let rest = batch;
    let waited = false;
    while (rest.length) {
      let p: Promise<unknown>;
      try {
        p = this.o.post(rest);
      } catch (e) {
        p = Promise.reject(e);
      }
      let refused: RequestError | undefined;
      try {
        await Promise.race([p, NOT_YET]);
      } catch (e) {
        refused = e as RequestError;
      }
      if (!refused) {
        this.track(p, rest);
        return;
      }
      if (refused.status === 503 && !waited) {
        // Writes held (the stored record being checked): wait, then try once more.
        waited = true;
        await this.o.writable().catch(() => undefined);
        continue;
      }
      const next = this.without(rest, refused);
      this.settle(rest.length - next.length);
      rest = next;
    }
  }

  /** The batch without the reports the error names; all of it when it names none (each logged). */
  private without(batch: DeviceReport[], e: RequestError): DeviceReport[] {
    const bad = new Map<number, string>();
    for (const i of e.issues ?? []) {
      const m = INDEX.exec(i.path);
      if (m && Number(m[1]) < batch.length && !bad.has(Number(m[1])))
        bad.set(Number(m[1]), `${i.path.slice(m[0].length).replace(/^\./, '') || 'report'}: ${i.message}`);
    }
    if (bad.size === 0) {
      this.o.log(`${batch.length} report(s) not recorded (the first: ${describe(batch[0])}): ${e.message}`);
      return [];
    }
    for (const [i, why] of bad) this.o.log(`${describe(batch[i])} refused: ${why}`);
    return batch.filter((_, i) => !bad.has(i));
  }

  private track(p: Promise<unknown>, batch: DeviceReport[]): void {
    this.posts++;
    p.then(
      () => {
        this.o.accepted?.(batch.length);
        this.posted(batch.length);
      },
      (e: RequestError) => {
        // Refused after the check (the record failed, the server is closing): nothing of it was recorded.
        this.o.log(`${batch.length} report(s) not recorded (the first: ${describe(batch[0])}): ${e.message}`);
        this.posted(batch.length);
      },
    );
  }

  private posted(n: number): void {
    this.posts--;
    this.settle(n);
    this.kick();
  }

  private settle(n: number): void {
    this.outstanding -= n;
    if (this.paused && this.outstanding <= this.max / 2) {
      this.paused = false;
      this.o.resume();
    }
    if (this.outstanding === 0) for (const w of this.idleWaiters.splice(0)) w();
  }
}

function describe(r: DeviceReport): string {
  return `event uid ${JSON.stringify(r.unit)} at ${r.time} (report ${r.id})`;
}
