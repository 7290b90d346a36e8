// Rules in words, one test per kind, from rules as the arrangement file writes them and
// the arrangement's names (English, with a look at Arabic for the reader's language).
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { setLocale } from '../i18n/i18n.ts';
import { ruleSentence, ruleZones } from './rule-sentence.ts';

const zone = (id: string, name: string) => ({
  type: 'Feature' as const,
  id,
  properties: { id, name } as never,
  geometry: { type: 'Polygon' as const, coordinates: [] },
});
const A = {
  actors: [
    { id: 'sy', name: 'Syria', role: 'party' as const },
    { id: 'il', name: 'Israel', role: 'party' as const },
    { id: 'undof', name: 'UNDOF', role: 'observer' as const },
  ],
  assets: [{ id: 'tanks', name: 'tanks' }, { id: 'troops' }],
  zones: { type: 'FeatureCollection' as const, features: [zone('strip', 'the 2 km strip'), zone('aos', 'Area of Separation')] },
};

afterEach(() => setLocale('en'));

test('limit: the actor, the most it may hold, the asset and the zone by name; a ban says "no"', () => {
  assert.equal(ruleSentence({ id: 'r', kind: 'limit', zone: 'strip', actor: 'sy', asset: 'tanks', max: 75 }, A), 'Syria: at most 75 tanks in the 2 km strip');
  assert.equal(ruleSentence({ id: 'r', kind: 'limit', zone: 'strip', actor: 'sy', asset: 'tanks', max: 0 }, A), 'Syria: no tanks in the 2 km strip');
  assert.equal(
    ruleSentence({ id: 'r', kind: 'limit', zone: 'aos', actor: 'il', asset: 'troops', max: 1200, where: { range_km: { gt: 20 } } }, A),
    'Israel: at most 1,200 troops in Area of Separation, counting only those where range_km is more than 20',
  );
});

test('presence: only, forbid, categories and the actors it binds', () => {
  assert.equal(ruleSentence({ id: 'p', kind: 'presence', zone: 'aos', only: ['undof'] }, A), 'In Area of Separation: only units of UNDOF');
  assert.equal(
    ruleSentence({ id: 'p', kind: 'presence', zone: 'aos', forbid: ['il', 'sy'], categories: ['police'], actors: ['sy'] }, A),
    'In Area of Separation: no units of Israel, Syria, and only as police (binding Syria)',
  );
});

test('notice: lead and acknowledgement in whole units of time', () => {
  assert.equal(
    ruleSentence({ id: 'n', kind: 'notice', actor: 'il', zone: 'aos', lead: 'PT1H' }, A),
    'Israel: give notice 1 hour before entering Area of Separation',
  );
  assert.equal(
    ruleSentence({ id: 'n', kind: 'notice', actor: 'il', zone: 'aos', lead: 'P2D', ack: 'PT10M' }, A),
    'Israel: give notice 2 days before entering Area of Separation; the others acknowledge within 10 minutes',
  );
});

test('separation: both actors, both minima, the look-ahead', () => {
  assert.equal(
    ruleSentence({ id: 's', kind: 'separation', between: ['il', 'sy'], km: 9.26, m: 300, lookahead: 'PT5M' }, A),
    'Israel and Syria: keep 9.26 km and 300 m apart, warned 5 minutes ahead',
  );
});

test('commitment: by a date or within a time of another, present or absent', () => {
  const due = ruleSentence(
    { id: 'c', kind: 'commitment', actor: 'sy', due: '2026-02-01T00:00:00Z', present: { zone: 'strip', asset: 'troops', min: 1000 } },
    A,
  );
  assert.match(due, /^Syria: by .*2026.*, to have at least 1,000 troops in the 2 km strip$/);
  assert.equal(
    ruleSentence({ id: 'c2', kind: 'commitment', actor: 'il', after: 'c', within: 'P30D', absent: { zone: 'aos' } }, A),
    'Israel: within 30 days of c being fulfilled, none of its units in Area of Separation',
  );
});

test('inspection: the observer, the zones, how often, a challenge', () => {
  assert.equal(
    ruleSentence({ id: 'i', kind: 'inspection', actor: 'undof', zones: ['strip', 'aos'], every: 'P15D', challenge: { within: 'PT24H' } }, A),
    'UNDOF inspects the 2 km strip, Area of Separation every 15 days; on a party’s challenge, within 1 day',
  );
});

test('an unknown kind or a malformed rule is named, never thrown on; ids without names stay ids', () => {
  assert.equal(ruleSentence({ id: 'x', kind: 'weather' }, A), 'A rule of kind weather (x)');
  assert.equal(ruleSentence(null, A), 'A rule of kind ? (?)');
  assert.equal(ruleSentence({ id: 'r', kind: 'limit', zone: 'nowhere', actor: 'tr', asset: 'sam', max: 2 }, A), 'tr: at most 2 sam in nowhere');
});

test('in the reader’s language: the Arabic template, the names as the arrangement gives them', () => {
  setLocale('ar');
  assert.equal(
    ruleSentence({ id: 'r', kind: 'limit', zone: 'strip', actor: 'sy', asset: 'tanks', max: 75 }, A),
    'Syria: 75 من tanks على الأكثر في the 2 km strip',
  );
  setLocale('ru');
  assert.equal(
    ruleSentence({ id: 'n', kind: 'notice', actor: 'il', zone: 'aos', lead: 'PT2H' }, A),
    'Israel: уведомлять за 2 часа до входа в зону «Area of Separation»',
  );
});

test('the zones a rule is about, for the map', () => {
  assert.deepEqual(ruleZones({ kind: 'limit', zone: 'strip' }), ['strip']);
  assert.deepEqual(ruleZones({ kind: 'inspection', zones: ['strip', 'aos'] }), ['strip', 'aos']);
  assert.deepEqual(ruleZones({ kind: 'commitment', present: { zone: 'aos' } }), ['aos']);
  assert.deepEqual(ruleZones({ kind: 'separation', between: ['il', 'sy'] }), []);
});

test('a notice’s escalation ladder: each step to whom, how long after the ack deadline', () => {
  assert.equal(
    ruleSentence(
      {
        id: 'n',
        kind: 'notice',
        actor: 'il',
        zone: 'aos',
        lead: 'PT1H',
        ack: 'PT10M',
        escalation: [
          { to: 'notified', after: 'PT5M' },
          { to: 'mediator', after: 'PT15M' },
          { to: 'undof', after: 'PT1H' },
        ],
      },
      A,
    ),
    'Israel: give notice 1 hour before entering Area of Separation; the others acknowledge within 10 minutes; unacknowledged, it goes to ' +
      'those yet to acknowledge 5 minutes after the deadline, the mediator 15 minutes after the deadline, UNDOF 1 hour after the deadline',
  );
  setLocale('he');
  assert.match(
    ruleSentence({ id: 'n', kind: 'notice', actor: 'il', zone: 'aos', lead: 'PT1H', ack: 'PT10M', escalation: [{ to: 'guarantor', after: 'PT1H' }] }, A),
    /הערבים/,
  );
});

test('commitments: within a time of the start, after another and by a date; the provenance it cites', () => {
  assert.equal(
    ruleSentence({ id: 'c', kind: 'commitment', actor: 'sy', within: 'P15D', absent: { zone: 'strip', asset: 'tanks' } }, A),
    'Syria: within 15 days of the arrangement taking effect, no tanks in the 2 km strip',
  );
  assert.match(
    ruleSentence({ id: 'c3', kind: 'commitment', actor: 'il', after: 'c', due: '2026-03-01T00:00:00Z', absent: { zone: 'aos' } }, A),
    /^Israel: once c is fulfilled, and by .*2026.*, none of its units in Area of Separation$/,
  );
  assert.equal(
    ruleSentence({ id: 'p', kind: 'presence', zone: 'aos', only: ['undof'], cite: '1974 Agreement B.3' }, A),
    'In Area of Separation: only units of UNDOF (source: 1974 Agreement B.3)',
  );
});
