// The demo's report feed: the example's reports replayed on the story clock, again
// and again, each round later by the story's length and with ids of its own, tracks
// nudged by a few metres so that no two rounds are identical. Every finding kind the
// example shows happens in every round, except commitments, which are once-only.
import { readFileSync } from 'node:fs';
import { parseTime } from '../arrangement/time.ts';
import type { StoryClock } from './clock.ts';
import { rng } from './random.ts';

type Raw = Record<string, unknown> & { id: string; time: string; type: string };

export interface Poster {
  /** files reports in the name of an actor; rejects if they are refused */
  post(actor: string, reports: Raw[]): Promise<unknown>;
}

/** Who files a report of the example: its `source` or acting actor (a sensor "ru-radar" is ru's). */
export function filerOf(r: Raw, actors: ReadonlySet<string>): string {
  const source = typeof r.source === 'string' ? r.source : undefined;
  if (r.type === 'notification' || r.type === 'ack') return String(r.actor);
  if (source && actors.has(source)) return source;
  const owner = source?.split('-')[0];
  if (owner && actors.has(owner)) return owner;
  return String(r.actor);
}

export class ReportFeed {
  private readonly reports: Raw[];
  private readonly start: number;
  private readonly span: number;
  private round = 0;
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly random = rng(2025);
  /** reports posted, and refused (a refusal is logged and the feed goes on) */
  posted = 0;
  refused = 0;

  constructor(
    file: string,
    private readonly clock: StoryClock,
    private readonly poster: Poster,
    private readonly actors: ReadonlySet<string>,
    private readonly onError: (message: string) => void = () => {},
  ) {
    this.reports = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Raw)
      .sort((a, b) => parseTime(a.time) - parseTime(b.time));
    this.start = parseTime(this.reports[0].time);
    // A round lasts the story and a day more, so that deadlines of one round pass before the next.
    this.span = parseTime(this.reports[this.reports.length - 1].time) - this.start + 86_400_000;
  }

  /**
   * Story time up to which every report has been posted: the engine's clock must not
   * pass a report that is due but still on its way, or it would judge it late.
   */
  horizon(): number {
    return (this.waiting[0] !== undefined ? parseTime(this.waiting[0].time) : parseTime(this.reports[this.next].time) + this.round * this.span) - 1;
  }

  /** reports taken from the story but not yet posted, in order */
  private waiting: Raw[] = [];

  /** Story time of the first report. */
  get storyStart(): number {
    return this.start;
  }

  run(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private shifted(r: Raw): Raw {
    const offset = this.round * this.span;
    const shift = (t: unknown) => new Date(parseTime(String(t)) + offset).toISOString().replace('.000Z', 'Z');
    const suffix = this.round === 0 ? '' : `~${this.round}`;
    const out: Raw = { ...r, id: r.id + suffix, time: shift(r.time) };
    if (r.type === 'notification') {
      const w = r.window as { from: string; to: string };
      out.window = { from: shift(w.from), to: shift(w.to) };
    }
    if (r.type === 'ack') out.notification = String(r.notification) + suffix;
    if (r.type === 'track' && Array.isArray(r.position) && this.round > 0) {
      const [lon, lat, ...rest] = r.position as number[];
      out.position = [lon + (this.random() - 0.5) * 1e-4, lat + (this.random() - 0.5) * 1e-4, ...rest];
    }
    return out;
  }

  private schedule(): void {
    if (this.stopped) return;
    const r = this.reports[this.next];
    const at = parseTime(r.time) + this.round * this.span;
    this.timer = setTimeout(() => void this.fire(), Math.min(this.clock.realDelay(at), 2 ** 31 - 1));
    this.timer.unref();
  }

  private async fire(): Promise<void> {
    // Everything due by now goes out, in story order.
    const now = this.clock.now();
    while (!this.stopped) {
      const r = this.reports[this.next];
      if (parseTime(r.time) + this.round * this.span > now) break;
      this.waiting.push(this.shifted(r));
      if (++this.next === this.reports.length) {
        this.next = 0;
        this.round++;
      }
    }
    while (this.waiting.length && !this.stopped) {
      const r = this.waiting[0];
      try {
        await this.poster.post(filerOf(r, this.actors), [r]);
        this.posted++;
      } catch (e) {
        this.refused++;
        this.onError(`report ${r.id}: ${(e as Error).message}`);
      }
      this.waiting.shift();
    }
    this.schedule();
  }
}
