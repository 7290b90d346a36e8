// A form that sends one command: its fields, a submit button (disabled with a visible
// reason when the command cannot be sent now), and next to it the server's answer —
// on a 4xx its error and every field issue it names.
import { ApiError } from '../api/client.ts';
import { clear, h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';

/** A problem found before sending (bad JSON in a rules box, say), shown like the server's. */
export class FormProblem extends Error {}

export interface ActionFormOptions {
  title: string;
  /** data-test name of the form */
  test: string;
  fields: (Node | string | null)[];
  submit: string;
  /** why the command cannot be sent now; null or undefined: it can */
  disabledBecause?: string | null;
  /** sends the command; its resolved value is described by `done` */
  run: () => Promise<unknown>;
  done?: (result: unknown) => string;
  /** after a success: usually, fetch the view again */
  after?: () => void;
  /** empty the fields after a success (for forms that send something new each time) */
  resetOnDone?: boolean;
}

export function actionForm(o: ActionFormOptions): HTMLFormElement {
  const status = h('div', { class: 'form-status', 'data-test': `${o.test}-status`, role: 'status' });
  const button = h('button', { type: 'submit', 'data-test': `${o.test}-submit` }, o.submit);
  const reason = h('p', { class: 'disabled-reason', 'data-test': `${o.test}-reason` });
  if (o.disabledBecause) {
    button.disabled = true;
    reason.textContent = o.disabledBecause;
  } else reason.hidden = true;
  const form = h(
    'form',
    { class: 'action-form', 'data-test': o.test },
    h('h4', {}, o.title),
    ...o.fields.filter((f) => f !== null),
    h('div', { class: 'form-actions' }, button, reason),
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    status.className = 'form-status';
    status.textContent = t('form.sending');
    o.run()
      .then((result) => {
        if (o.resetOnDone) form.reset();
        status.classList.add('ok');
        status.textContent = o.done ? o.done(result) : t('form.done');
        o.after?.();
      })
      .catch((err: unknown) => showError(status, err))
      .finally(() => {
        button.disabled = Boolean(o.disabledBecause);
      });
  });
  return form;
}

export function showError(status: HTMLElement, err: unknown): void {
  status.className = 'form-status error';
  if (err instanceof ApiError) {
    const head = err.status ? `${err.status}: ${err.message}` : err.message;
    clear(
      status,
      h('p', { 'data-test': 'error' }, head),
      err.issues.length
        ? h(
            'ul',
            {},
            err.issues.map((i) => h('li', {}, h('code', {}, i.path || t('form.body')), ` ${i.message}`)),
          )
        : null,
    );
  } else if (err instanceof FormProblem) clear(status, h('p', { 'data-test': 'error' }, err.message));
  else clear(status, h('p', { 'data-test': 'error' }, t('form.notSent', { error: (err as Error).message ?? String(err) })));
}

let fieldIds = 0;

/** A labelled control. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || `f${++fieldIds}`;
  control.id = id;
  const isCheck = control instanceof HTMLInputElement && control.type === 'checkbox';
  return h(
    'div',
    { class: isCheck ? 'field check' : 'field' },
    isCheck ? control : null,
    h('label', { for: id }, label),
    isCheck ? null : control,
    hint ? h('small', { class: 'muted' }, hint) : null,
  );
}
