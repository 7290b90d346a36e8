// The event-stream parser on what the server writes and on what the format allows:
// chunks split anywhere, CRLF and CR line ends, comments, multi-line data, retry.
// Run: node --import tsx --test web/src/api/events.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Api } from './client.ts';
import { EventStreamParser, followEvents, type StreamEvent } from './events.ts';

function parse(chunks: string[]): { events: StreamEvent[]; parser: EventStreamParser } {
  const events: StreamEvent[] = [];
  const parser = new EventStreamParser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  return { events, parser };
}

const SERVER =
  'retry: 2000\n: southern-syria as il\n\nid: 7\nevent: finding\ndata: {"seq":7}\n\nevent: talks\ndata: {"type":"talks.draft"}\n\n: keep-alive\n\nevent: checkpoint\ndata: {"size":3}\n\n';

test('events as the server writes them, whole and split at every offset', () => {
  const want = [
    { type: 'finding', data: '{"seq":7}', id: '7' },
    { type: 'talks', data: '{"type":"talks.draft"}', id: undefined },
    { type: 'checkpoint', data: '{"size":3}', id: undefined },
  ];
  for (let i = 0; i <= SERVER.length; i++) {
    const { events, parser } = parse([SERVER.slice(0, i), SERVER.slice(i)]);
    assert.deepEqual(events, want, `split at ${i}`);
    assert.equal(parser.retryMs, 2000);
    assert.equal(parser.lastId, '7');
  }
});

test('CRLF and CR line ends, a CRLF split across chunks, multi-line data, no space after the colon', () => {
  // A CR at the very end of a chunk may be half of a CRLF: it ends its line once more comes.
  const { events } = parse(['event:a\r\ndata:x\r', '\ndata: y\r\n\r\nevent: b\rdata: z\r\r', ': more']);
  assert.deepEqual(events, [
    { type: 'a', data: 'x\ny', id: undefined },
    { type: 'b', data: 'z', id: undefined },
  ]);
});

test('an event without data is not dispatched; an unnamed one is a message; an unfinished one waits', () => {
  const { events } = parse(['event: nothing\n\ndata: plain\n\ndata: half']);
  assert.deepEqual(events, [{ type: 'message', data: 'plain', id: undefined }]);
});

test('a reconnection sends the last event id seen as Last-Event-ID', async () => {
  const real = globalThis.fetch;
  const asked: (string | undefined)[] = [];
  const bodies = ['retry: 1\nid: 7\nevent: finding\ndata: {}\n\n', 'id: 9\n\n', ''];
  let follower: { stop(): void } | undefined;
  const done = new Promise<void>((resolve) => {
    globalThis.fetch = (async (_url: string, init: { headers: Record<string, string> }) => {
      asked.push(init.headers['last-event-id']);
      if (asked.length === 3) resolve();
      return new Response(bodies[asked.length - 1] ?? '', { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }) as typeof fetch;
  });
  try {
    follower = followEvents(new Api('t'), '/events', () => 0, { onEvent() {}, onOpen() {}, onStatus() {} });
    await done;
  } finally {
    follower?.stop();
    globalThis.fetch = real;
  }
  assert.deepEqual(asked, [undefined, '7', '9']);
});
