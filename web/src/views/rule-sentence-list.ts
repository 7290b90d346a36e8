// A clause's rules as sentences for its readers, each pointing at its zone on the map:
// hovering a sentence highlights the zone, a click fits the map to it. Zones the draft
// itself adds (its sections) are not on the map yet; they are traced from the draft.
import type { ArrangementView } from '../api/types.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { ruleSentence, ruleZones } from './rule-sentence.ts';

/** Shows zones on the map (ids of zones in force or of the draft's own), fitting to them when asked; [] clears. */
export type Highlight = (zones: string[], fit: boolean) => void;

export function ruleSentenceList(rules: unknown[], a: ArrangementView, draftZones: unknown[], highlight: Highlight | undefined): HTMLElement {
  const names = {
    ...a,
    zones: {
      ...a.zones,
      // The draft's zones by the names the draft gives them.
      features: [
        ...a.zones.features,
        ...draftZones
          .map((z) => z as { id?: unknown; name?: unknown })
          .filter((z) => typeof z.id === 'string' && !a.zones.features.some((f) => f.properties.id === z.id))
          .map((z) => ({ type: 'Feature', properties: { id: z.id, name: typeof z.name === 'string' ? z.name : z.id } }) as (typeof a.zones.features)[number]),
      ],
    },
  };
  let chosen: string[] = [];
  return h(
    'ul',
    { class: 'rule-sentences', 'data-test': 'rule-sentences' },
    rules.map((r) => {
      const zones = ruleZones(r);
      const li = h(
        'li',
        { 'data-test': 'rule-sentence', 'data-zones': zones.join(' '), title: zones.length ? t('draft.showZone') : null, tabindex: zones.length ? 0 : null },
        ruleSentence(r, names),
      );
      if (zones.length && highlight) {
        li.addEventListener('mouseenter', () => highlight(zones, false));
        li.addEventListener('focus', () => highlight(zones, false));
        // Leaving a sentence goes back to the one clicked, if any.
        li.addEventListener('mouseleave', () => highlight(chosen, false));
        li.addEventListener('click', () => {
          for (const x of li.parentElement?.querySelectorAll('.highlit') ?? []) x.classList.remove('highlit');
          li.classList.add('highlit');
          chosen = zones;
          highlight(zones, true);
        });
      }
      return li;
    }),
  );
}
