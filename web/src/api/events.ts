// Server-sent events over fetch. EventSource cannot send an Authorization header, so the
// stream is read with a ReadableStream reader and parsed here (the WHATWG event-stream
// format: fields id, event, data, retry; a blank line ends an event; ':' a comment).
// On a dropped connection it reconnects after the server's `retry` delay with the last
// event id it saw (a position in the record) as Last-Event-ID, so the server sends the
// findings and talks changes after it; should the server no longer keep that far back,
// it falls back to the findings after ?since=<seq>, and the rest is fetched afresh.
import { errorOf, type Api } from './client.ts';

/** Longer than two of the server's 15-second keep-alive comments. */
const SILENCE_MS = 35_000;

export interface StreamEvent {
  type: string;
  data: string;
  id: string | undefined;
}

export interface StreamHandlers {
  onEvent(e: StreamEvent): void;
  /** connected (again): state that is not replayed should be fetched afresh */
  onOpen(reconnect: boolean): void;
  onStatus(status: 'connecting' | 'live' | 'retrying' | 'stopped', detail?: string): void;
}

/** Splits an event stream into events; feed it text chunks as they come. */
export class EventStreamParser {
  private buffer = '';
  private data: string[] = [];
  private type = '';
  private id: string | undefined;
  lastId: string | undefined;
  retryMs: number | undefined;

  constructor(private readonly emit: (e: StreamEvent) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    // A line ends at \r\n, \n or \r; a lone \r at the very end may be half of a \r\n.
    const re = /\r\n|\n|\r(?!$)/g;
    let start = 0;
    for (let m = re.exec(this.buffer); m; m = re.exec(this.buffer)) {
      this.line(this.buffer.slice(start, m.index));
      start = m.index + m[0].length;
    }
    this.buffer = this.buffer.slice(start);
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  private dispatch(): void {
    if (this.id !== undefined) this.lastId = this.id;
    if (this.data.length > 0) this.emit({ type: this.type || 'message', data: this.data.join('\n'), id: this.id });
    this.data = [];
    this.type = '';
    this.id = undefined;
  }
}

/**
 * Follows `path` until stop() is called. `since()` gives the query's `since` for each
 * (re)connection; a 401 or 403 stops for good (the token will not get better).
 */
export function followEvents(api: Api, path: string, since: () => number, handlers: StreamHandlers): { stop(): void } {
  let stopped = false;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryMs = 2000;
  let connections = 0;
  /** the last event id seen, on any connection so far */
  let lastId: string | undefined;

  const connect = async () => {
    if (stopped) return;
    controller = new AbortController();
    handlers.onStatus('connecting');
    const url = `${path}?since=${since()}`;
    let why = 'the stream ended';
    try {
      const headers = api.headers({ accept: 'text/event-stream', ...(lastId !== undefined ? { 'last-event-id': lastId } : {}) });
      const res = await fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
      if (!res.ok || !res.body) {
        const err = await errorOf(res);
        if (res.status === 401 || res.status === 403) {
          stopped = true;
          if (res.status === 401) api.onUnauthorized?.();
          handlers.onStatus('stopped', err.message);
          return;
        }
        throw err;
      }
      handlers.onOpen(connections++ > 0);
      handlers.onStatus('live');
      const parser = new EventStreamParser((e) => handlers.onEvent(e));
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      // The server sends a comment every 15 s. A connection silent for longer than two of
      // them is dead even if no one closed it (a proxy may keep the socket open), so drop it.
      const abort = controller;
      let watchdog = setTimeout(() => abort.abort(), SILENCE_MS);
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          clearTimeout(watchdog);
          watchdog = setTimeout(() => abort.abort(), SILENCE_MS);
          parser.push(value);
          if (parser.retryMs !== undefined) retryMs = parser.retryMs;
          if (parser.lastId !== undefined) lastId = parser.lastId;
        }
      } finally {
        clearTimeout(watchdog);
      }
    } catch (e) {
      if (stopped) return;
      why = (e as Error).name === 'AbortError' ? 'the stream fell silent' : (e as Error).message;
    }
    if (stopped) return;
    handlers.onStatus('retrying', why);
    timer = setTimeout(() => void connect(), retryMs);
  };
  void connect();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      handlers.onStatus('stopped');
    },
  };
}
