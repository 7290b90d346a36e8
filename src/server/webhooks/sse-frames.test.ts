import assert from 'node:assert/strict';
import { test } from 'node:test';
import { positionFrame } from '../bus.ts';
import { parseFrames } from './sse-frames.ts';

test('reads back the bus frames: a group with its id, state frames, keep-alives and ids alone', () => {
  const group = Buffer.from('event: finding\ndata: {"seq":1}\n\nid: 7\nevent: finding\ndata: {"seq":2,"t":"a\\nb"}\n\n');
  assert.deepEqual(parseFrames(group), [
    { type: 'finding', data: { seq: 1 } },
    { type: 'finding', data: { seq: 2, t: 'a\nb' } },
  ]);
  assert.deepEqual(parseFrames(Buffer.from('event: posture\ndata: {"units":[]}\n\n')), [{ type: 'posture', data: { units: [] } }]);
  assert.deepEqual(parseFrames(Buffer.from(': keep-alive\n\n')), []);
  assert.deepEqual(parseFrames(positionFrame(12)), []);
});
