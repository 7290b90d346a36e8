import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from './args.ts';
import { takeRepeated } from './repeated.ts';

test('a repeatable flag is taken out in both spellings, the rest left in order', () => {
  const r = takeRepeated(['b', '--witness', 'a=1', '--quorum', '2', '--witness=c=3', '--', '--witness', 'x'], 'witness');
  assert.deepEqual(r.values, ['a=1', 'c=3']);
  assert.deepEqual(r.rest, ['b', '--quorum', '2', '--', '--witness', 'x']);
  assert.throws(() => takeRepeated(['--witness'], 'witness'), UsageError);
});
