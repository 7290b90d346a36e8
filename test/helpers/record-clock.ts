// A clock the test moves by hand, for the log's `now` and `setTimer` options: timers fire
// when the time passes them, never on their own, so a test of pacing sleeps on nothing.

export class TestClock {
  private time: number;
  private timers: Array<{ at: number; fn: () => void }> = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now = (): number => this.time;

  setTimer = (fn: () => void, ms: number): (() => void) => {
    const t = { at: this.time + ms, fn };
    this.timers.push(t);
    return () => {
      this.timers = this.timers.filter((x) => x !== t);
    };
  };

  get pending(): number {
    return this.timers.length;
  }

  /** Moves the time on by `ms`, firing (in time order) the timers it passes. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = end;
  }
}

/** Lets the log's writer (which yields with setImmediate between batches) run until `done` or give up. */
export async function settle(done: () => boolean = () => false, turns = 200): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((r) => setImmediate(r));
}
