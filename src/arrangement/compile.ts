// A checked arrangement made ready for the engine: zones compiled for lookups,
// actors and rules indexed by id.
import { type DisclosurePolicy, resolveDisclosure } from '../policy/disclosure.ts';
import type { Actor, ArrangementDoc, Rule } from './types.ts';
import { ZoneSet } from './zones.ts';

export interface Arrangement extends ArrangementDoc {
  readonly zoneSet: ZoneSet;
  readonly actorById: ReadonlyMap<string, Actor>;
  readonly ruleById: ReadonlyMap<string, Rule>;
  /** who reads which monitoring content: the document's `disclosure`, its gaps filled with the defaults */
  readonly policy: DisclosurePolicy;
}

export function compileArrangement(doc: ArrangementDoc): Arrangement {
  return {
    ...doc,
    zoneSet: new ZoneSet(doc.zones, doc.lines),
    actorById: new Map(doc.actors.map((a) => [a.id, a])),
    ruleById: new Map(doc.rules.map((r) => [r.id, r])),
    policy: resolveDisclosure(doc.disclosure),
  };
}
