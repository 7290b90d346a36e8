// The joint channel (direct talks) in the talks panel: shown to the parties and the
// mediator only (the server sends `joint: null` to everyone else). A party consents and
// may close an open session; the mediator opens it once every party consents; the three
// speak in it. The indirect channel's forms stay beside it.
import { h, formatTime } from '../dom.ts';
import { actionForm, field } from './forms.ts';
import { done, post, type TalksContext } from './talks-forms.ts';

export function jointChannel(c: TalksContext, keep: (name: string, key: string, build: () => HTMLElement) => HTMLElement): HTMLElement | null {
  const j = c.view.joint;
  if (!j) return null;
  const role = c.view.viewer.role;
  const me = c.app.me.id;
  const consented = j.consents.some((x) => x.party === me);
  const status =
    j.open !== null
      ? `The joint channel is open (session ${j.open}): messages reach both parties and the mediator.`
      : j.sessions > 0
        ? `The joint channel is closed (${j.sessions} session${j.sessions > 1 ? 's' : ''} so far).`
        : 'The talks are indirect: no joint channel yet.';
  const k = JSON.stringify([j.open, j.sessions, consented]);
  return h(
    'div',
    { class: 'joint', 'data-test': 'joint' },
    h('h3', {}, 'Joint channel'),
    h('p', { 'data-test': 'joint-status' }, status),
    j.consents.length
      ? h(
          'p',
          { class: 'muted', 'data-test': 'joint-consents' },
          `Consent to direct talks: ${j.consents.map((x) => `${c.app.actorName(x.party)} (${formatTime(x.time)})`).join(', ')}`,
        )
      : null,
    j.messages.length
      ? h(
          'ul',
          { class: 'joint-messages', 'data-test': 'joint-messages' },
          j.messages.map((m) =>
            h(
              'li',
              { 'data-test': 'joint-message' },
              h('div', {}, h('code', {}, m.id), ` ${c.app.actorName(m.from)}, ${formatTime(m.time)} · session ${m.session}`),
              h('p', {}, m.text),
            ),
          ),
        )
      : null,
    h(
      'div',
      { class: 'forms' },
      role === 'party' && j.open === null && !consented ? keep('joint-consent', k, () => consentForm(c)) : null,
      role === 'mediator' && j.open === null ? keep('joint-open', k, () => openForm(c)) : null,
      j.open !== null ? keep('joint-message', k, () => messageForm(c)) : null,
      role === 'party' && j.open !== null ? keep('joint-close', k, () => closeForm(c)) : null,
    ),
  );
}

function consentForm(c: TalksContext): HTMLFormElement {
  const quiet = h('input', { type: 'checkbox', 'data-test': 'joint-consent-quiet' });
  return actionForm({
    title: 'Consent to direct talks',
    test: 'joint-consent-form',
    fields: [field('Quietly: the record does not show who consented', quiet)],
    submit: 'Consent',
    run: () => post(c, 'joint/consents', quiet.checked ? { quiet: true } : {}),
    done,
    after: c.refresh,
  });
}

function openForm(c: TalksContext): HTMLFormElement {
  return actionForm({
    title: 'Open the joint channel',
    test: 'joint-open-form',
    fields: [],
    submit: 'Open',
    run: () => post(c, 'joint/open', {}),
    done,
    after: c.refresh,
  });
}

function messageForm(c: TalksContext): HTMLFormElement {
  const text = h('textarea', { rows: 2, required: true, 'data-test': 'joint-message-text' });
  return actionForm({
    title: 'Say in the joint channel',
    test: 'joint-message-form',
    fields: [field('Text (both parties and the mediator read it)', text)],
    submit: 'Send',
    resetOnDone: true,
    run: () => post(c, 'joint/messages', { text: text.value }),
    done,
    after: c.refresh,
  });
}

function closeForm(c: TalksContext): HTMLFormElement {
  return actionForm({
    title: 'Close the joint channel',
    test: 'joint-close-form',
    fields: [],
    submit: 'Close',
    run: () => post(c, 'joint/close', {}),
    done,
    after: c.refresh,
  });
}
