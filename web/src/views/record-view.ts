// The record: its size and latest signed checkpoint (kept current by `checkpoint`
// events), the checkpoint this browser last verified and remembers (with who cosigned
// it, and how far it is behind the log's head), a fork when one is seen, and a button
// that checks the record here, in the browser.
import type { App } from '../app.ts';
import type { ArrangementWithWitnesses, CheckpointEvent } from '../api/types.ts';
import { clear, formatNumber, formatTime, h } from '../dom.ts';
import { logName } from '../record/checkpoint-memory.ts';
import { CheckpointKeeper } from '../record/keeper.ts';
import type { Step } from '../record/verify.ts';
import { witnessPolicy } from '../record/witnesses.ts';

export class RecordView {
  readonly el: HTMLElement;
  private readonly size: HTMLElement;
  private readonly note: HTMLPreElement;
  private readonly steps: HTMLOListElement;
  private readonly button: HTMLButtonElement;
  private readonly verdict: HTMLElement;
  private readonly memory: HTMLElement;
  private readonly fork: HTMLElement;
  readonly keeper: CheckpointKeeper;

  constructor(private readonly app: App) {
    this.memory = h('div', { class: 'memory', 'data-test': 'memory' }, 'Checking the checkpoint…');
    this.fork = h('div', { class: 'fork', 'data-test': 'fork-banner', role: 'alert', hidden: true });
    this.keeper = new CheckpointKeeper(
      app.api,
      app.base,
      logName(window.location.host, app.me.arrangement),
      () => witnessPolicy(app.api, app.base, app.arrangement as ArrangementWithWitnesses),
      () => this.drawMemory(),
    );
    this.size = h('strong', { 'data-test': 'tree-size' }, '…');
    this.note = h('pre', { class: 'checkpoint', 'data-test': 'checkpoint' });
    this.steps = h('ol', { class: 'steps', 'data-test': 'verify-steps' });
    this.verdict = h('p', { class: 'verdict', 'data-test': 'verify-verdict' });
    this.button = h('button', { type: 'button', 'data-test': 'verify', onclick: () => void this.verify() }, 'Verify');
    this.el = h(
      'section',
      { class: 'record-view' },
      this.fork,
      h('p', {}, 'Entries in the record: ', this.size),
      h('h3', {}, 'Remembered in this browser'),
      this.memory,
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
      this.keeper.offer(note);
    } catch (e) {
      this.note.textContent = `The checkpoint cannot be read: ${(e as Error).message}`;
    }
  }

  onCheckpoint(e: CheckpointEvent): void {
    this.show(e.checkpoint, e.size);
    this.keeper.offer(e.checkpoint, e.size);
  }

  private drawMemory(): void {
    const st = this.keeper.state;
    const m = st.memory;
    const witnessNote = !st.witnessesKnown
      ? h(
          'p',
          { class: 'muted small', 'data-test': 'witnesses-unknown' },
          'This page could not learn the arrangement’s witnesses: checkpoints are taken on the log’s signature and a consistency proof alone.',
        )
      : st.witnesses
        ? null
        : h('p', { class: 'muted small' }, 'The arrangement names no witnesses.');
    if (!m) {
      clear(this.memory, st.problem ? h('p', { class: 'error', 'data-test': 'memory-problem' }, st.problem) : 'No checkpoint verified yet.', witnessNote);
    } else {
      const names = new Map((this.app.arrangement as ArrangementWithWitnesses).witnesses?.keys.map((k) => [k.key, k]) ?? []);
      const cosigners = Object.entries(m.cosigners);
      const behind = st.logHead !== undefined ? st.logHead - m.size : undefined;
      clear(
        this.memory,
        h(
          'p',
          {},
          'Verified: ',
          h('strong', { 'data-test': 'remembered-size' }, String(m.size)),
          ` entries (${formatTime(m.verified)}), kept across reloads; a newer checkpoint is taken only with a proof that it extends this one.`,
        ),
        st.witnesses
          ? h(
              'p',
              { 'data-test': 'witness-lag', 'data-behind': String(behind ?? '') },
              behind === undefined
                ? 'The log’s head is not known yet.'
                : behind > 0
                  ? `The witnessed head is ${formatNumber(behind)} entries behind the log’s head (${formatNumber(st.logHead!)}).`
                  : 'The witnessed head is the log’s head.',
            )
          : null,
        cosigners.length
          ? h(
              'ul',
              { class: 'cosigners' },
              cosigners.map(([key, t]) => {
                const w = names.get(key);
                const name = w ? `${w.name}${w.actor ? ` (${this.app.actorName(w.actor)})` : ''}` : key.split('+')[0];
                return h('li', { 'data-test': 'cosigner' }, `cosigned by ${name} at ${formatTime(t * 1000)}`);
              }),
            )
          : null,
        st.problem ? h('p', { class: 'error', 'data-test': 'memory-problem' }, `Not taken: ${st.problem}`) : null,
        witnessNote,
      );
    }
    this.drawFork();
  }

  private drawFork(): void {
    const forks = this.keeper.state.memory?.forks ?? [];
    this.fork.hidden = forks.length === 0;
    if (forks.length === 0) return;
    const f = forks[forks.length - 1];
    const download = () => {
      const blob = new Blob([JSON.stringify({ log: this.app.me.arrangement, ...f }, null, 2)], { type: 'application/json' });
      const a = h('a', { href: URL.createObjectURL(blob), download: `detente-fork-${this.app.me.arrangement}.json` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    };
    clear(
      this.fork,
      h('h3', {}, 'The log forked'),
      h(
        'p',
        {},
        `The log signed two checkpoints that cannot both be true: ${f.why}. This browser keeps both and does not move past the one it verified. Publish them: anyone can check the two signatures.`,
      ),
      h('h4', {}, 'Remembered here'),
      h('pre', { class: 'checkpoint', 'data-test': 'fork-remembered' }, f.remembered),
      h('h4', {}, `Offered ${formatTime(f.seen)}`),
      h('pre', { class: 'checkpoint', 'data-test': 'fork-offered' }, f.offered),
      h('button', { type: 'button', 'data-test': 'fork-download', onclick: download }, 'Download both'),
    );
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
