// The timeline's source for a past moment: the server's history (docs/history.md), not
// only what this tab received, so a moment before the tab opened can be seen too.
//
// Time is cut into fixed windows; one window is three requests (positions at its start,
// tracks from a trail's length before it to its end, findings open at its start and the
// transitions in it), kept in a small cache, so that scrubbing back and forth or playing
// through a window asks the server nothing more. Requests wait until scrubbing pauses
// (debounced), and a request for a window no longer wanted is cancelled (AbortController).
import type { App } from '../app.ts';
import type { BookedFindingView } from '../api/types.ts';
import { type FrameData, HistoryFrame, type HistoryPoint } from './history-frame.ts';

/** One window of history, ms: playing at 60× crosses it in five seconds. */
export const WINDOW_MS = 5 * 60_000;
/** How far back a trail reaches, ms. */
export const TRAIL_MS = 10 * 60_000;
const DEBOUNCE_MS = 150;
const CACHE = 16;

export type HistoryStatus = 'idle' | 'loading' | 'ready' | 'failed';

const iso = (ms: number) => new Date(ms).toISOString();

export class HistoryStore {
  private readonly cache = new Map<number, HistoryFrame>();
  private readonly inFlight = new Map<number, AbortController>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wanted: number | undefined;
  status: HistoryStatus = 'idle';
  /** requests sent to the history routes (the browser test reads it) */
  requests = 0;

  constructor(private readonly app: App) {
    app.on('time', () => this.want(app.viewTime));
  }

  private readonly waiting = new Map<number, (() => void)[]>();

  /** Resolves once the window holding t has arrived (never, if it is cancelled first). */
  loaded(t: number): Promise<void> {
    const k = Math.floor(t / WINDOW_MS);
    if (this.cache.has(k)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiting.get(k) ?? [];
      list.push(resolve);
      this.waiting.set(k, list);
    });
  }

  /** The window holding t, if fetched. */
  frameAt(t: number): HistoryFrame | undefined {
    return this.cache.get(Math.floor(t / WINDOW_MS));
  }

  /** The moment shown changed: fetch its window (and the next, for playing on) once scrubbing pauses. */
  want(t: number | null): void {
    clearTimeout(this.timer);
    if (t === null) {
      this.wanted = undefined;
      this.cancelExcept(new Set());
      this.status = 'idle';
      return;
    }
    const k = Math.floor(t / WINDOW_MS);
    this.wanted = k;
    const keep = new Set([k, k + 1]);
    this.cancelExcept(keep);
    if (this.cache.has(k)) {
      this.status = 'ready';
      // Playing on: the next window comes before it is needed, at once.
      if (!this.cache.has(k + 1) && !this.inFlight.has(k + 1)) void this.load(k + 1);
      return;
    }
    this.status = 'loading';
    this.timer = setTimeout(() => {
      if (!this.inFlight.has(k)) void this.load(k);
    }, DEBOUNCE_MS);
  }

  private cancelExcept(keep: Set<number>): void {
    for (const [k, c] of this.inFlight)
      if (!keep.has(k)) {
        c.abort();
        this.inFlight.delete(k);
      }
  }

  private async load(k: number): Promise<void> {
    const from = k * WINDOW_MS;
    const to = from + WINDOW_MS;
    const controller = new AbortController();
    this.inFlight.set(k, controller);
    const get = <T>(path: string) => {
      this.requests++;
      return this.app.api.json<T>(`${this.app.base}/history/${path}`, { signal: controller.signal });
    };
    try {
      // `to` is inclusive on the server; the window is [from, to), so a point at `to` is merely one more.
      const [positions, tracks, open, transitions] = await Promise.all([
        get<{ units: HistoryPoint[] }>(`positions?at=${iso(from)}`),
        get<HistoryPoint[]>(`tracks?from=${iso(from - TRAIL_MS)}&to=${iso(to)}`),
        get<{ findings: BookedFindingView[] }>(`findings?at=${iso(from)}`),
        get<BookedFindingView[]>(`findings?from=${iso(from)}&to=${iso(to)}`),
      ]);
      const data: FrameData = { from, to, trail: TRAIL_MS, positions: positions.units, tracks, open: open.findings, transitions };
      this.cache.set(k, new HistoryFrame(data));
      while (this.cache.size > CACHE) this.cache.delete(this.cache.keys().next().value!);
      // Findings from before the tab opened join the list and the timeline's marks (the store ignores those it has).
      let added = false;
      for (const b of [...data.open, ...data.transitions]) added = this.app.findings.add(b) || added;
      if (added) this.app.emit('findings');
      if (this.wanted === k) {
        this.status = 'ready';
        // Redraw what the moment shows, now from history (the time itself is unchanged).
        this.app.emit('time');
      }
      for (const resolve of this.waiting.get(k) ?? []) resolve();
      this.waiting.delete(k);
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      if (this.wanted === k) {
        this.status = 'failed';
        this.app.emit('time');
      }
      console.warn('history:', e);
    } finally {
      if (this.inFlight.get(k) === controller) this.inFlight.delete(k);
    }
  }
}

const stores = new WeakMap<App, HistoryStore>();

/** The page's history store (one per app, made on first use). */
export function historyOf(app: App): HistoryStore {
  let s = stores.get(app);
  if (!s) stores.set(app, (s = new HistoryStore(app)));
  return s;
}
