// The Keys panel: whether this page signs for the actor itself or the server signs for
// it (custodially); making this device's key; on a device whose key is not enrolled yet,
// its verifier key to copy to a device that holds one; on a device that holds one, a
// field to enrol another device's key (or a key to rotate to).
import type { App } from '../app.ts';
import { clear, h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';

/** A translated sentence with {actor} in it, as text around the given node. */
function around(sentence: string, node: HTMLElement): (string | HTMLElement)[] {
  const [before, after = ''] = sentence.split('{actor}');
  return [before, node, after];
}
import { actionForm, field, showError } from './forms.ts';

export class KeysView {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  /** outlives a redraw: what became of the last key made here */
  private readonly status: HTMLElement;

  constructor(private readonly app: App) {
    this.body = h('div', {});
    this.status = h('div', { class: 'form-status', 'data-test': 'keys-status', role: 'status' });
    this.el = h('section', { class: 'keys-view' }, this.body, this.status);
    app.signing.onChange(() => this.draw());
    this.draw();
  }

  draw(): void {
    const s = this.app.signing;
    const key = s.deviceKey;
    const known = this.app.actors.get(this.app.me.id)?.keys ?? [];
    const mode =
      s.mode === 'browser'
        ? h(
            'p',
            { class: 'signing browser', 'data-test': 'signing-mode', 'data-mode': 'browser' },
            ...around(t('keys.browser'), h('strong', {}, this.app.actorName(this.app.me.id))),
          )
        : h(
            'p',
            { class: 'signing custodial', 'data-test': 'signing-mode', 'data-mode': 'custodial' },
            ...around(t('keys.custodial'), h('strong', {}, this.app.actorName(this.app.me.id))),
          );
    const parts: (Node | null)[] = [mode];
    if (!key) {
      const device = h('input', { type: 'text', maxlength: 100, placeholder: t('keys.devicePlaceholder'), 'data-test': 'device-label' });
      parts.push(
        actionForm({
          title: t('keys.thisDevice'),
          test: 'make-key-form',
          fields: [h('p', { class: 'muted small' }, t('keys.madeHere')), known.length === 0 ? field(t('keys.device'), device, t('keys.deviceHint')) : null],
          submit: t('keys.make'),
          run: async () => {
            const { refused } = await s.makeKey(device.value.trim() || undefined);
            if (refused) showError(this.status, refused);
            else {
              this.status.className = 'form-status ok';
              this.status.textContent = s.enrolled ? t('keys.madeEnrolled') : t('keys.madeNotEnrolled');
            }
          },
        }),
      );
    } else {
      const vkey = h('textarea', { readonly: true, rows: 3, class: 'mono', 'data-test': 'device-vkey' });
      vkey.value = key.vkey;
      const copy = h(
        'button',
        { type: 'button', 'data-test': 'copy-vkey', onclick: () => void navigator.clipboard?.writeText(key.vkey).catch(() => vkey.select()) },
        t('keys.copy'),
      );
      parts.push(
        h('h4', {}, t('keys.verifierKey')),
        vkey,
        copy,
        h(
          'p',
          { class: 'muted small', 'data-test': 'key-kind', 'data-kind': key.kind, 'data-extractable': String(key.extractable) },
          key.extractable ? t('keys.extractable') : t('keys.nonExtractable'),
        ),
      );
      if (!s.enrolled) {
        parts.push(h('p', { class: 'muted', 'data-test': 'enroll-hint' }, known.length ? t('keys.notEnrolledCopy') : t('keys.notEnrolledSelf')));
        if (known.length === 0)
          parts.push(
            actionForm({
              title: '',
              test: 'self-enroll-form',
              fields: [],
              submit: t('keys.selfEnroll'),
              run: () => s.enroll(key.vkey),
              done: () => t('keys.enrolled'),
            }),
          );
      } else {
        const other = h('textarea', { rows: 3, class: 'mono', required: true, placeholder: `${this.app.me.id}+…+…`, 'data-test': 'enroll-vkey' });
        const device = h('input', { type: 'text', maxlength: 100, 'data-test': 'enroll-device' });
        parts.push(
          actionForm({
            title: t('keys.enrollOther'),
            test: 'enroll-form',
            fields: [field(t('keys.itsKey'), other), field(t('keys.device'), device, t('keys.deviceLabelHint'))],
            submit: t('keys.signEnroll'),
            resetOnDone: true,
            run: () => s.enroll(other.value.trim(), device.value.trim() || undefined),
            done: () => t('keys.enrolled'),
          }),
          actionForm({
            title: t('keys.rotateTitle'),
            test: 'rotate-form',
            fields: [h('p', { class: 'muted small' }, t('keys.rotateHint'))],
            submit: t('keys.rotate'),
            run: () => s.rotate(),
            done: () => t('keys.rotated'),
          }),
        );
      }
    }
    clear(this.body, parts);
  }
}
