// The joint channel (direct talks) in the talks panel: shown to the parties and the
// mediator only (the server sends `joint: null` to everyone else). A party consents and
// may close an open session; the mediator opens it once every party consents; the three
// speak in it. The indirect channel's forms stay beside it.
import { h, formatTime } from '../dom.ts';
import { formatList, t } from '../i18n/i18n.ts';
import { actionForm, field } from './forms.ts';
import { done, post, type TalksContext } from './talks-forms.ts';

export function jointChannel(c: TalksContext, keep: (name: string, key: string, build: () => HTMLElement) => HTMLElement): HTMLElement | null {
  const j = c.view.joint;
  if (!j) return null;
  const role = c.view.viewer.role;
  const me = c.app.me.id;
  const consented = j.consents.some((x) => x.party === me);
  const status = j.open !== null ? t('joint.open', { n: String(j.open) }) : j.sessions > 0 ? t('joint.closed', { n: j.sessions }) : t('joint.indirect');
  const k = JSON.stringify([j.open, j.sessions, consented]);
  return h(
    'div',
    { class: 'joint', 'data-test': 'joint' },
    h('h3', {}, t('joint.title')),
    h('p', { 'data-test': 'joint-status' }, status),
    j.consents.length
      ? h(
          'p',
          { class: 'muted', 'data-test': 'joint-consents' },
          t('joint.consents', { list: formatList(j.consents.map((x) => `${c.app.actorName(x.party)} (${formatTime(x.time)})`)) }),
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
              h('div', {}, h('code', {}, m.id), t('joint.messageHead', { actor: c.app.actorName(m.from), time: formatTime(m.time), n: String(m.session) })),
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
    title: t('joint.consentTitle'),
    test: 'joint-consent-form',
    fields: [field(t('joint.consentQuiet'), quiet)],
    submit: t('joint.consent'),
    run: () => post(c, 'joint/consents', quiet.checked ? { quiet: true } : {}),
    done,
    after: c.refresh,
  });
}

function openForm(c: TalksContext): HTMLFormElement {
  return actionForm({
    title: t('joint.openTitle'),
    test: 'joint-open-form',
    fields: [],
    submit: t('joint.openSubmit'),
    run: () => post(c, 'joint/open', {}),
    done,
    after: c.refresh,
  });
}

function messageForm(c: TalksContext): HTMLFormElement {
  const text = h('textarea', { rows: 2, required: true, 'data-test': 'joint-message-text' });
  return actionForm({
    title: t('joint.sayTitle'),
    test: 'joint-message-form',
    fields: [field(t('joint.sayText'), text)],
    submit: t('joint.send'),
    resetOnDone: true,
    run: () => post(c, 'joint/messages', { text: text.value }),
    done,
    after: c.refresh,
  });
}

function closeForm(c: TalksContext): HTMLFormElement {
  return actionForm({
    title: t('joint.closeTitle'),
    test: 'joint-close-form',
    fields: [],
    submit: t('joint.closeSubmit'),
    run: () => post(c, 'joint/close', {}),
    done,
    after: c.refresh,
  });
}
