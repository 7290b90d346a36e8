// Clause texts in several languages: given a draft / when a command / then events or the refusal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { LIMITS } from './limits.ts';
import { config, play, refused, when } from './scenario.ts';
import { isRtl } from './texts.ts';
import { textsHash } from './texts-hash.ts';
import type { DraftBody, StanceBody } from './types.ts';
import { talksView } from './view.ts';
import { CAST } from './scenario.ts';

const EN = 'Syrian tanks within 10 km of Line B: at most 75.';
const AR = 'الدبابات السورية ضمن 10 كم من الخط ب: 75 على الأكثر.';
const HE = 'טנקים סוריים בטווח 10 ק"מ מקו B: לכל היותר 75.';
const RU = 'Сирийские танки в пределах 10 км от линии B: не более 75.';
const buffer = (he = HE) => ({ id: 'buffer', text: { en: EN, ar: AR, he, ru: RU, prevailing: 'en' } });
const deploy = { id: 'deploy', text: 'Russia deploys 1,000 troops south of Quneitra by 1 February.' };

const drafted = (he = HE) => play([['ru', { kind: 'draft', clauses: [buffer(he), deploy] }]]);

describe('a clause in several languages', () => {
  test('the draft keeps every text and names the prevailing one; `text` is the prevailing text', () => {
    const [e] = when(play([]).state, 'ru', { kind: 'draft', clauses: [buffer(), deploy] });
    const body = e.body as DraftBody;
    assert.deepEqual(body.clauses[0], { id: 'buffer', text: EN, texts: { ar: AR, en: EN, he: HE, ru: RU }, prevailing: 'en' });
    assert.deepEqual(body.clauses[1], deploy);
  });

  test('a stance binds the hash of all the texts as they stood', () => {
    const { state } = drafted();
    const [e] = when(state, 'il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' });
    const want = createHash('sha256')
      .update(JSON.stringify({ prevailing: 'en', texts: { ar: AR, en: EN, he: HE, ru: RU } }))
      .digest('hex');
    assert.equal((e.body as StanceBody).texts_hash, want);
    // one language: nothing to bind beyond the draft's version
    const [d] = when(state, 'il', { kind: 'stance', draft: 1, clause: 'deploy', stance: 'accept' });
    assert.equal('texts_hash' in d.body, false);
  });

  test('a stance naming other texts than the draft holds is refused: 409 texts-changed', () => {
    const { state } = drafted();
    const other = textsHash({ text: EN, texts: { en: EN, he: 'another' }, prevailing: 'en' })!;
    refused(() => when(state, 'sy', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept', texts_hash: other }), {
      status: 409,
      code: 'texts-changed',
      path: 'texts_hash',
    });
    const same = textsHash({ text: EN, texts: { en: EN, ar: AR, he: HE, ru: RU }, prevailing: 'en' })!;
    assert.equal(when(state, 'sy', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept', texts_hash: same }).length, 1);
  });

  test('changing the Hebrew text alone is a change of the clause: its stances reset, the other clause keeps its', () => {
    const accepted = play(
      [
        ['il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }],
        ['il', { kind: 'stance', draft: 1, clause: 'deploy', stance: 'accept' }],
      ],
      config(),
      drafted(),
    );
    const [e] = when(accepted.state, 'ru', { kind: 'draft', clauses: [buffer(`${HE} (מתוקן)`), deploy] });
    assert.deepEqual((e.body as DraftBody).unchanged, ['deploy']);
    const after = play([['ru', { kind: 'draft', clauses: [buffer(`${HE} (מתוקן)`), deploy] }]], config(), accepted);
    const stances = talksView(after.state, CAST.ru, 0).stances.map((s) => `${s.clause}:${s.party}:${s.stance}`);
    assert.deepEqual(stances, ['deploy:il:accept']);
  });

  test('the same texts in another key order, or the prevailing language changed, are judged as such', () => {
    const accepted = play([['il', { kind: 'stance', draft: 1, clause: 'buffer', stance: 'accept' }]], config(), drafted());
    const reordered = { id: 'buffer', text: { prevailing: 'en', ru: RU, he: HE, ar: AR, en: EN } };
    assert.deepEqual((when(accepted.state, 'ru', { kind: 'draft', clauses: [reordered, deploy] })[0].body as DraftBody).unchanged, ['buffer', 'deploy']);
    const arabicPrevails = { id: 'buffer', text: { en: EN, ar: AR, he: HE, ru: RU, prevailing: 'ar' } };
    assert.deepEqual((when(accepted.state, 'ru', { kind: 'draft', clauses: [arabicPrevails, deploy] })[0].body as DraftBody).unchanged, ['deploy']);
  });

  test('bad texts name their field: prevailing missing or not a language of the clause, a bad tag, an empty text, too many languages', () => {
    const s = play([]).state;
    const draft = (text: unknown) => ({ kind: 'draft', clauses: [{ id: 'c', text }] });
    refused(() => when(s, 'ru', draft({ en: EN, he: HE })), { status: 400, code: 'invalid', path: 'clauses[0].text.prevailing' });
    refused(() => when(s, 'ru', draft({ en: EN, prevailing: 'fr' })), {
      status: 400,
      code: 'invalid',
      path: 'clauses[0].text.prevailing',
      message: /"fr" is not one of the clause's languages \(en\)/,
    });
    refused(() => when(s, 'ru', draft({ EN: EN, prevailing: 'EN' })), { status: 400, code: 'invalid', path: 'clauses[0].text.EN' });
    refused(() => when(s, 'ru', draft({ en: EN, he: ' ', prevailing: 'en' })), { status: 400, code: 'invalid', path: 'clauses[0].text.he' });
    refused(() => when(s, 'ru', draft({ prevailing: 'en' })), { status: 400, code: 'invalid', path: 'clauses[0].text' });
    const many = Object.fromEntries(Array.from({ length: LIMITS.languages + 1 }, (_, i) => [`l${String.fromCharCode(97 + i)}`, 'x']));
    refused(() => when(s, 'ru', draft({ ...many, prevailing: 'la' })), {
      status: 400,
      code: 'invalid',
      path: 'clauses[0].text',
      message: /at most 12 languages/,
    });
    refused(() => when(s, 'ru', draft({ en: 'x'.repeat(LIMITS.text + 1), prevailing: 'en' })), { status: 400, code: 'invalid', path: 'clauses[0].text.en' });
  });

  test('the views show every text and the prevailing language; Arabic and Hebrew read right to left', () => {
    const { state } = drafted();
    const c = talksView(state, CAST.sy, 0).drafts[0].clauses[0];
    assert.deepEqual(c.texts, { ar: AR, en: EN, he: HE, ru: RU });
    assert.equal(c.prevailing, 'en');
    assert.deepEqual(['ar', 'he', 'ru', 'en', 'fa-IR'].map(isRtl), [true, true, false, false, true]);
  });
});
