// The joint channel, given events / when command / then events or the refusal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jointView } from './channel-view.ts';
import { evolve } from './evolve.ts';
import { BODY_LIMIT, CAST, config, given, play, refused, T0, when, type Who } from './scenario.ts';
import type { TalksEvent, TalksEventType } from './types.ts';
import { QUIET_ENVELOPE_BYTES } from './decide.ts';
import { itemOf, sealedItem, talksView, visibleEvent } from './view.ts';

const ev = (type: TalksEventType, author: string, body: object, sealed = false, time = T0): TalksEvent => ({ type, author, time, body, sealed }) as TalksEvent;

const consented = () =>
  play([
    ['il', { kind: 'consent-direct' }],
    ['sy', { kind: 'consent-direct', note: 'at the leaders’ level' }],
  ]);
const openChannel = () => play([['ru', { kind: 'open-joint-channel' }]], config(), consented());

describe('consent-direct', () => {
  test('a party consents: an event said to the mediator, not sealed unless asked to be quiet', () => {
    assert.deepEqual(when(given([]), 'il', { kind: 'consent-direct' }), [ev('talks.consent', 'il', {})]);
    assert.deepEqual(when(given([]), 'sy', { kind: 'consent-direct', note: 'only on security', quiet: true }), [
      { ...ev('talks.consent', 'sy', { note: 'only on security' }), quiet: true },
    ]);
  });

  test('twice is refused: 409 already-consented', () => {
    const s = given([ev('talks.consent', 'il', {})]);
    refused(() => when(s, 'il', { kind: 'consent-direct' }), { status: 409, code: 'already-consented', message: /^il has consented to direct talks already/ });
  });

  test('only a party consents (403)', () => {
    for (const who of ['ru', 'us', 'undof', 'tr'] as Who[])
      refused(() => when(given([]), who, { kind: 'consent-direct' }), { status: 403, code: 'forbidden', message: /^only a party may consent to direct talks/ });
  });

  test('the other party does not see a consent; the mediator does', () => {
    const { state, events } = play([['il', { kind: 'consent-direct' }]]);
    assert.deepEqual(
      jointView(state, CAST.il)?.consents.map((c) => c.party),
      ['il'],
    );
    assert.deepEqual(jointView(state, CAST.sy)?.consents, []);
    assert.deepEqual(
      jointView(state, CAST.ru)?.consents.map((c) => c.party),
      ['il'],
    );
    assert.equal(visibleEvent(CAST.sy, events[0]), undefined);
    assert.equal(visibleEvent(CAST.ru, events[0]), events[0]);
  });
});

describe('open-joint-channel', () => {
  test('with every party consenting, the mediator opens session 1', () => {
    assert.deepEqual(when(consented().state, 'ru', { kind: 'open-joint-channel' }), [ev('talks.joint.open', 'ru', { session: 1 })]);
  });

  test('consent missing: 409 naming who has not consented', () => {
    refused(() => when(given([]), 'ru', { kind: 'open-joint-channel' }), {
      status: 409,
      code: 'no-consent',
      message: "the joint channel needs every party's consent: il, sy have not consented",
    });
    const one = play([['sy', { kind: 'consent-direct' }]]);
    refused(() => when(one.state, 'ru', { kind: 'open-joint-channel' }), {
      status: 409,
      code: 'no-consent',
      message: "the joint channel needs every party's consent: il has not consented",
    });
  });

  test('only the mediator opens (403), and not twice (409)', () => {
    for (const who of ['il', 'sy', 'us', 'undof', 'tr'] as Who[])
      refused(() => when(consented().state, who, { kind: 'open-joint-channel' }), {
        status: 403,
        code: 'forbidden',
        message: /^only the mediator may open the joint channel/,
      });
    refused(() => when(openChannel().state, 'ru', { kind: 'open-joint-channel' }), { status: 409, code: 'channel-open' });
  });
});

describe('joint-message', () => {
  test('a party and the mediator speak in the open channel: sealed, numbered, in the session', () => {
    const { state } = openChannel();
    assert.deepEqual(when(state, 'sy', { kind: 'joint-message', text: 'We can meet in Baku.' }), [
      ev('talks.joint.message', 'sy', { id: 'j-1', session: 1, text: 'We can meet in Baku.' }, true),
    ]);
    const after = play([['il', { kind: 'joint-message', text: 'Agreed.' }]], config(), openChannel());
    assert.deepEqual(when(after.state, 'ru', { kind: 'joint-message', text: 'Then 2 pm.' }), [
      ev('talks.joint.message', 'ru', { id: 'j-2', session: 1, text: 'Then 2 pm.' }, true),
    ]);
  });

  test('the channel closed: 409 channel-closed (before it opens, and after a party closes it)', () => {
    refused(() => when(consented().state, 'il', { kind: 'joint-message', text: 'hello' }), { status: 409, code: 'channel-closed' });
    const closed = play([['il', { kind: 'close-joint-channel' }]], config(), openChannel());
    refused(() => when(closed.state, 'sy', { kind: 'joint-message', text: 'hello' }), { status: 409, code: 'channel-closed' });
  });

  test('the guarantor, an observer and a third party may not speak in it (403)', () => {
    for (const who of ['us', 'undof', 'tr'] as Who[])
      refused(() => when(openChannel().state, who, { kind: 'joint-message', text: 'x' }), { status: 403, code: 'forbidden' });
  });

  test('messages reach both parties and the mediator, and no one else: view, event stream, sealed content', () => {
    const { state, events } = play([['il', { kind: 'joint-message', text: 'Face to face, at last.' }]], config(), openChannel());
    const msg = events[events.length - 1];
    for (const who of ['il', 'sy', 'ru'] as Who[]) {
      assert.deepEqual(
        jointView(state, CAST[who])?.messages.map((m) => m.text),
        ['Face to face, at last.'],
        who,
      );
      assert.equal(visibleEvent(CAST[who], msg), msg, who);
    }
    for (const who of ['us', 'undof', 'tr'] as Who[]) {
      assert.equal(jointView(state, CAST[who]), null, who);
      assert.equal(visibleEvent(CAST[who], msg), undefined, who);
    }
    assert.deepEqual(itemOf(msg), { kind: 'joint' });
    assert.deepEqual(sealedItem(msg), { kind: 'joint' });
  });
});

describe('close-joint-channel', () => {
  test('either party closes the open session; every consent lapses, the indirect channel goes on', () => {
    const { state } = openChannel();
    assert.deepEqual(when(state, 'sy', { kind: 'close-joint-channel', note: 'not today' }), [ev('talks.joint.close', 'sy', { session: 1, note: 'not today' })]);
    const closed = evolve(state, ev('talks.joint.close', 'il', { session: 1 }));
    assert.equal(jointView(closed, CAST.ru)?.open, null);
    assert.deepEqual(jointView(closed, CAST.ru)?.consents, []);
    refused(() => when(closed, 'ru', { kind: 'open-joint-channel' }), { status: 409, code: 'no-consent', message: /il, sy have not consented/ });
    assert.equal(when(closed, 'il', { kind: 'submit', text: 'Through you again.' }).length, 1);
    assert.equal(when(closed, 'ru', { kind: 'relay', to: 'sy', text: 'They write again.' }).length, 1);
  });

  test('a second session after fresh consents is session 2', () => {
    const closed = play([['il', { kind: 'close-joint-channel' }]], config(), openChannel());
    const again = play(
      [
        ['sy', { kind: 'consent-direct' }],
        ['il', { kind: 'consent-direct' }],
      ],
      config(),
      closed,
    );
    assert.deepEqual(when(again.state, 'ru', { kind: 'open-joint-channel' }), [ev('talks.joint.open', 'ru', { session: 2 })]);
  });

  test('only a party closes (403); a closed channel cannot be closed (409)', () => {
    for (const who of ['ru', 'us', 'undof', 'tr'] as Who[])
      refused(() => when(openChannel().state, who, { kind: 'close-joint-channel' }), {
        status: 403,
        code: 'forbidden',
        message: /^only a party may close the joint channel/,
      });
    refused(() => when(consented().state, 'il', { kind: 'close-joint-channel' }), { status: 409, code: 'channel-closed' });
  });
});

describe('quiet', () => {
  test('a quiet submission is marked quiet, whatever else it is; the views say so to those who see it', () => {
    assert.deepEqual(when(given([]), 'il', { kind: 'submit', text: 'Between us.', quiet: true }), [
      { ...ev('talks.submit', 'il', { id: 's-1', text: 'Between us.', confidential: false }), quiet: true },
    ]);
    const { state } = play([['il', { kind: 'submit', text: 'Between us.', quiet: true, confidential: true }]]);
    assert.equal(talksView(state, CAST.ru, T0).submissions[0].quiet, true);
    assert.deepEqual(talksView(state, CAST.sy, T0).submissions, []);
  });

  test('a quiet statement leaves room for its envelope: a body that fits the record plainly may be too large quietly (413)', () => {
    const text = 'x'.repeat(BODY_LIMIT - QUIET_ENVELOPE_BYTES);
    assert.equal(when(given([]), 'il', { kind: 'submit', text: text.slice(0, 19_000) }, T0, { maxBodyBytes: 20_000 }).length, 1);
    refused(() => when(given([]), 'il', { kind: 'submit', text: text.slice(0, 19_500), quiet: true }, T0, { maxBodyBytes: 20_000 }), {
      status: 413,
      code: 'too-large',
    });
  });
});
