// The record: its size and latest signed checkpoint (kept current by `checkpoint`
// events), and a button that checks it here, in the browser.
import type { App } from '../app.ts';
import type { CheckpointEvent } from '../api/types.ts';
import { clear, formatNumber, h } from '../dom.ts';
import type { Step } from '../record/verify.ts';

export class RecordView {
  readonly el: HTMLElement;
  private readonly size: HTMLElement;
  private readonly note: HTMLPreElement;
  private readonly steps: HTMLOListElement;
  private readonly button: HTMLButtonElement;
  private readonly verdict: HTMLElement;

  constructor(private readonly app: App) {
    this.size = h('strong', { 'data-test': 'tree-size' }, '…');
    this.note = h('pre', { class: 'checkpoint', 'data-test': 'checkpoint' });
    this.steps = h('ol', { class: 'steps', 'data-test': 'verify-steps' });
    this.verdict = h('p', { class: 'verdict', 'data-test': 'verify-verdict' });
    this.button = h('button', { type: 'button', 'data-test': 'verify', onclick: () => void this.verify() }, 'Verify');
    this.el = h(
      'section',
      { class: 'record-view' },
      h('p', {}, 'Entries in the record: ', this.size),
      h('h3', {}, 'Latest checkpoint'),
      this.note,
      h(
        'p',
        { class: 'muted small' },
        'Verify checks, in this browser and with Détente’s own record code, that the checkpoint is signed by the log’s key, that its latest entry is signed by its author, and that an inclusion proof puts that entry under the signed root.',
      ),
      this.button,
      this.verdict,
      this.steps,
    );
  }

  async load(): Promise<void> {
    try {
      const note = await this.app.api.text(`${this.app.base}/record/checkpoint`);
      this.show(note);
    } catch (e) {
      this.note.textContent = `The checkpoint cannot be read: ${(e as Error).message}`;
    }
  }

  onCheckpoint(e: CheckpointEvent): void {
    this.show(e.checkpoint, e.size);
  }

  private show(note: string, size?: number): void {
    this.note.textContent = note;
    const fromNote = Number(note.split('\n')[1]);
    const n = size ?? fromNote;
    this.size.textContent = Number.isFinite(n) ? formatNumber(n) : '?';
  }

  private async verify(): Promise<void> {
    this.button.disabled = true;
    this.verdict.textContent = 'Checking…';
    this.verdict.className = 'verdict';
    clear(this.steps);
    try {
      // Loaded on demand: the record code and its stand-ins for node:crypto are only needed here.
      const { verifyRecord } = await import('../record/verify.ts');
      const steps = await verifyRecord(this.app.api, this.app.base, (s) => this.drawSteps(s));
      const failed = steps.some((s) => s.ok === false);
      const skipped = steps.some((s) => s.ok === null);
      this.verdict.textContent = failed ? 'A check failed.' : skipped ? 'Every check that could run passed.' : 'Every check passed.';
      this.verdict.classList.add(failed ? 'bad' : 'good');
    } catch (e) {
      this.verdict.textContent = `The check could not run: ${(e as Error).message}`;
      this.verdict.classList.add('bad');
    } finally {
      this.button.disabled = false;
    }
  }

  private drawSteps(steps: Step[]): void {
    clear(
      this.steps,
      steps.map((s) =>
        h(
          'li',
          { class: s.ok === true ? 'pass' : s.ok === false ? 'fail' : 'skip', 'data-test': 'verify-step', 'data-ok': String(s.ok) },
          h('span', { class: 'mark', 'aria-hidden': 'true' }, s.ok === true ? '✓' : s.ok === false ? '✗' : '–'),
          h('strong', {}, s.name),
          ` ${s.ok === true ? 'passed' : s.ok === false ? 'failed' : 'not checked'}: `,
          h('span', { class: 'detail' }, s.detail),
        ),
      ),
    );
  }
}
