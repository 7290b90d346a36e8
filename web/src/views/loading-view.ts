// What the page is still loading, said in words ("Loading the arrangement, the record,
// map data…"), instead of one "Loading…" for everything: each load is tracked by name
// and leaves the list when it settles, and the line hides when nothing is left.
import { h } from '../dom.ts';
import { formatList, t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';

export type LoadingWhat = Extract<MessageKey, `loading.${string}`>;

export class LoadingView {
  readonly el: HTMLElement;
  private readonly pending = new Map<LoadingWhat, number>();

  constructor(el?: HTMLElement) {
    this.el = el ?? h('p', { class: 'loading', role: 'status', 'data-test': 'loading' });
    this.draw();
  }

  /** Shows `what` as loading until `p` settles; returns `p`. */
  track<T>(what: LoadingWhat, p: Promise<T>): Promise<T> {
    this.pending.set(what, (this.pending.get(what) ?? 0) + 1);
    this.draw();
    const done = () => {
      const n = (this.pending.get(what) ?? 1) - 1;
      if (n <= 0) this.pending.delete(what);
      else this.pending.set(what, n);
      this.draw();
    };
    p.then(done, done);
    return p;
  }

  /** what is still loading, in the order it began */
  get items(): LoadingWhat[] {
    return [...this.pending.keys()];
  }

  private draw(): void {
    const items = this.items;
    this.el.hidden = items.length === 0;
    this.el.dataset.loading = items.join(' ');
    this.el.textContent = items.length ? t('loading.what', { what: formatList(items.map((k) => t(k))) }) : '';
  }
}
