// A progress bar on stderr for long inputs, shown only to a person (stderr is a
// terminal) and only when the input's size is known and large.
import cliProgress from 'cli-progress';

const SHOW_FROM_BYTES = 8 * 1024 * 1024;

export class Progress {
  private bar?: cliProgress.SingleBar;
  private done = 0;

  constructor(total: number, quiet: boolean) {
    if (quiet || !process.stderr.isTTY || total < SHOW_FROM_BYTES) return;
    this.bar = new cliProgress.SingleBar(
      { format: 'checking {bar} {percentage}% | {value}/{total} MiB | eta {eta}s', stream: process.stderr, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(Math.ceil(total / 1048576), 0);
  }

  add(bytes: number): void {
    if (!this.bar) return;
    this.done += bytes;
    this.bar.update(Math.floor(this.done / 1048576));
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
