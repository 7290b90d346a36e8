// The bus hands a stream its events as server-sent-event frames, rendered once per
// audience by the policy. A webhook feed is such a stream, so it reads them back here:
// what a webhook carries is exactly what that actor's event stream carries.

export interface ParsedEvent {
  type: string;
  data: unknown;
}

/** The events in a chunk the bus wrote (whole frames: the bus never splits one); comments and ids carry none. */
export function parseFrames(chunk: Buffer): ParsedEvent[] {
  const out: ParsedEvent[] = [];
  for (const block of chunk.toString('utf8').split('\n\n')) {
    let type: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) type = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (type !== undefined && data.length) out.push({ type, data: JSON.parse(data.join('\n')) });
  }
  return out;
}
