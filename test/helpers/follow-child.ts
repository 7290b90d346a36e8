// A follower in a process of its own, for the crash test: one round against URL with
// small durable batches (so that a kill finds some entries mirrored), then its result
// as JSON on stdout.
import { Follower } from '../../src/follow/follower.ts';
import { ID } from './server.ts';

const [url, token, dir] = process.argv.slice(2);
const f = new Follower({ dir, url, arrangement: ID, token, appendBatch: 256 });
const r = await f.round();
await f.close();
process.stdout.write(`${JSON.stringify({ size: r.size, appended: r.appended, discrepancies: r.discrepancies })}\n`);
