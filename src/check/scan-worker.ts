// The reading side of read-ahead.ts, in a worker thread: takes the bytes of
// whole lines and answers each such piece, in order, with its lines' records
// (scan-record.ts), the ids they name, the text of the lines left for the
// engine's thread to read, and the names the records use for the first time.
import { parentPort } from 'node:worker_threads';
import { ReportScanner } from './scan.ts';
import {
  NameTable,
  READ_THERE,
  RECORD_SLOTS,
  pieceText,
  placeId,
  placeLine,
  recordFrom,
  recordIdEnd,
  recordIdStart,
  recordKind,
  recordTo,
  writeRecord,
  type LinesPiece,
  type ReadLines,
} from './scan-record.ts';

const port = parentPort;
if (port !== null) {
  const scanner = new ReportScanner();
  const names = new NameTable();

  const read = (piece: LinesPiece): ReadLines => {
    const text = pieceText(piece);
    let n = 0;
    for (let j = text.indexOf('\n'); j >= 0; j = text.indexOf('\n', j + 1)) n++;
    const recs = new Float64Array(n * RECORD_SLOTS);
    const ids: string[] = [];
    const there: string[] = [];
    let idsLength = 0;
    let thereLength = 0;
    for (let k = 0, i = 0; k < n; k++) {
      const j = text.indexOf('\n', i);
      const o = k * RECORD_SLOTS;
      writeRecord(text, i, j, scanner, names, recs, o);
      if (recordKind(recs, o) === READ_THERE) {
        there.push(text.slice(recordFrom(recs, o), recordTo(recs, o)));
        placeLine(recs, o, thereLength);
        thereLength += j - i;
      } else {
        ids.push(text.slice(recordIdStart(recs, o), recordIdEnd(recs, o)));
        placeId(recs, o, idsLength);
        idsLength += recordIdEnd(recs, o) - recordIdStart(recs, o);
      }
      i = j + 1;
    }
    return { recs, ids: ids.join(''), there: there.join(''), names: names.take() };
  };

  port.on('message', (piece: LinesPiece) => {
    const answer = read(piece);
    port.postMessage(answer, [answer.recs.buffer as ArrayBuffer]);
  });
  port.postMessage('ready');
}
