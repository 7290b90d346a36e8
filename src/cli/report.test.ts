import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { detente } from '../../test/helpers/record-bundle.ts';
import { tempDir } from '../../test/helpers/record-fixtures.ts';

test('report: bad arguments exit 2 naming the flag, and leave nothing behind', (t) => {
  const dir = tempDir(t, 'detente-report-');
  const out = join(dir, 'r.pdf');
  const base = ['report', '--data', dir, '--arrangement', 'southern-syria', '--out', out];
  const cases: [string[], RegExp][] = [
    [[...base, '--lang', 'fr'], /--lang: "fr" is not one of en, ar, he, ru/],
    [[...base, '--from', '2025-13-01T00:00:00Z'], /--from: "2025-13-01T00:00:00Z" is not an RFC 3339 date-time/],
    [[...base, '--to', 'yesterday'], /--to: "yesterday" is not an RFC 3339/],
    [[...base, '--from', '2026-01-02T00:00:00Z', '--to', '2026-01-01T00:00:00Z'], /--from: the period starts after it ends/],
    [['report', '--data', join(dir, 'nope'), '--arrangement', 'southern-syria', '--out', out], /--data: .*nope is not a directory/],
    [base, /--data: .* holds no log/],
    [['report', '--store', 'postgres://db/detente', '--arrangement', 'southern-syria', '--out', out], /--store: .*PostgreSQL.*not built yet/],
    [['report', '--data', dir, '--out', out], /--arrangement ID is required/],
    [['report', '--data', dir, '--arrangement', 'southern-syria'], /--out FILE.pdf is required/],
    [[...base, '--format', 'a4'], /unknown option --format/],
    [['report', '--data', dir, '--arrangement', 'southern-syria', '--out', join(dir, 'no-dir', 'r.pdf')], /--out: .*no-dir is not a directory/],
  ];
  for (const [args, message] of cases) {
    const r = detente(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
  assert.deepEqual(readdirSync(dir), [], 'nothing written');
});
