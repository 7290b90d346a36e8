// This device's key per arrangement and actor, kept in IndexedDB. A WebCrypto private
// key is stored as the CryptoKey itself: IndexedDB's structured clone keeps it usable
// for signing and still non-extractable, so it never exists as bytes script could read.
import { idbDelete, idbGet, idbPut } from '../store/idb.ts';
import type { StoredKey } from './device-key.ts';

const id = (arrangement: string, actor: string) => `${arrangement}\n${actor}`;

/** Where a device's keys are kept: IndexedDB in the page (browserKeys). */
export interface KeyStore {
  load(arrangement: string, actor: string): Promise<StoredKey | undefined>;
  save(arrangement: string, key: StoredKey): Promise<void>;
}

export function loadKey(arrangement: string, actor: string): Promise<StoredKey | undefined> {
  return idbGet<StoredKey>('keys', id(arrangement, actor));
}

export function saveKey(arrangement: string, key: StoredKey): Promise<void> {
  return idbPut('keys', id(arrangement, key.actor), key);
}

export function forgetKey(arrangement: string, actor: string): Promise<void> {
  return idbDelete('keys', id(arrangement, actor));
}

export const browserKeys: KeyStore = { load: loadKey, save: saveKey };
