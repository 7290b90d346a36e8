// `--bench FILE` of detente serve and detente demo: the model read as `detente analyze`
// reads it, or its problems on stderr and exit 2 before anything starts.
import { BenchFileError, readModelFile } from '../server/core/bench-store.ts';

/** The model (undefined without --bench), or 2 once the problems are written. */
export function benchArg(file: string | undefined): { model: unknown } | 2 {
  if (file === undefined) return { model: undefined };
  try {
    return { model: readModelFile(file) };
  } catch (e) {
    if (!(e instanceof BenchFileError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
}
