// The record: its size and latest signed checkpoint (kept current by `checkpoint`
// events), the checkpoint this browser last verified and remembers (with who cosigned
// it, and how far it is behind the log's head), a fork when one is seen, and a button
// that checks the record here, in the browser.
import type { App } from '../app.ts';
import type { ArrangementWithWitnesses, CheckpointEvent } from '../api/types.ts';
import { clear, formatNumber, formatTime, h } from '../dom.ts';
import { t, t as tr } from '../i18n/i18n.ts';
import { localized } from '../i18n/localized.ts';
import { en, type MessageKey } from '../i18n/messages.ts';

/** `text` as nodes, its first `part` in a <strong> (a number the tests read, say): the sentence stays whole for translation. */
function withStrong(text: string, part: string, test: string): (string | HTMLElement)[] {
  const at = text.indexOf(part);
  if (at < 0) return [text, ' ', h('strong', { 'data-test': test, hidden: true }, part)];
  return [text.slice(0, at), h('strong', { 'data-test': test }, part), text.slice(at + part.length)];
}
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
    this.memory = h('div', { class: 'memory', 'data-test': 'memory' }, t('record.checking'));
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
    this.button = h('button', { type: 'button', 'data-test': 'verify', onclick: () => void this.verify() }, t('record.verify'));
    this.el = h(
      'section',
      { class: 'record-view' },
      this.fork,
      h('p', {}, t('record.entries'), this.size),
      h('h3', {}, t('record.remembered')),
      this.memory,
      h('h3', {}, t('record.latest')),
      this.note,
      h('p', { class: 'muted small' }, t('record.verifyHint')),
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
      this.note.textContent = t('record.unreadable', { error: (e as Error).message });
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
      ? h('p', { class: 'muted small', 'data-test': 'witnesses-unknown' }, t('record.witnessesUnknown'))
      : st.witnesses
        ? null
        : h('p', { class: 'muted small' }, t('record.noWitnesses'));
    if (!m) {
      clear(this.memory, st.problem ? h('p', { class: 'error', 'data-test': 'memory-problem' }, st.problem) : t('record.noneVerified'), witnessNote);
    } else {
      const names = new Map((this.app.arrangement as ArrangementWithWitnesses).witnesses?.keys.map((k) => [k.key, k]) ?? []);
      const cosigners = Object.entries(m.cosigners);
      const behind = st.logHead !== undefined ? st.logHead - m.size : undefined;
      clear(
        this.memory,
        h('p', {}, ...withStrong(t('record.verified', { n: m.size, time: formatTime(m.verified) }), formatNumber(m.size), 'remembered-size')),
        st.witnesses
          ? h(
              'p',
              { 'data-test': 'witness-lag', 'data-behind': String(behind ?? '') },
              behind === undefined ? t('record.headUnknown') : behind > 0 ? t('record.behind', { n: behind, head: st.logHead! }) : t('record.atHead'),
            )
          : null,
        cosigners.length
          ? h(
              'ul',
              { class: 'cosigners' },
              cosigners.map(([key, t]) => {
                const w = names.get(key);
                const name = w ? `${localized(w.name)}${w.actor ? ` (${this.app.actorName(w.actor)})` : ''}` : key.split('+')[0];
                return h('li', { 'data-test': 'cosigner' }, tr('record.cosigned', { name, time: formatTime(t * 1000) }));
              }),
            )
          : null,
        st.problem ? h('p', { class: 'error', 'data-test': 'memory-problem' }, t('record.notTaken', { problem: st.problem })) : null,
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
      h('h3', {}, t('record.forked')),
      h('p', {}, t('record.forkText', { why: f.why })),
      h('h4', {}, t('record.forkRemembered')),
      h('pre', { class: 'checkpoint', 'data-test': 'fork-remembered' }, f.remembered),
      h('h4', {}, t('record.forkOffered', { time: formatTime(f.seen) })),
      h('pre', { class: 'checkpoint', 'data-test': 'fork-offered' }, f.offered),
      h('button', { type: 'button', 'data-test': 'fork-download', onclick: download }, t('record.forkDownload')),
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
    this.verdict.textContent = t('record.checkingNow');
    this.verdict.className = 'verdict';
    clear(this.steps);
    try {
      // Loaded on demand: the record code and its stand-ins for node:crypto are only needed here.
      const { verifyRecord } = await import('../record/verify.ts');
      const steps = await verifyRecord(this.app.api, this.app.base, (s) => this.drawSteps(s));
      const failed = steps.some((s) => s.ok === false);
      const skipped = steps.some((s) => s.ok === null);
      this.verdict.textContent = failed ? t('record.failed') : skipped ? t('record.someSkipped') : t('record.allPassed');
      this.verdict.classList.add(failed ? 'bad' : 'good');
    } catch (e) {
      this.verdict.textContent = t('record.cannotRun', { error: (e as Error).message });
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
          h('strong', {}, Object.hasOwn(en, `step.${s.name}`) ? t(`step.${s.name}` as MessageKey) : s.name),
          ` ${s.ok === true ? t('record.stepPassed') : s.ok === false ? t('record.stepFailed') : t('record.stepSkipped')}: `,
          h('span', { class: 'detail' }, s.detail),
        ),
      ),
    );
  }
}
