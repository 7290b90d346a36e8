// A finding's title in words, in the reader's language: "Syria's sy-armd-coy in the
// Widened buffer…" rather than the monitor's "sy in sy-strip". Built from the finding's
// kind and facts, with the names the arrangement gives (localized by the caller's view).
import type { FindingFacts } from '../../../src/monitor/findings.ts';
import { formatList, t } from '../i18n/i18n.ts';

/** The names a title needs, in the reader's language (App gives them from the arrangement). */
export interface TitleNames {
  actorName(id: string): string;
  zoneName(id: string): string;
  /** a unit's own name, when something knows one (else the unit's id is shown) */
  unitName?(id: string): string | undefined;
  /** the actor a unit belongs to, when known */
  actorOfUnit?(id: string): string | undefined;
  /** the zone the finding's rule is about, when the finding carries none (commitments) */
  ruleZone?(rule: string): string | undefined;
  /** an asset's name (else its id) */
  assetName?(id: string): string | undefined;
}

type Facts = Pick<
  FindingFacts,
  'finding' | 'kind' | 'rule' | 'actor' | 'zone' | 'asset' | 'observed' | 'max' | 'units' | 'notification' | 'missing' | 'cpa_km' | 'requested_by'
>;

export function findingTitle(f: Facts, names: TitleNames): string {
  const actor = f.actor ? names.actorName(f.actor) : '';
  const zoneId = f.zone ?? names.ruleZone?.(f.rule);
  const zone = zoneId ? names.zoneName(zoneId) : '';
  const unit = (id: string | undefined): string => {
    if (!id) return actor;
    const name = names.unitName?.(id) ?? id;
    const owner = f.actor ?? names.actorOfUnit?.(id);
    return owner ? t('map.title.unitOf', { unit: name, actor: names.actorName(owner) }) : name;
  };
  const [a, b] = f.units ?? [];
  switch (f.finding) {
    case 'violation':
      if (f.kind === 'limit' && f.asset)
        return t('map.title.overLimit', { actor, asset: names.assetName?.(f.asset) ?? f.asset, zone, observed: f.observed ?? 0, max: f.max ?? 0 });
      return t('map.title.presence', { who: unit(a), zone });
    case 'unnotified':
      return t('map.title.unnotified', { who: unit(a), zone });
    case 'late-notice':
      return t('map.title.lateNotice', { who: unit(a) || actor, zone });
    case 'unacknowledged':
      return f.missing?.length
        ? t('map.title.unacknowledgedBy', { actor, zone, missing: formatList(f.missing.map((m) => names.actorName(m))) })
        : t('map.title.unacknowledged', { actor, zone });
    case 'separation':
      return t('map.title.separation', { a: unit(a), b: unit(b), km: f.cpa_km ?? 0 });
    case 'loss':
      return t('map.title.loss', { a: unit(a), b: unit(b) });
    case 'commitment':
      return zone ? t('map.title.commitment', { actor, zone }) : t('map.title.commitmentNoZone', { actor });
    case 'inspection-overdue':
      return t('map.title.inspectionOverdue', { actor, zone });
    case 'challenge':
      return t('map.title.challenge', { zone, party: f.requested_by ? names.actorName(f.requested_by) : actor });
    case 'late-inspection':
      return t('map.title.lateInspection', { actor, zone });
    case 'access-refused':
      return t('map.title.accessRefused', { actor, zone });
  }
}
