// A strict RFC 4180 reader, written apart from the writer under test so the two cannot
// share a mistake: records end in CRLF (the last one too), a field is either plain (no
// comma, quote, CR or LF) or wholly quoted with inner quotes doubled; anything else
// throws, naming the offset. A leading UTF-8 byte-order mark is reported, not kept.
export interface Parsed {
  bom: boolean;
  records: string[][];
}

export function parseRfc4180(text: string): Parsed {
  const bom = text.startsWith('\uFEFF');
  let i = bom ? 1 : 0;
  const records: string[][] = [];
  const fail = (why: string): never => {
    throw new Error(`offset ${i}: ${why}`);
  };
  while (i < text.length) {
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) fail('unterminated quoted field');
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field += c;
          i++;
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
          const c = text[i];
          if (c === '"' || c === '\n') fail(`bare ${JSON.stringify(c)} in an unquoted field`);
          field += c;
          i++;
        }
      }
      record.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r' && text[i + 1] === '\n') {
        i += 2;
        break;
      }
      fail(i >= text.length ? 'the last record does not end in CRLF' : `unexpected ${JSON.stringify(text[i])} after a field`);
    }
    records.push(record);
  }
  const width = records[0]?.length;
  records.forEach((r, k) => {
    if (r.length !== width) throw new Error(`record ${k} has ${r.length} fields, the header ${width}`);
  });
  return { bom, records };
}
