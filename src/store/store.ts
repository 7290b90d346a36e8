// The log's storage interface belongs to the record (src/record/log-store.ts): a store
// implements what the log needs. Re-exported here for callers that still import it from
// the store's folder.
export * from '../record/log-store.ts';
