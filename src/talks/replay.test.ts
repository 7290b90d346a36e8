// Long random sessions: replaying their events — as they are, or as read back from
// the record (JSON) — rebuilds the same state; decide is deterministic; and no input
// makes decide fail other than with a TalksError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCommand } from './commands.ts';
import { COMMAND_KINDS } from './limits.ts';
import { decide } from './decide.ts';
import { TalksError } from './errors.ts';
import { evolve, replay } from './evolve.ts';
import { deadlineDue } from './rounds.ts';
import { currentDraft, initialState } from './state.ts';
import { BODY_LIMIT, CAST, config, DEADLINE, EVERYONE, HOUR, T0, type Who } from './scenario.ts';
import { EVENT_TYPES, type TalksEvent, type TalksState } from './types.ts';

const ROLE_OF: Record<string, Who[]> = {
  submit: ['il', 'sy'],
  relay: ['ru'],
  'open-issue': ['ru'],
  'close-issue': ['ru'],
  draft: ['ru'],
  stance: ['il', 'sy'],
  approve: ['us'],
  announce: ['ru'],
  withdraw: ['il', 'sy'],
  'consent-direct': ['il', 'sy'],
  'open-joint-channel': ['ru'],
  'joint-message': ['il', 'sy', 'ru'],
  'close-joint-channel': ['il', 'sy'],
  'open-round': ['ru'],
  'propose-extension': ['ru'],
  'approve-extension': ['us'],
};
// Weighted so that sessions run long before an announcement ends them.
const KINDS = [
  'submit',
  'submit',
  'relay',
  'open-issue',
  'close-issue',
  'draft',
  'stance',
  'stance',
  'stance',
  'stance',
  'approve',
  'withdraw',
  'announce',
  'consent-direct',
  'open-joint-channel',
  'joint-message',
  'close-joint-channel',
  'open-round',
  'propose-extension',
  'approve-extension',
];

type Step = { kind: number; who: number; a: number; b: number; wait: number };
const step = fc.record({ kind: fc.nat(), who: fc.nat(), a: fc.nat(), b: fc.nat(), wait: fc.integer({ min: 0, max: 6 * HOUR }) });

const pick = <T>(xs: readonly T[], n: number): T | undefined => (xs.length === 0 ? undefined : xs[n % xs.length]);

/** A plausible command for the state (mostly valid, sometimes not), and who sends it. */
function command(state: TalksState, s: Step): { who: Who; cmd: Record<string, unknown> } {
  const kind = KINDS[s.kind % KINDS.length];
  // mostly the right role; one time in eight anyone at all
  const who = s.who % 8 === 0 ? EVERYONE[s.who % EVERYONE.length] : pick(ROLE_OF[kind], s.who)!;
  const d = currentDraft(state);
  const version = d ? d.version - (s.b % 9 === 0 ? 1 : 0) : 1;
  // the draft's sections take stances too, as the clause "sections"
  const clauseIds = d ? [...d.clauses.map((c) => c.id), ...(d.sections ? ['sections'] : [])] : ['c0'];
  switch (kind) {
    case 'submit': {
      const issue = s.a % 3 === 0 ? undefined : pick(state.issues, s.a);
      const position = issue?.unit && s.b % 2 === 0 ? (s.b % 7 === 0 ? -0 : (s.b % 40) / 4 - 2) : undefined;
      return {
        who,
        cmd: {
          kind,
          text: `said ${s.a}`,
          ...(issue && { issue: issue.id }),
          ...(position !== undefined && { position }),
          ...(s.b % 3 === 0 && { confidential: true }),
          ...(s.a % 5 === 0 && { quiet: true }),
        },
      };
    }
    case 'relay': {
      const cites = state.submissions
        .filter((_, i) => (s.a >> i) % 2 === 1)
        .slice(0, 3)
        .map((x) => x.id);
      return { who, cmd: { kind, to: pick(['il', 'sy'], s.a)!, text: `relayed ${s.b}`, cites } };
    }
    case 'open-issue':
      return { who, cmd: { kind, id: `i${s.a % 5}`, title: `issue ${s.a % 5}`, ...(s.b % 2 === 0 && { numeric: { unit: 'km' } }) } };
    case 'close-issue':
      return { who, cmd: { kind, id: `i${s.a % 5}` } };
    case 'draft': {
      const n = 1 + (s.a % 4);
      const clauses = Array.from({ length: n }, (_, k) => {
        const max = (s.b >> k) % 2;
        // the same rule with its keys in either order: must count as unchanged
        const rule = (s.a >> (k + 3)) % 2 === 0 ? { id: `r-c${k}`, kind: 'limit', max } : { max, kind: 'limit', id: `r-c${k}` };
        const form = (s.a >> k) % 2;
        // sometimes in two languages, the Hebrew text changing independently of the English
        const text =
          (s.b >> (k + 8)) % 2 === 0
            ? `clause ${k} form ${form}`
            : { en: `clause ${k} form ${form}`, he: `סעיף ${k} ${(s.a >> (k + 6)) % 2}`, prevailing: 'en' };
        return { id: `c${k}`, text, ...((s.b >> (k + 4)) % 2 === 0 && { rules: [rule] }) };
      });
      // sometimes sections, the same in either key order (their stances carry over) or changed
      const quorum = (s.a >> 9) % 2;
      const sections = (s.a >> 10) % 2 === 0 ? { witnesses: { quorum, keys: [] } } : { witnesses: { keys: [], quorum } };
      return { who, cmd: { kind, clauses, ...(s.b % 5 === 0 && { note: 'revised' }), ...((s.b >> 12) % 3 === 0 && { sections }) } };
    }
    case 'stance': {
      const stance = pick(['accept', 'accept', 'accept', 'accept', 'reserve', 'reject'], s.a)!;
      return { who, cmd: { kind, draft: version, clause: pick(clauseIds, s.b)!, stance, ...(s.a % 4 === 0 && { note: `because ${s.a}` }) } };
    }
    case 'approve':
    case 'announce':
      return { who, cmd: { kind, draft: version } };
    case 'consent-direct':
      return { who, cmd: { kind, ...(s.a % 2 === 0 && { quiet: true }) } };
    case 'open-joint-channel':
      return { who, cmd: { kind } };
    case 'joint-message':
      return { who, cmd: { kind, text: `face to face ${s.a}` } };
    case 'close-joint-channel':
      return { who, cmd: { kind, ...(s.b % 2 === 0 && { note: 'enough' }) } };
    case 'open-round':
      return { who, cmd: { kind, agenda: `round ${s.a}`, ...(s.b % 2 === 0 && { deadline: new Date(T0 + (s.a % 400) * HOUR).toISOString() }) } };
    case 'propose-extension':
    case 'approve-extension': {
      const ext = state.rounds[state.rounds.length - 1]?.extensions.at(-1);
      const at = kind === 'approve-extension' && ext && s.a % 3 !== 0 ? ext.deadline : T0 + (s.a % 500) * HOUR;
      return {
        who,
        cmd: { kind, deadline: new Date(at).toISOString(), ...(kind === 'propose-extension' && s.b % 2 === 0 && { reason: 'the meeting moved' }) },
      };
    }
    default:
      return { who, cmd: { kind, ...(s.a % 2 === 0 && { clauses: [pick(clauseIds, s.b)!] }), ...(s.b % 3 === 0 && { note: 'reconsidering' }) } };
  }
}

interface Session {
  events: TalksEvent[];
  state: TalksState;
  refusals: number;
}

function run(steps: Step[]): Session {
  const cfg = config({ announceBy: T0 + 40 * HOUR });
  let state = initialState(cfg);
  let now = T0;
  const events: TalksEvent[] = [];
  let refusals = 0;
  for (const s of steps) {
    now += s.wait;
    // What the server does when a deadline passes: it records it, as the log.
    const due = deadlineDue(state, now);
    if (due) {
      const e: TalksEvent = { type: 'talks.deadline.pass', author: 'log', time: now, body: due, sealed: false };
      events.push(e);
      state = evolve(state, e);
    }
    const { who, cmd } = command(state, s);
    let out: TalksEvent[];
    try {
      out = decide(state, parseCommand(cmd), { actor: CAST[who], now, maxBodyBytes: BODY_LIMIT });
    } catch (e) {
      if (!(e instanceof TalksError)) throw e;
      refusals++;
      continue;
    }
    for (const e of out) {
      events.push(e);
      state = evolve(state, e);
    }
  }
  return { events, state, refusals };
}

test('replaying a random session rebuilds the same state, also from the record’s JSON', () => {
  const seenTypes = new Set<string>();
  let lateAnnouncements = 0;
  let sectionsStances = 0;
  fc.assert(
    fc.property(fc.array(step, { minLength: 50, maxLength: 250 }), (steps) => {
      const live = run(steps);
      for (const e of live.events) {
        seenTypes.add(e.type);
        if (e.type === 'talks.announce' && e.body.late === true) lateAnnouncements++;
      }
      // Stances on a draft's sections go through replay like any other.
      sectionsStances += live.events.filter((e) => e.type === 'talks.stance' && e.body.clause === 'sections').length;
      const cfg = live.state.config;
      assert.deepStrictEqual(replay(initialState(cfg), live.events), live.state);
      // What a restarted server reads back: the entry's JSON, times as RFC 3339 and back.
      const fromRecord = live.events.map((e) => ({ ...(JSON.parse(JSON.stringify(e)) as TalksEvent), time: Date.parse(new Date(e.time).toISOString()) }));
      assert.deepStrictEqual(fromRecord, live.events);
      assert.deepStrictEqual(replay(initialState(cfg), fromRecord), live.state);
      // decide is deterministic: the same commands give the same events
      assert.deepStrictEqual(run(steps).events, live.events);
    }),
    { numRuns: 150, seed: 4242 },
  );
  // the generator reached every kind of event
  assert.deepEqual([...seenTypes].sort(), [...EVENT_TYPES].sort());
  assert.ok(lateAnnouncements > 0, 'some announcement came after announce_by');
  assert.ok(sectionsStances > 0, "some party took a stance on a draft's sections");
});

test('every sealed event is a confidential or positioned submission, or a relay', () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 30, maxLength: 120 }), (steps) => {
      for (const e of run(steps).events) {
        const shouldSeal =
          e.type === 'talks.relay' || e.type === 'talks.joint.message' || (e.type === 'talks.submit' && (e.body.confidential === true || 'position' in e.body));
        assert.equal(e.sealed, shouldSeal, JSON.stringify(e));
      }
    }),
    { numRuns: 60, seed: 7 },
  );
});

test('any input: decide answers with events or a TalksError, never anything else', () => {
  const kinds = fc.constantFrom(...COMMAND_KINDS);
  const fuzzed = fc.oneof(
    fc.anything(),
    fc
      .record({ kind: kinds }, { requiredKeys: ['kind'] })
      .chain((base) =>
        fc
          .dictionary(
            fc.constantFrom(
              'text',
              'issue',
              'position',
              'confidential',
              'to',
              'cites',
              'id',
              'title',
              'numeric',
              'clauses',
              'note',
              'draft',
              'clause',
              'stance',
              'rules',
              'quiet',
              'texts_hash',
              'sections_hash',
              'sections',
            ),
            fc.anything(),
          )
          .map((d) => ({ ...d, ...base })),
      ),
  );
  const session = run(fc.sample(fc.array(step, { minLength: 80, maxLength: 80 }), { numRuns: 1, seed: 3 })[0]);
  fc.assert(
    fc.property(fuzzed, fc.constantFrom(...EVERYONE), (cmd, who) => {
      try {
        const out = decide(session.state, parseCommand(cmd), { actor: CAST[who], now: DEADLINE, maxBodyBytes: BODY_LIMIT });
        for (const e of out) assert.deepStrictEqual(JSON.parse(JSON.stringify(e.body)), e.body);
      } catch (e) {
        assert.ok(e instanceof TalksError, String(e));
        assert.ok([400, 403, 404, 409, 413].includes(e.status));
      }
    }),
    { numRuns: 2000, seed: 11 },
  );
});
