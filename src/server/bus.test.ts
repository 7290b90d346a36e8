// The bus's fan-out: after the publisher's turn, in slices, in order per stream.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { Actor } from '../policy/policy.ts';
import { Bus, type Sink } from './bus.ts';

class RecordingSink implements Sink {
  readonly got: string[] = [];
  writableLength = 0;
  constructor(private readonly cost: number) {}
  write(chunk: Buffer): boolean {
    // a socket's kernel copy, as the fan-out pays it
    const end = performance.now() + this.cost;
    while (performance.now() < end);
    this.got.push(chunk.toString());
    return true;
  }
  once(): unknown {
    return this;
  }
  destroy(): void {}
}

const actor = { id: 'ru', role: 'mediator' } as Actor;

/** The `n` of every data line a sink got, in order, however the frames were joined into writes. */
function ns(s: RecordingSink): number[] {
  return s.got.flatMap((w) => [...w.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]).n as number));
}
const settle = () => new Promise((r) => setTimeout(r, 20));

test('publishing returns before any stream is written, and every stream gets every frame in order', async () => {
  const bus = new Bus();
  const sinks = Array.from({ length: 50 }, () => new RecordingSink(0));
  for (const [i, s] of sinks.entries()) bus.subscribe(actor, `t${i}`, s);
  for (let n = 0; n < 5; n++) bus.publish({ type: 'checkpoint', render: () => ({ n }) });
  await Promise.resolve();
  assert.ok(
    sinks.every((s) => s.got.length === 0),
    'the publisher did not wait for the fan-out',
  );
  while (bus.delivering) await settle();
  for (const s of sinks) assert.deepEqual(ns(s), [0, 1, 2, 3, 4]);
  bus.close();
});

test('the frames sent while a round is pending reach each stream in one write, the same bytes for an audience', async () => {
  const bus = new Bus();
  const sinks = Array.from({ length: 20 }, () => new RecordingSink(0));
  for (const [i, s] of sinks.entries()) bus.subscribe(actor, `t${i}`, s);
  for (let n = 0; n < 3; n++) bus.publish({ type: 'checkpoint', render: () => ({ n }) });
  while (bus.delivering) await settle();
  for (const s of sinks) {
    assert.equal(s.got.length, 1, 'one write a stream');
    assert.deepEqual(ns(s), [0, 1, 2]);
  }
  // Rendered once per event and audience, not per socket.
  assert.equal(bus.renderCount, 3);
  bus.close();
});

test('a stream opened between two frames of one round gets only the later one', async () => {
  const bus = new Bus();
  const early = new RecordingSink(0);
  const late = new RecordingSink(0);
  bus.subscribe(actor, 'a', early);
  bus.publish({ type: 'checkpoint', render: () => ({ n: 1 }) });
  bus.subscribe(actor, 'b', late);
  bus.publish({ type: 'checkpoint', render: () => ({ n: 2 }) });
  while (bus.delivering) await settle();
  assert.deepEqual(ns(early), [1, 2]);
  assert.deepEqual(ns(late), [2]);
  bus.close();
});

test('a frame sent while a round is being written goes out in the next round, after it, to every stream', async () => {
  const bus = new Bus({ limits: { sliceMs: 1 } });
  const sinks = Array.from({ length: 100 }, () => new RecordingSink(0.05));
  for (const [i, s] of sinks.entries()) bus.subscribe(actor, `t${i}`, s);
  bus.publish({ type: 'checkpoint', render: () => ({ n: 1 }) });
  await new Promise((r) => setImmediate(r));
  assert.ok(bus.delivering);
  bus.publish({ type: 'checkpoint', render: () => ({ n: 2 }) });
  while (bus.delivering) await settle();
  for (const s of sinks) assert.deepEqual(ns(s), [1, 2]);
  bus.close();
});

test('a fan-out to many slow streams lets other work run between its slices', async () => {
  const bus = new Bus({ limits: { sliceMs: 2 } });
  const sinks = Array.from({ length: 400 }, () => new RecordingSink(0.1));
  for (const [i, s] of sinks.entries()) bus.subscribe(actor, `t${i}`, s);
  bus.publish({ type: 'checkpoint', render: () => ({ n: 1 }) });
  // A request arriving meanwhile: it runs well before the 40 ms fan-out ends.
  const written = await new Promise<number>((r) => setTimeout(() => r(sinks.filter((s) => s.got.length).length), 1));
  assert.ok(written < sinks.length, `the fan-out ran in one piece (${written} of ${sinks.length} written first)`);
  while (bus.delivering) await settle();
  assert.ok(sinks.every((s) => s.got.length === 1));
  bus.close();
});

test('a stream opened after a frame was sent does not get it from the fan-out', async () => {
  const bus = new Bus();
  const early = new RecordingSink(0);
  const late = new RecordingSink(0);
  bus.subscribe(actor, 'a', early);
  bus.publish({ type: 'checkpoint', render: () => ({ n: 1 }) });
  bus.subscribe(actor, 'b', late);
  while (bus.delivering) await settle();
  assert.equal(early.got.length, 1);
  assert.equal(late.got.length, 0);
  bus.close();
});
