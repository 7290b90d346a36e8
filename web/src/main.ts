// The page: log in with the token from the link, load what this actor may see, draw
// it, and follow the event stream. Every view shows only what the server returned for
// this token; nothing is fetched on behalf of another role.
import './style.css';
import { Api, ApiError } from './api/client.ts';
import { followEvents } from './api/events.ts';
import { chosen } from './api/arrangement-choice.ts';
import { findingsSince } from './api/findings-pages.ts';
import { forgetToken, saveToken, takeToken } from './api/session.ts';
import type { ArrangementView, BookedFindingView, CheckpointEvent, Me, PostureChange, PostureView } from './api/types.ts';
import { ACTION_RULES } from '../../src/policy/policy.ts';
import { App } from './app.ts';
import { clear, formatNumber, formatTime, h } from './dom.ts';
import { installHooks } from './hooks.ts';
import { t } from './i18n/i18n.ts';
import { localized } from './i18n/localized.ts';
import { applyReaderLanguage } from './i18n/page.ts';
import { alertFeatures, positionsAt, unitFeatures, unitsInBreach } from './map-frame.ts';
import { affiliation } from './map/symbols.ts';
import { unitsTestHooks } from './map/units-layer-hooks.ts';
import { webglSupport } from './map/webgl.ts';
import { installTrails } from './map/trails.ts';
import { replayHooks } from './state/history-hooks.ts';
import { arrangementPicker, arrangementSwitch } from './views/arrangement-picker.ts';
import { FindingsView } from './views/findings-view.ts';
import { KeysView } from './views/keys-view.ts';
import { reportForm } from './views/report-form.ts';
import { LegendView, zoneSummary } from './views/legend-view.ts';
import { LoadingView } from './views/loading-view.ts';
import { localeMenu } from './views/locale-menu.ts';
import { RecordView } from './views/record-view.ts';
import { TalksView } from './views/talks-view.ts';
import { TimelineView } from './views/timeline-view.ts';
import type { MapView } from './map/map-view.ts';
import { smallestFirst } from './map/zones-here.ts';

applyReaderLanguage();
const root = document.getElementById('app')!;
// Said before any request: what the page is loading, in the reader's language.
const loading = new LoadingView(root.querySelector<HTMLElement>('.loading') ?? undefined);
let unitCount = () => 0;
let findingsShown = () => 0;
const hooks = installHooks({ unitCount: () => unitCount(), findingsShown: () => findingsShown() });

// Those who may read the talks see the talks panel: the policy's answer, not a list of our own.
const TALKS_ROLES = new Set<string>(ACTION_RULES['read-talks'].roles);
const REPORT_ROLES = new Set<string>(ACTION_RULES.report.roles);

function loginScreen(problem?: string): void {
  const input = h('input', { type: 'password', placeholder: 'dt_…', autocomplete: 'off', 'aria-label': t('login.token') });
  // The sentence is translated whole; the commands in it stay as typed, in code.
  const [before, , between, , after, , end] = t('login.intro').split(/\{(demo|serve|token)\}/);
  const code = (x: string) => h('code', {}, x);
  clear(
    root,
    h(
      'div',
      { class: 'login' },
      h('div', { class: 'login-head' }, h('h1', {}, t('app.name')), localeMenu()),
      problem ? h('p', { class: 'error', 'data-test': 'login-problem' }, problem) : null,
      h('p', {}, before, code('detente demo'), between, code('detente serve'), after, code('?token=…'), end),
      h(
        'form',
        {
          onsubmit: (e: Event) => {
            e.preventDefault();
            if (!input.value.trim()) return;
            saveToken(input.value.trim());
            window.location.reload();
          },
        },
        input,
        h('button', { type: 'submit' }, t('login.submit')),
      ),
    ),
  );
  hooks.ready = true;
}

async function loadFindings(app: App, asked: Promise<BookedFindingView[]>): Promise<void> {
  for (const b of await asked) app.findings.add(b);
  app.emit('findings');
}

/** After the browser has painted what is in the document now; a tab in the background paints no frames, so not longer than a moment. */
const painted = () =>
  new Promise<void>((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 250);
  });

async function loadPosture(app: App, map: MapView | undefined): Promise<void> {
  try {
    const p = await app.api.json<PostureView>(`${app.base}/posture`);
    app.posture.reset(p);
    app.postureAvailable = true;
  } catch (e) {
    // A server without the posture route answers 404: the map then shows no units.
    if (e instanceof ApiError && e.status === 404) app.postureAvailable = false;
    else throw e;
  }
  app.emit('posture');
  map?.invalidate();
}

function zonePopup(app: App, ids: string[]): Node {
  return h(
    'div',
    { class: 'popup' },
    ids.length > 1 ? h('div', { class: 'muted small', 'data-test': 'zones-here' }, t('map.zonesHere', { n: ids.length })) : null,
    smallestFirst(app.arrangement, ids).map((id) => {
      const z = app.arrangement.zones.features.find((f) => f.properties.id === id)?.properties;
      if (!z) return null;
      return h(
        'div',
        { class: 'popup-zone' },
        h('strong', {}, localized(z.name)),
        ` · ${t('popup.area', { area: formatNumber(z.area_km2) })}`,
        h('div', { class: 'muted small' }, zoneSummary(app, z)),
        z.note ? h('div', { class: 'muted small' }, localized(z.note)) : null,
      );
    }),
  );
}

function unitPopup(app: App, unit: string): Node {
  const u = app.posture.units.get(unit);
  const where = positionsAt(app)(unit);
  if (!u) return h('div', { class: 'popup' }, h('strong', {}, unit));
  const holdings = Object.entries(u.holdings);
  return h(
    'div',
    { class: 'popup' },
    h('strong', {}, u.unit),
    ` · ${app.actorName(u.actor)}`,
    u.category ? h('div', {}, t('popup.category', { category: u.category })) : null,
    holdings.length
      ? h(
          'ul',
          { class: 'holdings' },
          holdings.map(([asset, n]) => h('li', {}, t('popup.holding', { asset, n }))),
        )
      : null,
    u.altitude_m !== undefined ? h('div', {}, t('popup.altitude', { m: Math.round(u.altitude_m) })) : null,
    u.velocity ? h('div', {}, t('popup.speed', { kmh: Math.round(Math.hypot(u.velocity.east_mps, u.velocity.north_mps) * 3.6) })) : null,
    where
      ? h(
          'div',
          { class: 'muted small' },
          t('popup.where', {
            lat: formatNumber(where[1], { minimumFractionDigits: 4, maximumFractionDigits: 4 }),
            lon: formatNumber(where[0], { minimumFractionDigits: 4, maximumFractionDigits: 4 }),
          }),
        )
      : null,
    h(
      'div',
      { class: 'muted small' },
      app.viewTime === null ? t('popup.reported', { time: formatTime(u.time) }) : t('popup.holdingsAsOf', { time: formatTime(u.time) }),
    ),
  );
}

/** The zone a finding is about: its own, or its rule's. */
function zonesOf(app: App, b: BookedFindingView): string[] {
  if (b.zone) return [b.zone];
  const rule = app.rules.get(b.rule);
  const zone = rule?.zone ?? (rule?.present as { zone?: string } | undefined)?.zone ?? (rule?.absent as { zone?: string } | undefined)?.zone;
  return typeof zone === 'string' ? [zone] : [];
}

async function boot(): Promise<void> {
  const token = takeToken();
  if (!token) return loginScreen();
  const api = new Api(token);
  let loggedOut = false;
  api.onUnauthorized = () => {
    if (loggedOut) return;
    loggedOut = true;
    forgetToken();
    loginScreen(t('login.rejected'));
  };

  let me: Me;
  let arrangement: ArrangementView;
  let findingsAsked: Promise<BookedFindingView[]>;
  try {
    const caller = await loading.track('loading.me', api.json<Me>('/api/me'));
    const here = chosen(caller);
    if (!here) {
      clear(root, arrangementPicker(caller.arrangements ?? []));
      hooks.ready = true;
      return;
    }
    me = here;
    const base = `/api/arrangements/${encodeURIComponent(me.arrangement)}`;
    // Asked for beside the arrangement, not after the map: the list is shown first.
    findingsAsked = findingsSince(api, base, 0);
    findingsAsked.catch(() => undefined);
    arrangement = await loading.track('loading.arrangement', api.json<ArrangementView>(base));
  } catch (e) {
    if (!loggedOut)
      clear(root, h('div', { class: 'login' }, h('h1', {}, t('app.name')), h('p', { class: 'error' }, t('boot.unreadable', { error: (e as Error).message }))));
    hooks.ready = true;
    return;
  }
  const app = new App(api, me, arrangement);
  await loading.track('loading.keys', app.signing.load());
  document.title = t('page.title', { arrangement: localized(arrangement.title), actor: localized(me.name ?? me.id) });

  // Layout.
  const signingBadge = h('span', { class: 'signing-badge', 'data-test': 'signing-badge' });
  const drawBadge = () => {
    const browser = app.signing.mode === 'browser';
    signingBadge.textContent = browser ? t('signing.browser') : t('signing.custodial');
    signingBadge.dataset.mode = app.signing.mode;
    signingBadge.className = `signing-badge ${browser ? 'browser' : 'custodial'}`;
  };
  app.signing.onChange(drawBadge);
  drawBadge();
  const status = h('span', { class: 'connection', 'data-test': 'connection' }, t('connection.connecting'));
  const mapBox = h('div', { class: 'map', id: 'map' });
  const findingsView = new FindingsView(app);
  const recordView = new RecordView(app);
  const talksView = TALKS_ROLES.has(me.role) ? new TalksView(app) : undefined;
  const timeline = new TimelineView(app);
  const legendHolder = h('div', {});
  const tabs: { id: string; label: string; el: HTMLElement }[] = [
    { id: 'findings', label: t('tab.findings'), el: findingsView.el },
    ...(talksView ? [{ id: 'talks', label: t('tab.talks'), el: talksView.el }] : []),
    { id: 'record', label: t('tab.record'), el: recordView.el },
    { id: 'keys', label: t('tab.keys'), el: new KeysView(app).el },
    ...(REPORT_ROLES.has(me.role) ? [{ id: 'report', label: t('tab.report'), el: h('section', { class: 'report-view' }, reportForm(app)) }] : []),
    { id: 'key', label: t('tab.key'), el: legendHolder },
  ];
  const panels = h('div', { class: 'panels' });
  const tabBar = h('nav', { class: 'tabs', role: 'tablist' });
  const show = (id: string) => {
    for (const t of tabs) t.el.hidden = t.id !== id;
    for (const b of tabBar.querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.tab === id));
  };
  for (const t of tabs) {
    tabBar.append(h('button', { type: 'button', role: 'tab', 'data-tab': t.id, 'data-test': `tab-${t.id}`, onclick: () => show(t.id) }, t.label));
    panels.append(t.el);
  }
  show('findings');
  findingsShown = () => findingsView.count;

  clear(
    root,
    h(
      'header',
      { class: 'top' },
      h('h1', {}, t('app.name')),
      h(
        'span',
        { class: 'title' },
        localized(arrangement.title),
        arrangement.venue ? h('span', { class: 'muted' }, ` · ${localized(arrangement.venue)}`) : null,
      ),
      h('span', { class: 'who', 'data-test': 'who' }, t('header.who', { name: localized(me.name ?? me.id), role: t(`role.${me.role}`) })),
      arrangementSwitch(me.arrangements ?? [], me.arrangement),
      signingBadge,
      status,
      loading.el,
      localeMenu(),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () => {
            forgetToken();
            window.location.reload();
          },
        },
        t('header.logout'),
      ),
    ),
    h('main', { class: 'layout' }, h('div', { class: 'map-column' }, mapBox, timeline.el), h('aside', { class: 'side' }, tabBar, panels)),
  );

  // The findings list first: it needs no map, and the map's start holds the page's thread
  // for seconds. Shown, then painted, before the map begins.
  const findingsLoaded = loading.track('loading.findings', loadFindings(app, findingsAsked));
  await findingsLoaded.then(painted, () => undefined);
  if (findingsView.count > 0) hooks.findingsPaintedAt = performance.now();

  // The map, if this browser can draw it.
  let map: MapView | undefined;
  const gl = webglSupport();
  if (!gl.ok) {
    hooks.webgl = false;
    mapBox.append(h('div', { class: 'no-webgl', 'data-test': 'no-webgl', role: 'alert' }, t(gl.reason)));
  } else {
    try {
      // Loaded only where WebGL is there to use it.
      const { MapView } = await import('./map/map-view.ts');
      const roles = new Map([...app.actors].map(([id, a]) => [id, a.role as string]));
      map = new MapView(mapBox, arrangement, app.colors, {
        features: (layer) => (layer === 'units' ? unitFeatures(app) : alertFeatures(app)),
        describeUnit: (u) => unitPopup(app, u),
        describeZones: (ids) => zonePopup(app, ids),
        affiliation: (actor) => affiliation(app.me.id, actor, roles),
        unitsInBreach: () => unitsInBreach(app),
      });
      unitCount = () => map!.unitCount;
      (await import('./map/map-speaks.ts')).makeMapSpeak(map, arrangement, hooks);
      installTrails(map.map, map.loaded, app);
      talksView?.attachMap(map);
      hooks.draftShape = () => talksView?.draftShapeShown ?? false;
      hooks.project = (lon, lat) => {
        const p = map!.map.project([lon, lat]);
        const r = map!.map.getCanvas().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
      };
      hooks.units = unitsTestHooks(map);
      // Land, zones and lines: said as loading until the map has drawn its first frame.
      loading
        .track(
          'loading.map',
          map.loaded.then(() => map!.landDrawn),
        )
        .catch(() => undefined);
    } catch (e) {
      hooks.webgl = false;
      mapBox.append(h('div', { class: 'no-webgl', role: 'alert' }, t('map.cannot', { error: (e as Error).message })));
    }
  }
  if (!map) unitCount = () => app.posture.units.size;
  hooks.replay = replayHooks(app, map);
  legendHolder.append(new LegendView(app, (id) => map?.fitZone(id)).el);

  // Views follow the state.
  app.on('posture', () => app.viewTime === null && map?.invalidate('units', 'alerts'));
  app.on('findings', () => map?.invalidate('alerts'));
  app.on('time', () => map?.invalidate('units', 'alerts'));
  const highlight = (fit: boolean) => {
    const o = app.selected;
    if (!map) return;
    if (!o) return map.select([], [], false);
    const where = positionsAt(app);
    map.select(
      zonesOf(app, o.last),
      (o.last.units ?? []).map((id) => ({ id, at: where(id) })),
      fit,
    );
  };
  app.on('selection', () => highlight(true));
  app.on('time', () => highlight(false));

  // What there is so far, then what comes.
  const loads: Promise<unknown>[] = [
    findingsLoaded,
    loading.track('loading.posture', loadPosture(app, map)).catch((e) => console.warn('posture:', e)),
    loading.track('loading.record', recordView.load()),
  ];
  if (talksView) loads.push(loading.track('loading.talks', talksView.load()));
  await Promise.all(loads).catch((e) => console.warn(e));

  const drawStatus = () => {
    status.textContent = t(`connection.${app.connection.status as 'connecting' | 'live' | 'retrying' | 'stopped'}`);
    status.title = app.connection.detail ?? '';
    status.className = `connection ${app.connection.status}`;
  };
  followEvents(api, `${app.base}/events`, () => app.findings.lastSeq, {
    onOpen(reconnect) {
      if (!reconnect) return;
      // Findings are replayed from ?since; the rest is fetched afresh.
      void loadPosture(app, map).catch(() => undefined);
      void recordView.load();
      talksView?.changed();
    },
    onStatus(s, detail) {
      app.connection = { status: s, detail };
      drawStatus();
    },
    onEvent(e) {
      let data: unknown;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      switch (e.type) {
        case 'finding':
          if (app.findings.add(data as BookedFindingView)) app.emit('findings');
          break;
        case 'posture':
          app.posture.apply(data as PostureChange);
          app.emit('posture');
          break;
        case 'talks':
          talksView?.changed();
          break;
        case 'checkpoint':
          recordView.onCheckpoint(data as CheckpointEvent);
          break;
      }
    },
  });

  if (map) {
    // Ready once the map has drawn its first frame, or said it cannot.
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 20_000));
    // Ready once the land is drawn too (the first idle after the country outlines).
    const land = map.loaded.then(() => map!.landDrawn).then((n) => void (hooks.land = n));
    await Promise.race([land, timeout]).catch((e: unknown) => {
      hooks.webgl = false;
      mapBox.append(h('div', { class: 'no-webgl', role: 'alert' }, t('map.cannot', { error: (e as Error).message ?? String(e) })));
    });
  }
  hooks.ready = true;
}

void boot();
