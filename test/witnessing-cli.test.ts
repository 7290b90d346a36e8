// `detente serve --witness NAME=URL`: only witnesses the arrangement names, as NAME=URL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { detente } from './helpers/record-bundle.ts';
import { EXAMPLE } from './helpers/server.ts';

test('serve refuses a --witness the arrangement does not name, or one without a URL', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-witnessing-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const unknown = detente(['serve', '--arrangement', EXAMPLE, '--data', dir, '--witness', 'w-il=http://127.0.0.1:1/']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--witness w-il: the arrangement names no such witness \(it names: none\)/);
  const malformed = detente(['serve', '--arrangement', EXAMPLE, '--data', dir, '--witness', 'w-il']);
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /--witness takes NAME=URL/);
});
