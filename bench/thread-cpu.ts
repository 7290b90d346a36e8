// CPU time, not wall time, for the verify and follow suites' accounting: on a machine
// shared with other work a thread's busy wall time includes the time it waited for a
// core, CPU time does not. The main thread's comes from Linux's per-thread counters
// (/proc/self/task/<pid>/stat, clock ticks of 10 ms); the whole process's (every thread:
// the workers, and V8's and libuv's helpers) from process.cpuUsage().
import { readFileSync } from 'node:fs';

export interface CpuMark {
  /** microseconds of CPU on the main thread (undefined off Linux) */
  main: number | undefined;
  /** microseconds of CPU on every thread of the process */
  all: number;
}

function mainThreadUs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, so split after its ')').
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
    return ((Number(f[11]) + Number(f[12])) * 1e6) / 100;
  } catch {
    return undefined;
  }
}

export function cpuMark(): CpuMark {
  const u = process.cpuUsage();
  return { main: mainThreadUs(), all: u.user + u.system };
}

/** CPU µs per item since `from`: the main thread's, and the rest of the process's. */
export function cpuPerItem(from: CpuMark, items: number): { main: number | undefined; others: number; all: number } {
  const to = cpuMark();
  const all = (to.all - from.all) / items;
  const main = to.main === undefined || from.main === undefined ? undefined : (to.main - from.main) / items;
  return { main, others: all - (main ?? 0), all };
}
