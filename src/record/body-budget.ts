// How much of an entry a statement's body may fill. The rest of MAX_ENTRY_BYTES holds
// the statement's envelope (type, author, time, arrangement), the signature, the
// author's key and the receipt: about 400 bytes, bounded by the lengths of ids and key
// names. 4 KiB of headroom means a body under the budget always fits, so the server can
// refuse an oversized body with a 413 before it signs anything.
import { MAX_ENTRY_BYTES } from './statement.ts';

export const MAX_BODY_BYTES = MAX_ENTRY_BYTES - 4 * 1024;
