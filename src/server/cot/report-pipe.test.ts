import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DeviceReport, ReportPipe } from './report-pipe.ts';

const report = (k: number): DeviceReport => ({
  type: 'observation',
  id: `cot:u${k}@t${k}`,
  time: `t${k}`,
  unit: `u${k}`,
  actor: 'il',
  position: [35, 33],
  how: 'm-g',
});

/** A deployment stand-in: refuses at once (as the real one checks before appending) the ids it is told to; records the rest after a delay. */
function fakeDeployment(refuse: Set<string>, delayMs = 5) {
  const recorded: string[] = [];
  const posts: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const post = (reports: DeviceReport[]): Promise<unknown> => {
    const bad = reports.flatMap((r, i) => (refuse.has(r.id) ? [{ path: `[${i}].id`, message: `duplicate report id "${r.id}"` }] : []));
    if (bad.length) return Promise.reject(Object.assign(new Error('refused'), { status: 400, issues: bad }));
    posts.push(reports.length);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise((r) =>
      setTimeout(() => {
        inFlight--;
        for (const x of reports) recorded.push(x.id);
        r({});
      }, delayMs),
    );
  };
  return { post, recorded, posts, maxInFlight: () => maxInFlight };
}

test('refused reports are logged one by one and the rest of their post is recorded, in the order they came', async () => {
  const all = Array.from({ length: 50 }, (_, k) => report(k));
  const refuse = new Set([all[3].id, all[17].id, all[18].id, all[49].id]);
  const d = fakeDeployment(refuse);
  const log: string[] = [];
  const pipe = new ReportPipe({ post: d.post, writable: async () => {}, log: (m) => log.push(m), pause() {}, resume() {} });
  for (let k = 0; k < 50; k += 10) pipe.push(all.slice(k, k + 10));
  await pipe.idle();
  assert.deepEqual(
    d.recorded,
    all.filter((r) => !refuse.has(r.id)).map((r) => r.id),
  );
  assert.equal(log.length, 4);
  assert.match(log[0], /uid "u3" .* refused: id: duplicate report id/);
  assert.equal(d.maxInFlight(), 1, 'one post in flight at a time');
  assert.ok(d.posts.length < 5, `reads that came during a post went out together: ${d.posts}`);
});

test('the socket is paused while more than the bound is outstanding, and resumed once half has settled', async () => {
  const d = fakeDeployment(new Set(), 20);
  const events: string[] = [];
  let outstanding = 0;
  const pipe = new ReportPipe({
    post: async (rs) => {
      await d.post(rs);
      outstanding -= rs.length;
    },
    writable: async () => {},
    log: () => {},
    pause: () => events.push(`pause at ${outstanding}`),
    resume: () => events.push(`resume at ${outstanding}`),
    maxOutstanding: 100,
  });
  for (let k = 0; k < 6; k++) {
    const rs = Array.from({ length: 40 }, (_, i) => report(k * 40 + i));
    outstanding += rs.length;
    pipe.push(rs);
  }
  assert.deepEqual(events, ['pause at 120']);
  await pipe.idle();
  assert.equal(d.recorded.length, 240);
  assert.equal(events.length, 2);
  assert.match(events[1], /^resume at ([0-9]|[1-4][0-9]|50)$/);
});

test('a post refused while writes are held waits for the record to take writes, then goes through', async () => {
  let held = true;
  const recorded: string[] = [];
  let release!: () => void;
  const writable = new Promise<void>((r) => (release = r));
  const pipe = new ReportPipe({
    post: (rs) => {
      if (held) return Promise.reject(Object.assign(new Error('the stored record is being checked'), { status: 503 }));
      for (const r of rs) recorded.push(r.id);
      return Promise.resolve({});
    },
    writable: () => writable,
    log: () => {},
    pause() {},
    resume() {},
  });
  pipe.push([report(1), report(2)]);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(recorded, []);
  held = false;
  release();
  await pipe.idle();
  assert.deepEqual(recorded, [report(1).id, report(2).id]);
});
