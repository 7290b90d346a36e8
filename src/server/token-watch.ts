// A revoked token is refused at once: the server watches the data directory's token files
// (DIR/tokens.json, DIR/tokens/<id>.json) and reads an arrangement's tokens again when its
// file changes (`detente tokens revoke` replaces it whole, so a read never sees half a
// file). A file that does not parse leaves the tokens as they were. On PostgreSQL without
// a data directory the tokens are read on start only.
import { existsSync, type FSWatcher, mkdirSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import type { SeatTable, TokenSource } from './auth.ts';
import { TOKENS_DIR, tokensSource } from './shared-dir.ts';

export interface TokenWatch {
  /** reads every arrangement's file again now (tests, and after a missed event) */
  reload(): void;
  close(): void;
}

export function watchTokens(dataDir: string, table: SeatTable, arrangements: readonly Omit<TokenSource, 'tokens'>[]): TokenWatch {
  const reload = () => {
    arrangements.forEach((a, i) => {
      const path = tokensSource(dataDir, a.id, i === 0);
      if (!existsSync(path)) return;
      try {
        const tokens = JSON.parse(readFileSync(path, 'utf8')) as unknown;
        if (typeof tokens === 'object' && tokens !== null && !Array.isArray(tokens)) table.replace({ ...a, tokens: tokens as Record<string, string> });
      } catch {
        // a file being edited by hand: the tokens stay as they were until it parses
      }
    });
  };
  let timer: NodeJS.Timeout | undefined;
  const changed = (_event: string, name: string | Buffer | null) => {
    if (name !== null && !String(name).endsWith('.json')) return;
    clearTimeout(timer);
    timer = setTimeout(reload, 10);
    timer.unref();
  };
  mkdirSync(join(dataDir, TOKENS_DIR), { recursive: true, mode: 0o700 });
  const watchers: FSWatcher[] = [watch(dataDir, changed), watch(join(dataDir, TOKENS_DIR), changed)];
  for (const w of watchers) {
    w.on('error', () => undefined);
    w.unref();
  }
  return {
    reload,
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
