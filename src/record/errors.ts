// One error type for everything the record rejects, with a code a caller can map
// (the server turns 'invalid' / 'too-large' / 'duplicate' into 4xx, the CLI into exit 1).

export type RecordErrorCode =
  | 'invalid' // malformed input: JSON, key, note, checkpoint, entry field
  | 'too-large' // an entry over 65,535 bytes
  | 'bad-signature' // a signature that does not verify or is not canonical
  | 'duplicate' // a statement already in the log
  | 'key-mismatch' // an author signing with a key other than the one pinned for it
  | 'out-of-range' // an index or size outside the tree
  | 'closed' // the log was closed
  | 'failed' // an earlier commit failed; the log must be reopened
  | 'corrupt' // the store contradicts itself
  | 'tampered' // the stored record is not what its own signed checkpoint says (check-stored.ts)
  | 'config'; // openLog called with options that do not match the store

export class RecordError extends Error {
  readonly code: RecordErrorCode;
  /** the entry at fault, when one can be named */
  readonly index: number | undefined;
  constructor(code: RecordErrorCode, message: string, index?: number) {
    super(message);
    this.name = 'RecordError';
    this.code = code;
    this.index = index;
  }
}
