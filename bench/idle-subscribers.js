// Subscribers that never read, in their own process (so they do not share the server's
// core): opens COUNT event streams over raw sockets, round-robin over the tokens, and
// never reads a byte. Prints how many are still connected when stdin closes.
//   node bench/idle-subscribers.js URL COUNT TOKEN...
import { connect } from 'node:net';

const [url, countArg, ...tokens] = process.argv.slice(2);
const target = new URL(url);
const count = Number(countArg);
let open = 0;
for (let i = 0; i < count; i++) {
  const s = connect(Number(target.port), target.hostname, () => {
    s.write(`GET ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\nauthorization: Bearer ${tokens[i % tokens.length]}\r\n\r\n`);
  });
  s.pause();
  open++;
  s.on('error', () => undefined);
  s.on('close', () => open--);
}
process.stdin.resume();
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify({ open }));
  process.exit(0);
});
