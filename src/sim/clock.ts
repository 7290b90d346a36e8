// The demo's clock: held still while the talks history is written at its own past
// times, then running from the story's start at many times real speed, so that
// three months of monitoring play out in minutes.

export class StoryClock {
  private fixed: number | undefined;
  private origin = 0;
  private realOrigin = 0;

  constructor(private readonly speed: number) {}

  /** Holds the clock at `t` (epoch ms). */
  hold(t: number): void {
    this.fixed = t;
  }

  /** Runs the clock from `t`, `speed` story milliseconds per real one. */
  run(t: number): void {
    this.fixed = undefined;
    this.origin = t;
    this.realOrigin = Date.now();
  }

  readonly now = (): number => (this.fixed !== undefined ? this.fixed : this.origin + (Date.now() - this.realOrigin) * this.speed);

  /** Real milliseconds until the story reaches `t`. */
  realDelay(t: number): number {
    return this.fixed !== undefined ? 0 : Math.max(0, (t - this.now()) / this.speed);
  }
}
