// The bus renders each event once per audience as server-sent-event frames. A CoT
// connection subscribes to the same bus (so an actor gets exactly what its event
// stream would carry, decided by the same publishers) and reads those frames back
// into their events here: `event: T` then `data: JSON` lines; comments and ids are skipped.

export interface BusFrameEvent {
  type: string;
  data: unknown;
}

/** The events in one or more frames as the bus writes them. */
export function framesToEvents(chunk: Buffer): BusFrameEvent[] {
  const out: BusFrameEvent[] = [];
  let type = 'message';
  for (const line of chunk.toString('utf8').split('\n')) {
    if (line === '') {
      type = 'message';
      continue;
    }
    if (line.startsWith('event: ')) type = line.slice(7);
    else if (line.startsWith('data: ')) out.push({ type, data: JSON.parse(line.slice(6)) });
  }
  return out;
}
