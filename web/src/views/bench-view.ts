// The mediator's bench as pictures (GET …/talks/bench; docs/analytics.md): per numeric
// issue, a number line with each party's position and walk-away point and the zone of
// possible agreement shaded (or the gap marked); the frontier with the disagreement, Nash
// and Kalai–Smorodinsky points; the forecast, stakeholders on a line sized by weight with
// the weighted median, the weighted mean and the expected-utility outcome. The numbers are
// the server's analysis (`detente analyze`'s); only the drawing is done here. Built and
// fetched only for a reader the policy allows (mayReadBench): nothing of the bench exists
// on any other page.
import type { App } from '../app.ts';
import type { BenchAnalysis, BenchIssue, BenchModel, BenchResponse, BenchStakeholder, Forecast, Zopa } from '../api/types.ts';
import { compileCurve } from '../../../src/analyze/expr.ts';
import { convexHull } from '../../../src/analyze/polygon.ts';
import { clear, h } from '../dom.ts';
import { domainOf, linear, num, type Scale, ticks } from './bench-scale.ts';
import { mayAct } from '../../../src/policy/policy.ts';
import { dir, formatNumber, t } from '../i18n/i18n.ts';
import { actionForm, FormProblem, field, showError } from './forms.ts';

const COLOURS = {
  axis: '#555',
  zopa: '#3a9d5d',
  gap: '#c0392b',
  parties: ['#1f5fa8', '#b8650c', '#6a3d9a', '#2a8c8c', '#8c2a5e'],
  feasible: '#cfe3f5',
  nash: '#c0392b',
  ks: '#6a3d9a',
  d: '#333',
  median: '#c0392b',
  mean: '#1f5fa8',
  outcome: '#3a9d5d',
  stakeholder: '#7f8c8d',
};

const NS = 'http://www.w3.org/2000/svg';
type SvgAttrs = Record<string, string | number | undefined>;

function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: SvgAttrs = {}, ...children: (SVGElement | string | null)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null) el.append(c);
  return el;
}

/** An SVG picture with its numbers in words (title and desc), for screen readers and as a tooltip. */
function picture(width: number, height: number, test: string, title: string, desc: string, ...children: (SVGElement | null)[]): SVGSVGElement {
  const id = `bench-${Math.random().toString(36).slice(2, 9)}`;
  return s(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-labelledby': `${id}-t ${id}-d`,
      'data-test': test,
      class: 'bench-svg',
      // The picture is a number line, left to right in every language; only its labels follow the reader (label()).
      direction: 'ltr',
      style: 'max-width: 100%; height: auto; font: 11px sans-serif',
    },
    s('title', { id: `${id}-t` }, title),
    s('desc', { id: `${id}-d` }, desc),
    ...children,
  );
}

/** A number in the reader's digits and separators (the geometry keeps the raw numbers). */
const fmt = (v: number, digits = 2): string => formatNumber(v, { maximumFractionDigits: digits });

/**
 * A label in the reader's direction. The drawing itself never mirrors (numbers grow to the
 * right in every language), and SVG reads `text-anchor` against the text's direction, so
 * `anchor` is given as on the left-to-right drawing ("start": the text runs rightward from
 * x) and turned round for a right-to-left reader, so that the label keeps its side of its mark.
 */
function label(x: number, y: number, text: string, attrs: SvgAttrs = {}): SVGTextElement {
  const rtl = dir() === 'rtl';
  const anchor = String(attrs['text-anchor'] ?? 'middle');
  const turned = rtl && anchor !== 'middle' ? (anchor === 'start' ? 'end' : 'start') : anchor;
  return s('text', { x, y, fill: COLOURS.axis, ...attrs, 'text-anchor': turned, direction: rtl ? 'rtl' : 'ltr' }, text);
}

/** A horizontal axis at `y` with round ticks. */
function axis(x: Scale, y: number): SVGGElement {
  const g = s('g', { 'data-test': 'axis' }, s('line', { x1: x.range[0], x2: x.range[1], y1: y, y2: y, stroke: COLOURS.axis }));
  for (const v of ticks(x.domain)) g.append(s('line', { x1: x(v), x2: x(v), y1: y, y2: y + 4, stroke: COLOURS.axis }), label(x(v), y + 15, fmt(v)));
  return g;
}

function table(head: string[], rows: (string | number)[][], test: string): HTMLElement {
  return h(
    'table',
    { class: 'bench-table', 'data-test': test },
    h(
      'tr',
      {},
      head.map((c) => h('th', {}, c)),
    ),
    rows.map((r) =>
      h(
        'tr',
        {},
        r.map((c) => h('td', {}, typeof c === 'number' ? fmt(c, 3) : c)),
      ),
    ),
  );
}

const W = 560;
const MARGIN = 36;

/** One numeric issue: parties' positions and walk-away points, the ZOPA shaded or the gap marked. */
export function issuePicture(issue: BenchIssue, zopa: Zopa, name: (id: string) => string): HTMLElement {
  const parties = Object.entries(issue.parties);
  const values = parties.flatMap(([, p]) => [p.position, p.reservation]);
  const x = linear(domainOf(values), [MARGIN, W - MARGIN]);
  const rowH = 26;
  const top = 30;
  const axisY = top + parties.length * rowH + 10;
  const height = axisY + 26;
  const words: string[] = [];
  const marks: SVGElement[] = [];
  if ('empty' in zopa) {
    const lo = Math.min(...parties.filter(([, p]) => p.direction === 'less').map(([, p]) => p.reservation));
    const hi = Math.max(...parties.filter(([, p]) => p.direction === 'more').map(([, p]) => p.reservation));
    marks.push(
      s('rect', {
        x: x(lo),
        y: top - 18,
        width: Math.max(1, x(hi) - x(lo)),
        height: axisY - top + 18,
        fill: COLOURS.gap,
        'fill-opacity': 0.15,
        stroke: COLOURS.gap,
        'stroke-dasharray': '4 3',
        'data-test': 'gap-band',
        'data-from': lo,
        'data-to': hi,
      }),
      label((x(lo) + x(hi)) / 2, top - 6, t('bench.gapAt', { gap: fmt(zopa.gap) }), { fill: COLOURS.gap, 'font-weight': 'bold' }),
    );
    words.push(t('bench.gapWords', { issue: issue.id, gap: fmt(zopa.gap) }));
  } else {
    const from = zopa.from ?? x.domain[0];
    const to = zopa.to ?? x.domain[1];
    marks.push(
      s('rect', {
        x: x(from),
        y: top - 18,
        width: Math.max(2, x(to) - x(from)),
        height: axisY - top + 18,
        fill: COLOURS.zopa,
        'fill-opacity': 0.25,
        'data-test': 'zopa-band',
        'data-from': from,
        'data-to': to,
      }),
      label((x(from) + x(to)) / 2, top - 6, t('bench.zopaAt', { from: fmt(from), to: fmt(to) }), { fill: COLOURS.zopa, 'font-weight': 'bold' }),
    );
    words.push(
      t('bench.zopaWords', {
        issue: issue.id,
        from: zopa.from === null ? t('bench.unbounded') : fmt(zopa.from),
        to: zopa.to === null ? t('bench.unbounded') : fmt(zopa.to),
      }),
    );
  }
  parties.forEach(([id, p], i) => {
    const y = top + i * rowH + rowH / 2;
    const colour = COLOURS.parties[i % COLOURS.parties.length];
    words.push(
      t(p.direction === 'more' ? 'bench.partyWordsMore' : 'bench.partyWordsLess', {
        party: name(id),
        position: fmt(p.position),
        reservation: fmt(p.reservation),
      }),
    );
    marks.push(
      s('line', { x1: x(p.reservation), x2: x(p.position), y1: y, y2: y, stroke: colour, 'stroke-width': 2 }),
      s('circle', { cx: x(p.position), cy: y, r: 6, fill: colour, 'data-test': 'position', 'data-party': id, 'data-value': p.position }),
      s('rect', {
        x: x(p.reservation) - 2,
        y: y - 8,
        width: 4,
        height: 16,
        fill: colour,
        'data-test': 'reservation',
        'data-party': id,
        'data-value': p.reservation,
      }),
      label(x(p.position), y - 9, `${name(id)} ${fmt(p.position)}`, { fill: colour }),
      label(x(p.reservation), y + 18, t('bench.reservationAt', { value: fmt(p.reservation) }), { fill: colour, 'font-size': 10 }),
    );
  });
  const svg = picture(W, height, 'bench-issue', issue.id, words.join(' '), ...marks, axis(x, axisY));
  svg.setAttribute('data-issue', issue.id);
  svg.setAttribute('data-domain', x.domain.join(' '));
  svg.setAttribute('data-range', x.range.join(' '));
  const rows = parties.flatMap(([id, p]) => [
    [t(p.direction === 'more' ? 'bench.wantsMore' : 'bench.wantsLess', { party: name(id) }), t('bench.position'), p.position],
    ['', t('bench.reservation'), p.reservation],
  ]);
  rows.push(
    'empty' in zopa
      ? [t('bench.gap'), '', zopa.gap]
      : [t('bench.zopa'), '', `${zopa.from === null ? '−∞' : fmt(zopa.from)} – ${zopa.to === null ? '∞' : fmt(zopa.to)}`],
  );
  return h(
    'div',
    { class: 'bench-item', 'data-test': 'bench-issue-item' },
    h('h5', {}, h('code', {}, issue.id)),
    svg,
    table([t('bench.party'), '', t('bench.value')], rows, 'bench-issue-table'),
  );
}

/** The feasible set (hull of the outcomes, or the region under the curve), with d, Nash and KS. */
export function frontierPicture(frontier: NonNullable<BenchModel['frontier']>, analysis: BenchAnalysis): HTMLElement | null {
  if (!analysis.nash || !analysis.kalai_smorodinsky) return null;
  const d = frontier.disagreement;
  const nash = analysis.nash.u;
  const ks = analysis.kalai_smorodinsky.u;
  const size = 320;
  const pad = 40;
  let outline: [number, number][] = [];
  let dots: [number, number][] = [];
  if (frontier.points) {
    dots = frontier.points;
    outline = convexHull([...frontier.points, d]);
  } else if (frontier.curve) {
    const f = compileCurve(frontier.curve);
    const curve: [number, number][] = [];
    for (let i = 0; i <= 200; i++) {
      const u1 = i / 200;
      const u2 = f(u1);
      if (Number.isFinite(u2)) curve.push([u1, u2]);
    }
    const floor = Math.min(0, d[1], ...curve.map((p) => p[1]));
    if (curve.length) outline = [[curve[0][0], floor], ...curve, [curve[curve.length - 1][0], floor]];
  }
  const all = [...outline, d, nash, ks];
  const xs = domainOf(
    all.map((p) => p[0]),
    [0, 1],
  );
  const ys = domainOf(
    all.map((p) => p[1]),
    [0, 1],
  );
  const x = linear(xs, [pad, size - 12]);
  const y = linear(ys, [size - pad, 12]);
  const pt = (p: [number, number]) => `${num(x(p[0]), 1)},${num(y(p[1]), 1)}`;
  const point = (p: [number, number], colour: string, text: string, test: string, dy: number) =>
    s(
      'g',
      { 'data-test': test, 'data-u1': p[0], 'data-u2': p[1] },
      s('circle', { cx: x(p[0]), cy: y(p[1]), r: 5, fill: colour, stroke: '#fff' }),
      label(x(p[0]) + 8, y(p[1]) + dy, `${text} ${uv(p)}`, { fill: colour, 'text-anchor': 'start', 'font-weight': 'bold' }),
    );
  const yAxis = s('g', {}, s('line', { x1: pad, x2: pad, y1: y.range[0], y2: y.range[1], stroke: COLOURS.axis }));
  for (const v of ticks(ys, 4))
    yAxis.append(s('line', { x1: pad - 4, x2: pad, y1: y(v), y2: y(v), stroke: COLOURS.axis }), label(pad - 8, y(v) + 4, fmt(v), { 'text-anchor': 'end' }));
  const xAxis = s('g', {}, s('line', { x1: x.range[0], x2: x.range[1], y1: size - pad, y2: size - pad, stroke: COLOURS.axis }));
  for (const v of ticks(xs, 4))
    xAxis.append(s('line', { x1: x(v), x2: x(v), y1: size - pad, y2: size - pad + 4, stroke: COLOURS.axis }), label(x(v), size - pad + 15, fmt(v)));
  const uv = (p: [number, number]) => t('bench.pair', { u1: fmt(p[0]), u2: fmt(p[1]) });
  const svg = picture(
    size,
    size,
    'bench-frontier',
    t('bench.frontier'),
    t('bench.frontierWords', { d: uv(d), nash: uv(nash), ks: uv(ks) }),
    outline.length ? s('polygon', { points: outline.map(pt).join(' '), fill: COLOURS.feasible, stroke: '#7fa7cf', 'data-test': 'feasible' }) : null,
    ...dots.map((p) => s('circle', { cx: x(p[0]), cy: y(p[1]), r: 2.5, fill: '#7fa7cf' })),
    s('line', { x1: x(d[0]), y1: y(d[1]), x2: x(ks[0]), y2: y(ks[1]), stroke: COLOURS.ks, 'stroke-dasharray': '3 3' }),
    xAxis,
    yAxis,
    label((x.range[0] + x.range[1]) / 2, size - 6, 'u₁'),
    label(12, (y.range[0] + y.range[1]) / 2, 'u₂'),
    point(d, COLOURS.d, t('bench.disagreement'), 'disagreement', 14),
    point(nash, COLOURS.nash, t('bench.nash'), 'nash', -8),
    point(ks, COLOURS.ks, t('bench.ksShort'), 'kalai-smorodinsky', 14),
  );
  return h(
    'div',
    { class: 'bench-item', 'data-test': 'bench-frontier-item' },
    svg,
    table(
      ['', 'u₁', 'u₂'],
      [
        [t('bench.disagreement'), d[0], d[1]],
        [t('bench.nash'), nash[0], nash[1]],
        [t('bench.ks'), ks[0], ks[1]],
      ],
      'bench-frontier-table',
    ),
  );
}

/** One issue's forecast: stakeholders on the line sized by weight; median, mean and outcome marked. */
export function forecastPicture(fc: Forecast, stakeholders: BenchStakeholder[], name: (id: string) => string): HTMLElement {
  const on = stakeholders.filter((st) => fc.issue in st.position);
  const weight = (st: BenchStakeholder) => st.capability * (st.salience[fc.issue] ?? 0);
  const most = Math.max(...on.map(weight)) || 1;
  const x = linear(
    domainOf(
      on.map((st) => st.position[fc.issue]),
      [0, 100],
    ),
    [MARGIN, W - MARGIN],
  );
  const lineY = 86;
  const marks: SVGElement[] = [];
  // Stakeholders at one position stack upward, so none hides another.
  const stacked = new Map<number, number>();
  for (const st of [...on].sort((a, b) => weight(b) - weight(a))) {
    const v = st.position[fc.issue];
    const r = 4 + 14 * Math.sqrt(weight(st) / most);
    const lift = stacked.get(v) ?? 0;
    stacked.set(v, lift + 2 * r + 2);
    const cy = lineY - r - lift;
    marks.push(
      s(
        'g',
        { 'data-test': 'stakeholder', 'data-id': st.id, 'data-value': v, 'data-weight': weight(st) },
        s('circle', { cx: x(v), cy, r, fill: COLOURS.stakeholder, 'fill-opacity': 0.55, stroke: COLOURS.axis }),
        // The id inside the mark (names would run into each other); the names are in the table and the description.
        label(x(v), cy + 4, st.id, { fill: '#000' }),
      ),
    );
  }
  const marker = (v: number, colour: string, text: string, test: string, row: number) =>
    s(
      'g',
      { 'data-test': test, 'data-value': v },
      s('line', {
        x1: x(v),
        x2: x(v),
        y1: lineY - 70,
        y2: lineY + 8 + row * 14,
        stroke: colour,
        'stroke-width': 2,
        'stroke-dasharray': test === 'outcome' ? '' : '5 3',
      }),
      label(x(v), lineY + 18 + row * 14, `${text} ${fmt(v)}`, { fill: colour, 'font-weight': 'bold' }),
    );
  const svg = picture(
    W,
    lineY + 70,
    'bench-forecast',
    fc.issue,
    [
      t(fc.settled ? 'bench.forecastWords' : 'bench.forecastUnsettled', {
        issue: fc.issue,
        median: fmt(fc.median_voter),
        mean: fmt(fc.weighted_mean),
        outcome: fmt(fc.outcome),
        n: fc.rounds.length,
      }),
      t('bench.stakeholderList', {
        list: on
          .map((st) => t('bench.stakeholderWords', { stakeholder: name(st.id), position: fmt(st.position[fc.issue]), weight: fmt(weight(st)) }))
          .join(t('bench.stakeholderSeparator')),
      }),
    ].join(' '),
    ...marks,
    s('g', { transform: `translate(0, ${lineY + 42})` }, axis(x, 0)),
    s('line', { x1: x.range[0], x2: x.range[1], y1: lineY, y2: lineY, stroke: COLOURS.axis }),
    marker(fc.median_voter, COLOURS.median, t('bench.median'), 'median', 0),
    marker(fc.weighted_mean, COLOURS.mean, t('bench.mean'), 'mean', 1),
    marker(fc.outcome, COLOURS.outcome, t('bench.outcome'), 'outcome', 2),
  );
  svg.setAttribute('data-issue', fc.issue);
  return h(
    'div',
    { class: 'bench-item', 'data-test': 'bench-forecast-item' },
    h('h5', {}, h('code', {}, fc.issue), ` · ${t(fc.settled ? 'bench.rounds' : 'bench.roundsUnsettled', { n: fc.rounds.length })}`),
    svg,
    table(
      [t('bench.stakeholder'), t('bench.position'), t('bench.weight')],
      [
        ...on.map((st) => [name(st.id), st.position[fc.issue], weight(st)]),
        [t('bench.median'), fc.median_voter, ''],
        [t('bench.mean'), fc.weighted_mean, ''],
        [t('bench.outcome'), fc.outcome, ''],
      ],
      'bench-forecast-table',
    ),
  );
}

/** The whole bench for one model and its analysis. */
export function benchPictures(model: BenchModel, analysis: BenchAnalysis, name: (id: string) => string): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (model.issues && analysis.zopa) {
    const zopas = new Map(analysis.zopa.map((z) => [z.issue, z]));
    out.push(
      h('h4', {}, t('bench.issues')),
      ...model.issues.flatMap((i) => {
        const z = zopas.get(i.id);
        return z ? [issuePicture(i, z, name)] : [];
      }),
    );
  }
  if (model.frontier) {
    const f = frontierPicture(model.frontier, analysis);
    if (f) out.push(h('h4', {}, t('bench.frontier')), f);
  }
  if (model.stakeholders && analysis.forecast) {
    const st = model.stakeholders;
    out.push(h('h4', {}, t('bench.forecast')), ...analysis.forecast.map((fc) => forecastPicture(fc, st, name)));
  }
  return out;
}

/** The bench panel of the talks view: fetched again when the talks change (a new round may bring a new model). */
export class BenchPanel {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private shown = '';
  /** the model box of the mediator's form, when this reader may write the bench */
  private readonly text: HTMLTextAreaElement | undefined;
  /** whether the mediator has typed in the box: a new model from the server must not replace that */
  private edited = false;

  constructor(private readonly app: App) {
    this.body = h('div', {}, h('p', { class: 'muted' }, t('bench.loading')));
    this.el = h(
      'section',
      { class: 'bench', 'data-test': 'bench' },
      h('h3', {}, t('bench.title')),
      h('p', { class: 'muted' }, t('bench.confidential')),
      this.body,
    );
    if (mayAct(app.me, 'write-bench').ok) {
      // JSON reads left to right on every page.
      this.text = h('textarea', { rows: 10, spellcheck: 'false', dir: 'ltr', 'data-test': 'bench-model', class: 'mono' });
      this.text.addEventListener('input', () => (this.edited = true));
      this.el.append(this.form(this.text));
    }
  }

  private form(text: HTMLTextAreaElement): HTMLFormElement {
    return actionForm({
      title: t('bench.putTitle'),
      test: 'bench-put',
      fields: [field(t('bench.putField'), text, t('bench.putHint'))],
      submit: t('bench.put'),
      run: async () => {
        let body: unknown;
        try {
          body = JSON.parse(text.value);
        } catch (e) {
          throw new FormProblem(t('bench.notJson', { error: (e as Error).message }));
        }
        return this.app.api.json(`${this.app.base}/talks/bench`, { method: 'PUT', body });
      },
      done: () => t('bench.putDone'),
      after: () => {
        this.edited = false;
        void this.load();
      },
    });
  }

  async load(): Promise<void> {
    try {
      const bench = await this.app.api.json<BenchResponse>(`${this.app.base}/talks/bench`);
      // Redrawn only when the model changed: a talks event must not reset what the mediator is reading.
      const key = JSON.stringify(bench.model);
      if (key === this.shown) return;
      this.shown = key;
      if (this.text && !this.edited) this.text.value = bench.model ? JSON.stringify(bench.model, null, 2) : '';
      if (!bench.model || !bench.analysis) clear(this.body, h('p', { class: 'muted', 'data-test': 'bench-none' }, t('bench.none')));
      else
        clear(
          this.body,
          benchPictures(bench.model, bench.analysis, (id) => this.app.actorName(id)),
        );
    } catch (e) {
      this.shown = '';
      const status = h('div', {});
      showError(status, e);
      clear(this.body, h('p', {}, t('bench.cannot')), status);
    }
  }
}
