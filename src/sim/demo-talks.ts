// The talks that produced the example arrangement, as the demo replays them: the
// 1974 regime is in force from the start; the reported 2025 terms are negotiated in
// Baku through two drafts, a relay and reservations, approved by the guarantor and
// announced, which brings their rules into force. A second round follows at once:
// the second withdrawal phase is renegotiated (45 days instead of 30, before the
// leaders' meeting), and its announcement moves the running engine to the amended text.
// Clause texts paraphrase the reported terms; the rules are the example's own
// (examples/southern-syria), but for round 2's amendment of c-il-withdraw-2.
// The mediator's bench is used in both rounds: the demo starts with round 1's model
// (examples/southern-syria/bench.yaml) and the mediator puts round 2's when it opens it.

import type { StanceValue } from '../talks/limits.ts';

export interface TalksStep {
  /** story time of the step */
  at: string;
  actor: string;
  command: Record<string, unknown>;
  /** after the command, the actor (the mediator) puts this bench model, a file of examples/southern-syria */
  bench?: string;
}

/** Round 1's bench model, loaded when the demo starts (examples/southern-syria). */
export const FIRST_BENCH = 'bench.yaml';

interface ClauseSpec {
  id: string;
  text: string;
  /** a changed wording in draft 2, if any */
  text2?: string;
  /** a changed wording in round 2's draft (draft 3), if any */
  text3?: string;
  rules: string[];
}

const CLAUSES: ClauseSpec[] = [
  {
    id: 'strip',
    text: 'A strip 2 km wide east of the Area of Separation holds only Syrian police and internal security forces, with no tanks or artillery.',
    rules: ['r-strip-police-only', 'r-strip-no-tanks', 'r-strip-no-artillery'],
  },
  {
    id: 'no-fly',
    text: 'No Syrian military aircraft fly over south-west Syria.',
    text2: 'For the transitional period, no Syrian military aircraft fly over south-west Syria.',
    rules: ['r-sw-no-fly'],
  },
  {
    id: 'third-forces',
    text: 'No Turkish forces are deployed in southern Syria.',
    rules: ['r-south-no-turkey'],
  },
  {
    id: 'deployment',
    text: 'Russia deploys forces in the area east of Line B by 1 February 2026.',
    rules: ['c-ru-deploy'],
  },
  {
    id: 'withdrawal',
    text: 'Israel withdraws in two phases after the Russian deployment.',
    text2:
      'Israel withdraws in two phases after the Russian deployment: first from its positions beyond the Area of Separation, then from the Area itself; Mount Hermon is excluded from both.',
    text3:
      'Israel withdraws in two phases after the Russian deployment: first from its positions beyond the Area of Separation, then, within 45 days of the first, from the Area itself; Mount Hermon is excluded from both.',
    rules: ['c-il-withdraw-1', 'c-il-withdraw-2'],
  },
  {
    id: 'deconfliction',
    text: 'Movements into the Area of Separation and flights near the Russian deployment are notified in advance and acknowledged; Israeli and Russian aircraft keep apart.',
    rules: ['r-il-notice-deconf', 'r-il-notice-aos', 'r-sy-notice-aos', 'r-air-separation'],
  },
];

/** Ids of the example's rules that the talks bring into force (the rest are in force from the start). */
export const NEGOTIATED_RULES: ReadonlySet<string> = new Set(CLAUSES.flatMap((c) => c.rules));

/** The talks, step by step, with each clause's rules taken from the example file. */
export function demoTalks(rulesById: ReadonlyMap<string, unknown>): TalksStep[] {
  const textOf = (c: ClauseSpec, draft: 1 | 2 | 3) => (draft === 3 && c.text3) || (draft >= 2 && c.text2) || c.text;
  const ruleOf = (id: string, draft: 1 | 2 | 3) => (draft === 3 && id === 'c-il-withdraw-2' ? phaseTwo(rulesById.get(id)) : rulesById.get(id));
  const clauses = (draft: 1 | 2 | 3) => CLAUSES.map((c) => ({ id: c.id, text: textOf(c, draft), rules: c.rules.map((id) => ruleOf(id, draft)) }));
  const stances = (at: string, party: string, draft: number, list: [string, StanceValue, string?][]): TalksStep[] =>
    list.map(([clause, stance, note]) => ({ at, actor: party, command: { kind: 'stance', draft, clause, stance, ...(note ? { note } : {}) } }));
  return [
    {
      at: '2025-12-20T09:00:00Z',
      actor: 'ru',
      command: { kind: 'open-issue', id: 'buffer-width', title: 'Widening of the buffer on the Syrian side', numeric: { unit: 'km' } },
    },
    { at: '2025-12-20T09:05:00Z', actor: 'ru', command: { kind: 'open-issue', id: 'withdrawal', title: 'Phasing of the Israeli withdrawal' } },
    {
      at: '2025-12-20T11:00:00Z',
      actor: 'il',
      command: {
        kind: 'submit',
        issue: 'buffer-width',
        position: 2,
        confidential: true,
        text: 'Israel can accept a 2 km widening if it stays demilitarised and Mount Hermon is not part of any withdrawal.',
      },
    },
    {
      at: '2025-12-20T12:30:00Z',
      actor: 'sy',
      command: {
        kind: 'submit',
        issue: 'buffer-width',
        position: 10,
        text: 'Syria seeks a return to the 1974 lines; any widening must be short and come with a full withdrawal.',
      },
    },
    {
      at: '2025-12-20T15:00:00Z',
      actor: 'sy',
      command: {
        kind: 'submit',
        issue: 'withdrawal',
        confidential: true,
        text: 'Syria could accept phasing if the first phase starts within two weeks of a Russian deployment.',
      },
    },
    {
      at: '2025-12-21T10:00:00Z',
      actor: 'ru',
      command: { kind: 'relay', to: 'il', text: 'Damascus could accept a phased withdrawal tied to a Russian deployment, if the first phase follows quickly.' },
    },
    {
      at: '2025-12-21T10:30:00Z',
      actor: 'ru',
      command: { kind: 'relay', to: 'sy', text: 'Israel signals flexibility on a narrow demilitarised strip; Mount Hermon remains its condition.' },
    },
    { at: '2025-12-21T18:00:00Z', actor: 'ru', command: { kind: 'draft', clauses: clauses(1), note: 'First single negotiating text' } },
    ...stances('2025-12-22T10:00:00Z', 'il', 1, [
      ['strip', 'accept'],
      ['no-fly', 'accept'],
      ['third-forces', 'accept'],
      ['deployment', 'accept'],
      ['withdrawal', 'reserve', 'Mount Hermon must be excluded in the text itself'],
      ['deconfliction', 'accept'],
    ]),
    ...stances('2025-12-22T14:00:00Z', 'sy', 1, [
      ['strip', 'accept'],
      ['no-fly', 'reject', 'Only for a transitional period'],
      ['third-forces', 'accept'],
      ['deployment', 'accept'],
      ['withdrawal', 'reserve', 'The phases need dates'],
      ['deconfliction', 'accept'],
    ]),
    { at: '2025-12-23T09:00:00Z', actor: 'ru', command: { kind: 'close-issue', id: 'buffer-width' } },
    {
      at: '2025-12-24T12:00:00Z',
      actor: 'ru',
      command: { kind: 'draft', clauses: clauses(2), note: 'Second text: transitional no-fly zone; withdrawal phases spelt out' },
    },
    ...stances('2025-12-25T10:00:00Z', 'il', 2, [
      ['no-fly', 'accept'],
      ['withdrawal', 'accept'],
    ]),
    ...stances('2025-12-25T16:00:00Z', 'sy', 2, [
      ['no-fly', 'accept'],
      ['withdrawal', 'accept', 'On the understanding that the first phase follows the deployment within 14 days'],
    ]),
    { at: '2025-12-26T09:00:00Z', actor: 'us', command: { kind: 'approve', draft: 2 } },
    { at: '2025-12-26T12:00:00Z', actor: 'ru', command: { kind: 'announce', draft: 2 } },
    // Round 2: the second phase, before the leaders' meeting.
    {
      at: '2025-12-26T14:00:00Z',
      actor: 'ru',
      command: {
        kind: 'open-round',
        agenda: 'The second withdrawal phase: how long after the first',
        deadline: '2026-01-20T00:00:00Z',
        meeting: { title: "Leaders' meeting", at: '2026-01-20T10:00:00Z', place: 'Baku' },
      },
      bench: 'bench-round2.yaml',
    },
    {
      at: '2025-12-26T14:05:00Z',
      actor: 'ru',
      command: { kind: 'open-issue', id: 'phase-two-days', title: 'Days from the first withdrawal phase to the second', numeric: { unit: 'days' } },
    },
    {
      at: '2025-12-26T15:00:00Z',
      actor: 'il',
      command: {
        kind: 'submit',
        issue: 'phase-two-days',
        position: 60,
        confidential: true,
        text: 'The second phase needs two months for the engineering work.',
      },
    },
    {
      at: '2025-12-26T15:30:00Z',
      actor: 'sy',
      command: { kind: 'submit', issue: 'phase-two-days', position: 30, text: 'Thirty days, as drafted.' },
    },
    { at: '2025-12-26T18:00:00Z', actor: 'ru', command: { kind: 'draft', clauses: clauses(3), note: 'Round 2: the second phase within 45 days' } },
    ...stances('2025-12-26T19:00:00Z', 'il', 3, [['withdrawal', 'accept']]),
    ...stances('2025-12-26T19:30:00Z', 'sy', 3, [['withdrawal', 'accept', 'Forty-five days, and not one more']]),
    { at: '2025-12-26T20:00:00Z', actor: 'us', command: { kind: 'approve', draft: 3 } },
    { at: '2025-12-26T21:00:00Z', actor: 'ru', command: { kind: 'announce', draft: 3 } },
  ];
}

/** Round 2's second phase: 45 days instead of the file's 30. */
function phaseTwo(rule: unknown): unknown {
  const r = rule as Record<string, unknown>;
  return { ...r, within: 'P45D', text: String(r.text).replace('Within 30 days', 'Within 45 days') };
}
