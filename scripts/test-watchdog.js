// Loaded into every test file's process by scripts/test.js. A file whose tests have all
// finished but which leaves a handle open (a server a failed assertion never stopped, a
// child process, a timer) would otherwise keep its process alive, and `node --test` waits
// for it forever: one such file hung a whole `npm test` once. Once the file's tests and
// hooks are done, the process gets a grace period to exit on its own; then it is failed,
// saying why, so the run ends and names the file.
import { after } from 'node:test';

const GRACE_MS = Number(process.env.DETENTE_TEST_EXIT_GRACE_MS ?? 60_000);

after(() => {
  const timer = setTimeout(() => {
    console.error(
      `# this file's tests finished ${GRACE_MS / 1000} s ago but something it opened is still running (a server, a child, a timer): exiting as failed`,
    );
    process.exit(1);
  }, GRACE_MS);
  timer.unref();
});
