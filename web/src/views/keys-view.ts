// The Keys panel: whether this page signs for the actor itself or the server signs for
// it (custodially); making this device's key; on a device whose key is not enrolled yet,
// its verifier key to copy to a device that holds one; on a device that holds one, a
// field to enrol another device's key (or a key to rotate to).
import type { App } from '../app.ts';
import { clear, h } from '../dom.ts';
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
            'This page signs for ',
            h('strong', {}, this.app.actorName(this.app.me.id)),
            ' with this device’s own key: the server never holds it.',
          )
        : h(
            'p',
            { class: 'signing custodial', 'data-test': 'signing-mode', 'data-mode': 'custodial' },
            'Custodial: the server signs for ',
            h('strong', {}, this.app.actorName(this.app.me.id)),
            ' with a key it holds, and the record marks those entries as signed by the server.',
          );
    const parts: (Node | null)[] = [mode];
    if (!key) {
      const device = h('input', { type: 'text', maxlength: 100, placeholder: 'e.g. delegation laptop 2', 'data-test': 'device-label' });
      parts.push(
        actionForm({
          title: 'This device’s key',
          test: 'make-key-form',
          fields: [
            h('p', { class: 'muted small' }, 'Made in this browser and kept in it (IndexedDB); the private key never leaves it.'),
            known.length === 0 ? field('Device', device, 'a label for this device (optional)') : null,
          ],
          submit: 'Make this device’s key',
          run: async () => {
            const { refused } = await s.makeKey(device.value.trim() || undefined);
            if (refused) showError(this.status, refused);
            else {
              this.status.className = 'form-status ok';
              this.status.textContent = s.enrolled ? 'Made and enrolled.' : 'Made. It must be enrolled before this page signs with it.';
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
        'Copy',
      );
      parts.push(
        h('h4', {}, 'This device’s verifier key'),
        vkey,
        copy,
        h(
          'p',
          { class: 'muted small', 'data-test': 'key-kind', 'data-kind': key.kind, 'data-extractable': String(key.extractable) },
          key.extractable
            ? 'Made with @noble/curves: this browser has no Ed25519 in WebCrypto, so the private key is bytes that script on this page could read.'
            : 'Made with WebCrypto, non-extractable: not even this page can read the private key; it can only sign with it.',
        ),
      );
      if (!s.enrolled) {
        parts.push(
          h(
            'p',
            { class: 'muted', 'data-test': 'enroll-hint' },
            known.length
              ? 'Not enrolled yet: copy the key above to a device that holds one of this actor’s keys and enrol it there.'
              : 'Not enrolled yet. If the actor has no key at all, this key can enrol itself; if another device already holds one, copy the key above there and enrol it from that device.',
          ),
        );
        if (known.length === 0)
          parts.push(
            actionForm({ title: '', test: 'self-enroll-form', fields: [], submit: 'Enrol this key', run: () => s.enroll(key.vkey), done: () => 'Enrolled.' }),
          );
      } else {
        const other = h('textarea', { rows: 3, class: 'mono', required: true, placeholder: `${this.app.me.id}+…+…`, 'data-test': 'enroll-vkey' });
        const device = h('input', { type: 'text', maxlength: 100, 'data-test': 'enroll-device' });
        parts.push(
          actionForm({
            title: 'Enrol another device',
            test: 'enroll-form',
            fields: [field('Its verifier key', other), field('Device', device, 'a label (optional, at most 100 characters)')],
            submit: 'Sign and enrol',
            resetOnDone: true,
            run: () => s.enroll(other.value.trim(), device.value.trim() || undefined),
            done: () => 'Enrolled.',
          }),
          actionForm({
            title: 'Rotate this device’s key',
            test: 'rotate-form',
            fields: [h('p', { class: 'muted small' }, 'Makes a new key here; the current one signs the statement that introduces it.')],
            submit: 'Rotate',
            run: () => s.rotate(),
            done: () => 'Rotated.',
          }),
        );
      }
    }
    clear(this.body, parts);
  }
}
