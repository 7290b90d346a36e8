// detente/record: everything a third party needs to check the record offline — proofs,
// notes and checkpoints, keys, entries, sealed content, bundles. It loads no database
// (the log itself is in log.ts, used by the server).

export { verifyInclusion, verifyConsistency, leafHash, nodeHash, rootOf, RootBuilder, EMPTY_ROOT, HASH_SIZE } from './merkle.ts';
export { openNote, signNote, type OpenedNote, type NoteSignature, type VerifierKeys } from './note.ts';
export { parseCheckpoint, formatCheckpoint, openCheckpoint, signCheckpoint, type Checkpoint, type OpenedCheckpoint } from './checkpoint.ts';
export { parseVerifierKey, parseSignerKey, generateKey, keyHash, isValidKeyName, type Signer, type Verifier } from './keys.ts';
export { readSignerKeyFile } from './key-file.ts';
export { canonicalJson, canonicalBytes, type Json, type JsonObject } from './canonical.ts';
export {
  parseEntry,
  verifyEntry,
  verifyStatement,
  checkStatement,
  signStatement,
  makeEntry,
  buildEntry,
  MAX_ENTRY_BYTES,
  type Statement,
  type SignedStatement,
  type Entry,
  type StatementInput,
} from './statement.ts';
export { seal, sealedDigest, verifyDisclosure, sealedOf, type SealedContent } from './sealed.ts';
export { verifyBundle, BUNDLE_FILES, BundleInputError, type BundleResult } from './bundle.ts';
export { encodeBase64, decodeBase64 } from './encoding.ts';
export { RecordError, type RecordErrorCode } from './errors.ts';
