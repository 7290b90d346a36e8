// What every view of the page shares: who is logged in, the arrangement, the findings
// and posture received so far, what is selected, and which moment is shown (live, or a
// past time on the timeline). Views subscribe to the topics they draw.
import type { Api } from './api/client.ts';
import type { ArrangementActor, ArrangementView, Me, RuleView } from './api/types.ts';
import { localized } from './i18n/localized.ts';
import { Signing } from './keys/signing.ts';
import { colorMap } from './map/colors.ts';
import { FindingsStore, type Occurrence } from './state/findings.ts';
import { PostureStore } from './state/posture.ts';

export type Topic = 'findings' | 'posture' | 'time' | 'selection';

export class App {
  readonly base: string;
  readonly actors: Map<string, ArrangementActor>;
  readonly rules: Map<string, RuleView>;
  readonly colors: { actors: Map<string, string>; zones: Map<string, string>; lines: Map<string, string> };
  readonly findings = new FindingsStore();
  readonly posture = new PostureStore();
  /** who signs what the page sends: this device's key, or the server for the actor */
  readonly signing: Signing;
  /** null: live; otherwise the moment shown, ms */
  viewTime: number | null = null;
  selected: Occurrence | null = null;
  /** whether this server offers GET …/posture (null until asked) */
  postureAvailable: boolean | null = null;
  connection: { status: string; detail?: string } = { status: 'connecting' };
  private readonly listeners = new Map<Topic, Set<() => void>>();

  constructor(
    readonly api: Api,
    readonly me: Me,
    readonly arrangement: ArrangementView,
  ) {
    this.base = `/api/arrangements/${encodeURIComponent(me.arrangement)}`;
    this.actors = new Map(arrangement.actors.map((a) => [a.id, a]));
    this.rules = new Map(arrangement.rules.map((r) => [r.id, r]));
    this.signing = new Signing(api, this.base, me.arrangement, me.id, () => this.actors.get(me.id)?.keys ?? []);
    this.colors = {
      actors: colorMap(
        arrangement.actors.map((a) => a.id),
        'actor',
      ),
      zones: colorMap(
        arrangement.zones.features.map((f) => f.properties.id),
        'zone',
      ),
      lines: colorMap(
        arrangement.lines.features.map((f) => f.properties.id),
        'line',
      ),
    };
  }

  on(topic: Topic, fn: () => void): void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(fn);
  }

  emit(topic: Topic): void {
    for (const fn of this.listeners.get(topic) ?? []) fn();
  }

  actorName(id: string | undefined): string {
    if (!id) return '—';
    const a = this.actors.get(id);
    return localized(a?.names ?? a?.name) || id;
  }

  zoneName(id: string | undefined): string {
    if (!id) return '—';
    return localized(this.arrangement.zones.features.find((f) => f.properties.id === id)?.properties.name) || id;
  }

  setViewTime(t: number | null): void {
    this.viewTime = t;
    this.emit('time');
  }

  select(o: Occurrence | null): void {
    this.selected = o;
    this.emit('selection');
  }
}
