// The demo's witnesses: Israel's, Syria's and the United States' (the guarantor's), each
// `detente witness` in a process of its own with a data directory of its own, as each
// would run one on its own machine. They trust the demo log's key; the arrangement the
// demo serves names their keys, and two of the three must cosign a checkpoint before a
// client takes it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BIN = new URL('../../bin/detente.js', import.meta.url).pathname;

export const DEMO_WITNESSES = [
  { name: 'il-witness', actor: 'il' },
  { name: 'sy-witness', actor: 'sy' },
  { name: 'us-witness', actor: 'us' },
] as const;
export const DEMO_QUORUM = 2;

export interface RunningWitness {
  name: string;
  actor: string;
  url: string;
  vkey: string;
  process: ChildProcess;
}

/** Starts one witness process and waits for the two lines it prints: its key, and where it listens. */
function startOne(dir: string, name: string, actor: string, origin: string, logVkey: string, host: string): Promise<RunningWitness> {
  mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, [BIN, 'witness', '--data', dir, '--name', name, '--port', '0', '--host', host, '--log', `${origin}=${logVkey}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const rl = createInterface({ input: child.stdout! });
    const fail = (why: string) => {
      child.kill();
      reject(new Error(`witness ${name}: ${why}`));
    };
    const timer = setTimeout(() => fail('did not start within 30 s'), 30_000);
    child.once('exit', (code) => fail(`exited with ${code} before listening`));
    rl.on('line', (line) => {
      lines.push(line);
      const url = /listening at (\S+)/.exec(line)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      rl.close();
      resolve({ name, actor, url, vkey: lines[0], process: child });
    });
  });
}

export async function startDemoWitnesses(dataDir: string, origin: string, logVkey: string, host: string): Promise<RunningWitness[]> {
  const started = await Promise.allSettled(DEMO_WITNESSES.map((w) => startOne(join(dataDir, 'witnesses', w.name), w.name, w.actor, origin, logVkey, host)));
  const up = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    stopWitnesses(up);
    throw (failed as PromiseRejectedResult).reason;
  }
  return up;
}

export function stopWitnesses(ws: readonly RunningWitness[]): void {
  for (const w of ws) if (w.process.exitCode === null) w.process.kill('SIGTERM');
}
