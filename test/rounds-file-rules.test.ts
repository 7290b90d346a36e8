// A round amends the arrangement file's own rules (issue 13, part 1): a draft's
// `sections.rules` replaces them as a whole. At the announcement a finding open under a
// file rule whose limit the draft lowers closes as superseded and one under the new
// limit opens; a file rule the draft retires closes its finding for good; a draft whose
// rules clash is a 400 naming the path; a replay of the record and `detente check
// --history` give the same transitions.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import { BASE, EXAMPLE, json, observation, session, startTestServer, STORY_START } from './helpers/server.ts';
import { agreeAndApprove } from './helpers/round-drafts.ts';

const ROOT = new URL('..', import.meta.url).pathname;
function detente(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/detente.js', ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    p.stdin.end();
  });
}

type FileRule = { id: string; max?: number; zone?: string };
const own = (loadArrangementSource(EXAMPLE).value as { rules: FileRule[] }).rules;
const SY_0_10: [number, number] = [35.95, 33.05];
const STRIP: [number, number] = [35.88, 33.05];
const TANKS = 'r-sy-tanks-0-10';
const RETIRED = 'r-strip-no-tanks';
const lowered = own.filter((r) => r.id !== RETIRED).map((r) => (r.id === TANKS ? { ...r, max: 60 } : r));
const CLAUSES = [
  { id: 'c1', text: 'The parties respect the 1974 lines.' },
  {
    id: 'c2',
    text: 'No Syrian tanks in the Area of Separation.',
    rules: [{ id: 'r-t-aos-tanks', kind: 'limit', zone: 'aos', actor: 'sy', asset: 'tanks', max: 0 }],
  },
  { id: 'c3', text: 'At most 60 Syrian tanks within 10 km east of Line B; the tank ban in the 2 km strip is lifted.' },
];
const WATCHED = new Set([TANKS, RETIRED]);

test("a round lowers a file rule's limit and retires another: superseded, re-judged, never reopened; the same on replay and in check --history", async (t) => {
  let now = STORY_START;
  const s = await startTestServer({ now: () => now, web: false });
  const dir = s.dir;
  t.after(() => s.destroy());
  await session(s);
  const time = () => new Date(now).toISOString();
  now += 60_000;
  const reports = [observation('f-1', 'sy-arm-1', 'sy', { tanks: 75 }, time(), SY_0_10), observation('f-2', 'sy-arm-2', 'sy', { tanks: 5 }, time(), STRIP)];
  for (const r of reports) await json(await s.as('undof', 'POST', `${BASE}/reports`, r), 202);
  const open = () =>
    s.deployment
      .openFindings()
      .filter((f) => WATCHED.has(f.rule))
      .map((f) => [f.rule, f.max, f.observed])
      .sort();
  assert.deepEqual(open(), [
    [RETIRED, 0, 5],
    [TANKS, 75, 80],
  ]);

  await json(await s.as('ru', 'POST', `${BASE}/talks/rounds`, { agenda: 'The tank ceilings east of Line B' }), 201);
  // Rules that clash: a 400 naming where the draft holds them.
  const dup = await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses: CLAUSES, sections: { rules: [...lowered, lowered[0]] } }), 400);
  assert.ok(
    dup.issues.some((i: { path: string; message: string }) => /^sections\.rules\[\d+\]\.id$/.test(i.path) && /duplicate|already/i.test(i.message)),
    JSON.stringify(dup),
  );
  const k = lowered.findIndex((r) => r.id === TANKS);
  const nowhere = lowered.map((r, i) => (i === k ? { ...r, zone: 'nowhere' } : r));
  const unknown = await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses: CLAUSES, sections: { rules: nowhere } }), 400);
  assert.ok(
    unknown.issues.some((i: { path: string }) => i.path === `sections.rules[${k}].zone`),
    JSON.stringify(unknown),
  );
  const notArray = await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses: CLAUSES, sections: { rules: { id: 'x' } } }), 400);
  assert.match(JSON.stringify(notArray.issues), /sections\.rules/);

  const draft = await json(await s.as('ru', 'POST', `${BASE}/talks/drafts`, { clauses: CLAUSES, sections: { rules: lowered } }), 201);
  // The sections bind the parties too: each accepts them, as the draft's hash of them says.
  await agreeAndApprove(s, draft.version, ['c3']);
  now += 60_000;
  await json(await s.as('ru', 'POST', `${BASE}/talks/announcement`, { draft: draft.version }), 201);

  const reason = `superseded by draft ${draft.version} of round 2`;
  const transitions = () =>
    [...s.deployment.book.after(0)]
      .map((b) => b.finding)
      .filter((f) => WATCHED.has(f.rule))
      .map((f) => [f.rule, f.state, f.max, f.observed, f.reason]);
  assert.deepEqual(transitions(), [
    [TANKS, 'open', 75, 80, undefined],
    [RETIRED, 'open', 0, 5, undefined],
    [TANKS, 'closed', 75, 80, reason],
    [RETIRED, 'closed', 0, 5, reason],
    [TANKS, 'open', 60, 80, undefined],
  ]);
  // More tanks in the strip: the retired rule does not come back.
  now += 60_000;
  reports.push(observation('f-3', 'sy-arm-2', 'sy', { tanks: 9 }, time(), STRIP));
  await json(await s.as('undof', 'POST', `${BASE}/reports`, reports[2]), 202);
  assert.deepEqual(open(), [[TANKS, 60, 80]]);
  assert.equal(transitions().filter(([rule]) => rule === RETIRED).length, 2);
  // The arrangement in force has the file's rule changed and the retired one gone.
  const view = s.deployment.arrangementView() as unknown as { rules: { id: string; max?: number }[] };
  assert.equal(view.rules.find((r) => r.id === TANKS)?.max, 60);
  assert.ok(!view.rules.some((r) => r.id === RETIRED));

  // The history carries the section; `detente check --history` rebuilds it and gives the same transitions.
  const h = await json(await s.as('il', 'GET', `${BASE}/history`), 200);
  assert.deepEqual(h.texts[2].sections.rules, lowered);
  const tmp = mkdtempSync(join(tmpdir(), 'detente-file-rules-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  writeFileSync(join(tmp, 'history.json'), JSON.stringify(h));
  writeFileSync(join(tmp, 'reports.ndjson'), reports.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const checked = await detente(['check', EXAMPLE, join(tmp, 'reports.ndjson'), '--history', join(tmp, 'history.json'), '--quiet']);
  assert.ok(checked.code === 0 || checked.code === 1, checked.err);
  const cli = checked.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((f) => WATCHED.has(f.rule));
  const server = [...s.deployment.book.after(0)].map((b) => b.finding).filter((f) => WATCHED.has(f.rule));
  const shape = (f: { rule: string; state: string; max?: number; observed?: number; reason?: string; time: string }) => [
    f.rule,
    f.state,
    f.max,
    f.observed,
    f.reason,
    f.time,
  ];
  assert.deepEqual(cli.map(shape), server.map(shape));
  // A history whose section was edited (the retired rule put back) is refused, naming the text.
  const edited = { ...h, texts: h.texts.map((x: { sections: object }, i: number) => (i === 2 ? { ...x, sections: { ...x.sections, rules: own } } : x)) };
  writeFileSync(join(tmp, 'edited.json'), JSON.stringify(edited));
  const refused = await detente(['check', EXAMPLE, join(tmp, 'reports.ndjson'), '--history', join(tmp, 'edited.json')]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /edited\.json: texts\[2\]\.sha256: /);

  // Replay from the record alone gives the same findings.
  const live = JSON.parse(JSON.stringify([...s.deployment.book.after(0)]));
  await s.stop();
  rmSync(join(dir, 'record', 'southern-syria', 'state.db'), { force: true });
  const again = await startTestServer({ now: () => now, web: false, dir });
  try {
    assert.deepEqual(JSON.parse(JSON.stringify([...again.deployment.book.after(0)])), live);
  } finally {
    await again.stop();
  }
});
