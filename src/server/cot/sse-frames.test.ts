import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../../policy/policy.ts';
import { Bus, type Sink } from '../bus.ts';
import { framesToEvents } from './sse-frames.ts';

class Collect implements Sink {
  chunks: Buffer[] = [];
  writableLength = 0;
  write(c: Buffer): boolean {
    this.chunks.push(c);
    return true;
  }
  once(): unknown {
    return this;
  }
  destroy(): void {}
}

test('frames the bus writes read back as the events each audience was rendered', async () => {
  const bus = new Bus();
  const il: Actor = { id: 'il', role: 'party', name: 'Israel' };
  const sy: Actor = { id: 'sy', role: 'party', name: 'Syria' };
  const a = new Collect();
  const b = new Collect();
  bus.subscribe(il, 't1', a);
  bus.subscribe(sy, 't2', b);
  bus.at(7);
  bus.publish({ type: 'finding', render: (x) => (x.id === 'il' ? { rule: 'r1', note: 'a\nb "q"' } : undefined) });
  bus.publish({ type: 'finding', render: () => ({ rule: 'r2' }) });
  bus.publish({ type: 'posture', render: () => ({ time: 't', units: [] }) });
  await new Promise((r) => setTimeout(r, 20));
  const read = (s: Collect) => s.chunks.flatMap(framesToEvents);
  assert.deepEqual(read(a), [
    { type: 'finding', data: { rule: 'r1', note: 'a\nb "q"' } },
    { type: 'finding', data: { rule: 'r2' } },
    { type: 'posture', data: { time: 't', units: [] } },
  ]);
  assert.deepEqual(read(b), [
    { type: 'finding', data: { rule: 'r2' } },
    { type: 'posture', data: { time: 't', units: [] } },
  ]);
  assert.deepEqual(framesToEvents(Buffer.from(': keep-alive\n\nid: 9\n\n')), []);
  bus.close();
});
