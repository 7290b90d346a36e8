// The arrangement document (docs/spec/arrangement.md) checked in full: shape,
// references between its parts, and the rules' own constraints. Every problem
// is collected; the caller fails with all of them at once.
import type { MultiPolygonCoords, Position, Side } from '../geo/types.ts';
import { AUDIENCE_WORDS, type AudienceRule, CONTENT_KINDS, type ContentKind } from '../policy/disclosure.ts';
import { parseCosignatureKey } from '../record/cosignature.ts';
import { parseVerifierKey } from '../record/keys.ts';
import { validateEvidence } from './evidence.ts';
import { readGeometry, type GeoFileReader } from './geojson.ts';
import { escalation } from './escalation.ts';
import { localizedText } from './localized-text.ts';
import { readPlaces } from './places.ts';
import type { IssueList, PathPart } from './issues.ts';
import { bool, duration, id, idSet, list, num, obj, ref, refs, str, time, uniqueIds, type Obj } from './read.ts';
import {
  ROLES,
  type Actor,
  type ArrangementDoc,
  type Asset,
  type Comparison,
  type EscalationStep,
  type Line,
  type ReportsOptions,
  type Role,
  type Translations,
  type Rule,
  type Where,
  type WitnessKey,
  type Witnesses,
  type Zone,
} from './types.ts';

const SIDES: Side[] = ['east', 'west', 'north', 'south', 'left', 'right', 'both'];
const RULE_KINDS = ['presence', 'limit', 'notice', 'separation', 'commitment', 'inspection'] as const;
const LABELS = ['name', 'note', 'approximate'];

type Labels = { name?: string; names?: Translations; note?: string; notes?: Translations; approximate?: boolean };

function labels(o: Obj, path: PathPart[], out: IssueList): Labels {
  const r: Labels = {};
  const name = o.name === undefined ? undefined : localizedText(o.name, [...path, 'name'], out);
  if (name) Object.assign(r, { name: name.text }, name.all ? { names: name.all } : {});
  const note = o.note === undefined ? undefined : localizedText(o.note, [...path, 'note'], out);
  if (note) Object.assign(r, { note: note.text }, note.all ? { notes: note.all } : {});
  if (o.approximate !== undefined) r.approximate = bool(o.approximate, [...path, 'approximate'], out);
  return r;
}

function actors(v: unknown, out: IssueList): Actor[] {
  const l = list(v, ['actors'], out, { nonEmpty: true }) ?? [];
  uniqueIds(l, ['actors'], out);
  const res: Actor[] = [];
  l.forEach((a, i) => {
    const p = ['actors', i];
    const o = obj(a, p, out, ['id', 'name', 'role'], ['keys', 'recovery']);
    if (!o) return;
    const aid = id(o.id, [...p, 'id'], out);
    const name = localizedText(o.name, [...p, 'name'], out);
    const role = str(o.role, [...p, 'role'], out);
    const keys = o.keys === undefined ? undefined : (list(o.keys, [...p, 'keys'], out) ?? []).map((k, j) => actorKey(k, [...p, 'keys', j], aid, out));
    const recovery = o.recovery === undefined ? undefined : actorKey(o.recovery, [...p, 'recovery'], aid, out);
    if (recovery !== undefined && keys?.includes(recovery)) out.add([...p, 'recovery'], 'the recovery key must not also be a working key (it is kept offline)');
    if (role !== undefined && !(ROLES as readonly string[]).includes(role))
      out.add([...p, 'role'], `unknown role "${role}" (expected one of: ${ROLES.join(', ')})`);
    else if (aid !== undefined && name !== undefined && role !== undefined)
      res.push({
        id: aid,
        name: name.text,
        ...(name.all ? { names: name.all } : {}),
        role: role as Role,
        ...(keys ? { keys: keys.filter((k): k is string => k !== undefined) } : {}),
        ...(recovery !== undefined ? { recovery } : {}),
      });
  });
  return res;
}

/** An actor's verifier key: a valid Ed25519 signed-note key named with the actor's id. */
function actorKey(v: unknown, path: PathPart[], actor: string | undefined, out: IssueList): string | undefined {
  const s = str(v, path, out);
  if (s === undefined) return undefined;
  try {
    const k = parseVerifierKey(s);
    if (actor !== undefined && k.name !== actor) {
      out.add(path, `the key is named "${k.name}"; an actor's keys are named with its id "${actor}"`);
      return undefined;
    }
    return k.vkey;
  } catch (e) {
    out.add(path, (e as Error).message);
    return undefined;
  }
}

function witnesses(v: unknown, out: IssueList, actorIds: ReadonlySet<string>): Witnesses | undefined {
  if (v === undefined) return undefined;
  const o = obj(v, ['witnesses'], out, ['quorum', 'keys']);
  if (!o) return undefined;
  const l = list(o.keys, ['witnesses', 'keys'], out, { nonEmpty: true }) ?? [];
  const keys: WitnessKey[] = [];
  const names = new Set<string>();
  l.forEach((w, i) => {
    const p = ['witnesses', 'keys', i];
    const wo = obj(w, p, out, ['name', 'key'], ['actor']);
    if (!wo) return;
    const name = str(wo.name, [...p, 'name'], out);
    const keyText = str(wo.key, [...p, 'key'], out);
    const actor = wo.actor === undefined ? undefined : ref(wo.actor, [...p, 'actor'], out, actorIds, 'actor');
    if (name !== undefined && names.has(name)) out.add([...p, 'name'], `witness "${name}" is named twice`);
    if (name !== undefined) names.add(name);
    if (name === undefined || keyText === undefined) return;
    try {
      const k = parseCosignatureKey(keyText);
      if (k.name !== name) out.add([...p, 'key'], `the key is named "${k.name}", the witness "${name}"`);
      else keys.push({ name, key: k.vkey, ...(actor !== undefined ? { actor } : {}) });
    } catch (e) {
      out.add([...p, 'key'], (e as Error).message);
    }
  });
  const quorum = num(o.quorum, ['witnesses', 'quorum'], out, { min: 1, integer: true });
  if (quorum !== undefined && l.length > 0 && quorum > l.length)
    out.add(['witnesses', 'quorum'], `a quorum of ${quorum} from ${l.length} witness(es) can never be met`);
  return quorum === undefined ? undefined : { quorum, keys };
}

/** `disclosure`: per content kind, who reads it in full and who coarsened; anyone else sees only its commitment. */
function disclosure(v: unknown, out: IssueList, actorIds: ReadonlySet<string>): Partial<Record<ContentKind, AudienceRule>> | undefined {
  if (v === undefined) return undefined;
  const o = obj(v, ['disclosure'], out, [], [...CONTENT_KINDS]);
  if (!o) return undefined;
  const res: Partial<Record<ContentKind, AudienceRule>> = {};
  for (const kind of CONTENT_KINDS) {
    if (o[kind] === undefined) continue;
    const p = ['disclosure', kind];
    const ko = obj(o[kind], p, out, ['full'], ['coarse']);
    if (!ko) continue;
    const full = audience(ko.full, [...p, 'full'], out, actorIds);
    let coarse: AudienceRule['coarse'];
    if (ko.coarse !== undefined) {
      const c = obj(ko.coarse, [...p, 'coarse'], out, ['to', 'position_m', 'time_s']);
      if (c) {
        const to = audience(c.to, [...p, 'coarse', 'to'], out, actorIds);
        const position_m = num(c.position_m, [...p, 'coarse', 'position_m'], out, { min: 1 });
        const time_s = num(c.time_s, [...p, 'coarse', 'time_s'], out, { min: 1, integer: true });
        if (to && position_m !== undefined && time_s !== undefined) coarse = { to, position_m, time_s };
      }
    }
    if (full) res[kind] = { full, ...(coarse ? { coarse } : {}) };
  }
  return res;
}

/** An audience: roles, actor ids and the words author, subject, notifier, concerned. */
function audience(v: unknown, path: PathPart[], out: IssueList, actorIds: ReadonlySet<string>): string[] | undefined {
  const l = list(v, path, out);
  if (!l) return undefined;
  const res: string[] = [];
  l.forEach((x, i) => {
    const s = str(x, [...path, i], out);
    if (s === undefined) return;
    if ((ROLES as readonly string[]).includes(s) || (AUDIENCE_WORDS as readonly string[]).includes(s) || actorIds.has(s)) res.push(s);
    else out.add([...path, i], `"${s}" is neither a role (${ROLES.join(', ')}), an actor id, nor one of ${AUDIENCE_WORDS.join(', ')}`);
  });
  return res;
}

function assets(v: unknown, out: IssueList): Asset[] {
  if (v === undefined) return [];
  const l = list(v, ['assets'], out) ?? [];
  uniqueIds(l, ['assets'], out);
  const res: Asset[] = [];
  l.forEach((a, i) => {
    const p = ['assets', i];
    const o = obj(a, p, out, ['id'], ['name', 'attrs']);
    if (!o) return;
    const aid = id(o.id, [...p, 'id'], out);
    const asset: Asset = { id: aid ?? '' };
    if (o.name !== undefined) asset.name = str(o.name, [...p, 'name'], out);
    if (o.attrs !== undefined) {
      const attrs = list(o.attrs, [...p, 'attrs'], out);
      asset.attrs = (attrs ?? []).map((x, j) => str(x, [...p, 'attrs', j], out) ?? '');
    }
    if (aid !== undefined) res.push(asset);
  });
  return res;
}

function lines(v: unknown, out: IssueList, readGeoFile: GeoFileReader): Line[] {
  if (v === undefined) return [];
  const l = list(v, ['lines'], out) ?? [];
  uniqueIds(l, ['lines'], out);
  const res: Line[] = [];
  l.forEach((x, i) => {
    const p = ['lines', i];
    const o = obj(x, p, out, ['id', 'geometry'], LABELS);
    if (!o) return;
    const lid = id(o.id, [...p, 'id'], out);
    const paths = readGeometry(o.geometry, [...p, 'geometry'], out, 'line', readGeoFile) as Position[][] | undefined;
    if (lid !== undefined && paths) res.push({ id: lid, ...labels(o, p, out), paths });
  });
  return res;
}

function range(v: unknown, path: PathPart[], out: IssueList, what: string, min: number): [number, number] | undefined {
  const l = list(v, path, out);
  if (!l) return undefined;
  if (l.length !== 2) {
    out.add(path, `expected [from, to] ${what}, found ${l.length} values`);
    return undefined;
  }
  const a = num(l[0], [...path, 0], out, { min });
  const b = num(l[1], [...path, 1], out, { min });
  if (a === undefined || b === undefined) return undefined;
  if (a > b) {
    out.add(path, `range [${a}, ${b}] runs backwards`);
    return undefined;
  }
  return [a, b];
}

function zones(v: unknown, out: IssueList, readGeoFile: GeoFileReader, lineIds: Set<string>): Zone[] {
  const l = list(v ?? [], ['zones'], out) ?? [];
  const zoneIds = uniqueIds(l, ['zones'], out);
  const res: Zone[] = [];
  l.forEach((x, i) => {
    const p = ['zones', i];
    const o = obj(x, p, out, ['id'], ['geometry', 'band', 'minus', 'altitude_m', ...LABELS]);
    if (!o) return;
    const zid = id(o.id, [...p, 'id'], out);
    let shape: Zone['shape'] | undefined;
    if ((o.geometry === undefined) === (o.band === undefined)) {
      out.add(p, o.geometry === undefined ? 'a zone needs either geometry or band' : 'a zone has either geometry or band, not both');
    } else if (o.geometry !== undefined) {
      const mp = readGeometry(o.geometry, [...p, 'geometry'], out, 'area', readGeoFile) as MultiPolygonCoords | undefined;
      if (mp) shape = { kind: 'polygon', coordinates: mp };
    } else {
      const bp = [...p, 'band'];
      const b = obj(o.band, bp, out, ['of', 'km', 'side']);
      if (b) {
        const of = str(b.of, [...bp, 'of'], out);
        const km = range(b.km, [...bp, 'km'], out, 'kilometres', 0);
        const side = str(b.side, [...bp, 'side'], out);
        let ofKind: 'line' | 'zone' | undefined;
        if (of !== undefined) {
          if (lineIds.has(of) && zoneIds.has(of)) out.add([...bp, 'of'], `"${of}" names both a line and a zone; rename one`);
          else if (lineIds.has(of)) ofKind = 'line';
          else if (zoneIds.has(of)) ofKind = of === zid ? undefined : 'zone';
          if (of === zid) out.add([...bp, 'of'], 'a band cannot be drawn from its own zone');
          else if (!ofKind) out.add([...bp, 'of'], `unknown line or zone "${of}"`);
        }
        if (side !== undefined && !SIDES.includes(side as Side)) out.add([...bp, 'side'], `unknown side "${side}" (expected one of: ${SIDES.join(', ')})`);
        else if (of !== undefined && ofKind && km && side !== undefined) shape = { kind: 'band', of, ofKind, km, side: side as Side };
      }
    }
    const minus = o.minus === undefined ? [] : refs(o.minus, [...p, 'minus'], out, zoneIds, 'zone');
    minus?.forEach((m, j) => m === zid && out.add([...p, 'minus', j], 'a zone cannot subtract itself'));
    const altitude = o.altitude_m === undefined ? undefined : range(o.altitude_m, [...p, 'altitude_m'], out, 'metres', -1000);
    if (zid !== undefined && shape && minus) res.push({ id: zid, ...labels(o, p, out), shape, minus, ...(altitude ? { altitude } : {}) });
  });
  // A band along a zone's edge needs that edge: the zone must be drawn, not itself a band.
  res.forEach((z) => {
    if (z.shape.kind !== 'band' || z.shape.ofKind !== 'zone') return;
    const target = res.find((t) => t.id === (z.shape as { of: string }).of);
    if (target?.shape.kind === 'band')
      out.add(
        ['zones', l.findIndex((x) => (x as Obj)?.id === z.id), 'band', 'of'],
        `"${target.id}" is itself a band; a band can follow a line or a drawn zone's edge`,
      );
  });
  // A zone built from another (minus, or a band along its edge) must not lead back to itself.
  const deps = new Map(res.map((z) => [z.id, [...z.minus, ...(z.shape.kind === 'band' && z.shape.ofKind === 'zone' ? [z.shape.of] : [])]]));
  const cyc = findCycle(deps);
  if (cyc) out.add(['zones', res.findIndex((z) => z.id === cyc[0])], `zones are defined in a circle: ${cyc.join(' → ')}`);
  return res;
}

/** A cycle in a dependency graph, as the list of ids around it, or undefined. */
function findCycle(deps: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 2) return undefined;
    if (state.get(n) === 1) return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 1);
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of deps.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

function where(v: unknown, path: PathPart[], out: IssueList, asset: Asset | undefined): Where | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    out.add(path, 'expected an object of attribute → { gt, gte, lt, lte, eq }');
    return undefined;
  }
  const o = v as Obj;
  const res: Where = {};
  for (const [k, c] of Object.entries(o)) {
    if (asset?.attrs && !asset.attrs.includes(k)) out.add([...path, k], `asset "${asset.id}" has no attribute "${k}" (declared: ${asset.attrs.join(', ')})`);
    const co = obj(c, [...path, k], out, [], ['gt', 'gte', 'lt', 'lte', 'eq']);
    if (!co) continue;
    const cmp: Comparison = {};
    for (const op of ['gt', 'gte', 'lt', 'lte', 'eq'] as const) {
      if (co[op] !== undefined) {
        const n = num(co[op], [...path, k, op], out);
        if (n !== undefined) cmp[op] = n;
      }
    }
    if (Object.keys(co).length === 0) out.add([...path, k], 'give at least one of gt, gte, lt, lte, eq');
    res[k] = cmp;
  }
  return res;
}

interface Known {
  actors: Map<string, Actor>;
  actorIds: Set<string>;
  assets: Map<string, Asset>;
  assetIds: Set<string>;
  zoneIds: Set<string>;
  /** the arrangement-wide ladder, for notice rules with ack and none of their own */
  escalation?: EscalationStep[];
}

const RULE_KEYS: Record<(typeof RULE_KINDS)[number], [string[], string[]]> = {
  presence: [['zone'], ['only', 'forbid', 'categories', 'actors']],
  limit: [['zone', 'actor', 'asset', 'max'], ['where']],
  notice: [
    ['actor', 'zone', 'lead'],
    ['ack', 'escalation'],
  ],
  separation: [
    ['between', 'km'],
    ['m', 'lookahead'],
  ],
  commitment: [['actor'], ['due', 'after', 'within', 'present', 'absent']],
  inspection: [['actor', 'zones', 'every'], ['challenge']],
};

function rule(x: unknown, p: PathPart[], out: IssueList, k: Known): Rule | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    obj(x, p, out, []);
    return undefined;
  }
  const kind = str((x as Obj).kind, [...p, 'kind'], out);
  if (kind !== undefined && !(RULE_KINDS as readonly string[]).includes(kind)) {
    out.add([...p, 'kind'], `unknown rule kind "${kind}" (expected one of: ${RULE_KINDS.join(', ')})`);
  }
  if (kind === undefined || !(RULE_KINDS as readonly string[]).includes(kind)) {
    id((x as Obj).id, [...p, 'id'], out);
    return undefined;
  }
  // Keys are checked against this kind, so a key that belongs to another kind is named as unknown.
  const [req, opt] = RULE_KEYS[kind as (typeof RULE_KINDS)[number]];
  const before = out.issues.length;
  const o = obj(x, p, out, ['id', 'kind', ...req], ['cite', 'text', ...opt]);
  const rid = id((x as Obj).id, [...p, 'id'], out);
  if (!o || rid === undefined) return undefined;
  const base = {
    id: rid,
    ...(o.cite !== undefined ? { cite: str(o.cite, [...p, 'cite'], out) } : {}),
    // A rule's text may be written in several languages; the engine keeps the plain one (clients read the file's).
    ...(o.text !== undefined ? { text: localizedText(o.text, [...p, 'text'], out)?.text } : {}),
  };
  const at = (key: string) => [...p, key];
  const zone = (key = 'zone') => ref(o[key], at(key), out, k.zoneIds, 'zone');
  const actor = (key = 'actor') => ref(o[key], at(key), out, k.actorIds, 'actor');
  const done = <T extends Rule>(r: T): T | undefined => (out.issues.length === before ? r : undefined);

  switch (kind) {
    case 'presence': {
      if (o.only !== undefined && o.forbid !== undefined) out.add(p, 'give only or forbid, not both');
      if (o.only === undefined && o.forbid === undefined && o.categories === undefined) out.add(p, 'a presence rule needs only, forbid or categories');
      const r = {
        ...base,
        kind,
        zone: zone() ?? '',
        ...(o.only !== undefined ? { only: refs(o.only, at('only'), out, k.actorIds, 'actor') } : {}),
        ...(o.forbid !== undefined ? { forbid: refs(o.forbid, at('forbid'), out, k.actorIds, 'actor', { nonEmpty: true }) } : {}),
        ...(o.actors !== undefined ? { actors: refs(o.actors, at('actors'), out, k.actorIds, 'actor', { nonEmpty: true }) } : {}),
        ...(o.categories !== undefined
          ? { categories: (list(o.categories, at('categories'), out, { nonEmpty: true }) ?? []).map((c, j) => str(c, [...p, 'categories', j], out) ?? '') }
          : {}),
      };
      return done(r as Rule & { kind: 'presence' });
    }
    case 'limit': {
      const asset = ref(o.asset, at('asset'), out, k.assetIds, 'asset');
      return done({
        ...base,
        kind,
        zone: zone() ?? '',
        actor: actor() ?? '',
        asset: asset ?? '',
        max: num(o.max, at('max'), out, { min: 0 }) ?? 0,
        ...(o.where !== undefined ? { where: where(o.where, at('where'), out, asset ? k.assets.get(asset) : undefined) } : {}),
      });
    }
    case 'notice': {
      // The ladder climbs from the ack deadline: without one there is nothing to climb from.
      if (o.escalation !== undefined && o.ack === undefined) out.add(at('escalation'), 'an escalation needs ack (the ladder starts at the ack deadline)');
      const ladder = o.escalation !== undefined ? escalation(o.escalation, at('escalation'), out, k.actors) : o.ack !== undefined ? k.escalation : undefined;
      return done({
        ...base,
        kind,
        actor: actor() ?? '',
        zone: zone() ?? '',
        leadMs: duration(o.lead, at('lead'), out) ?? 0,
        ...(o.ack !== undefined ? { ackMs: duration(o.ack, at('ack'), out, { positive: true }) } : {}),
        ...(ladder !== undefined ? { escalation: ladder } : {}),
      });
    }
    case 'separation': {
      const b = refs(o.between, at('between'), out, k.actorIds, 'actor');
      if (b && b.length !== 2) out.add(at('between'), `expected two actors, found ${b.length}`);
      else if (b && b[0] === b[1]) out.add(at('between'), 'name two different actors');
      return done({
        ...base,
        kind,
        between: (b ?? ['', '']) as [string, string],
        km: num(o.km, at('km'), out, { positive: true }) ?? 0,
        // Without a vertical minimum, any altitude difference still counts as a conflict.
        m: o.m === undefined ? Infinity : (num(o.m, at('m'), out, { positive: true }) ?? 0),
        lookaheadMs: o.lookahead === undefined ? 0 : (duration(o.lookahead, at('lookahead'), out) ?? 0),
      });
    }
    case 'commitment': {
      if ((o.present === undefined) === (o.absent === undefined)) out.add(p, 'a commitment needs exactly one of present or absent');
      if (o.due !== undefined && o.within !== undefined) out.add(p, 'give due or within, not both');
      if (o.due === undefined && o.within === undefined) out.add(p, 'a commitment needs due (a date) or within (a duration)');
      const cond = (key: 'present' | 'absent') => {
        const c = obj(o[key], at(key), out, ['zone'], key === 'present' ? ['asset', 'min'] : ['asset']);
        if (!c) return undefined;
        return {
          zone: ref(c.zone, [...p, key, 'zone'], out, k.zoneIds, 'zone') ?? '',
          ...(c.asset !== undefined ? { asset: ref(c.asset, [...p, key, 'asset'], out, k.assetIds, 'asset') } : {}),
          ...(key === 'present' ? { min: c.min === undefined ? 1 : (num(c.min, [...p, key, 'min'], out, { min: 0 }) ?? 1) } : {}),
        };
      };
      return done({
        ...base,
        kind,
        actor: actor() ?? '',
        ...(o.due !== undefined ? { due: time(o.due, at('due'), out) } : {}),
        ...(o.after !== undefined ? { after: str(o.after, at('after'), out) } : {}),
        ...(o.within !== undefined ? { withinMs: duration(o.within, at('within'), out, { positive: true }) } : {}),
        ...(o.present !== undefined ? { present: cond('present') as { zone: string; min: number } } : {}),
        ...(o.absent !== undefined ? { absent: cond('absent') } : {}),
      });
    }
    default: {
      const a = actor();
      // Inspection is the observers' duty; a party cannot inspect itself or its adversary.
      if (a !== undefined && k.actors.get(a)?.role !== 'observer')
        out.add(at('actor'), `inspection is an observer's duty; "${a}" is a ${k.actors.get(a)?.role}`);
      const ch = o.challenge === undefined ? undefined : obj(o.challenge, at('challenge'), out, ['within']);
      const within = ch === undefined ? undefined : duration(ch.within, [...p, 'challenge', 'within'], out, { positive: true });
      return done({
        ...base,
        kind: 'inspection',
        actor: a ?? '',
        zones: refs(o.zones, at('zones'), out, k.zoneIds, 'zone', { nonEmpty: true }) ?? [],
        everyMs: duration(o.every, at('every'), out, { positive: true }) ?? 0,
        ...(within !== undefined ? { challengeWithinMs: within } : {}),
      });
    }
  }
}

function rules(v: unknown, out: IssueList, k: Known): Rule[] {
  const l = list(v ?? [], ['rules'], out) ?? [];
  const ruleIds = uniqueIds(l, ['rules'], out);
  const res: Rule[] = [];
  l.forEach((x, i) => {
    const r = rule(x, ['rules', i], out, k);
    if (r) res.push(r);
  });
  // `after` must name a commitment, and the chain of afters must end.
  const kinds = new Map(l.map((x) => [(x as Obj)?.id as string, (x as Obj)?.kind]));
  res.forEach((r) => {
    if (r.kind !== 'commitment' || r.after === undefined) return;
    const p = ['rules', l.findIndex((x) => (x as Obj)?.id === r.id), 'after'];
    if (!ruleIds.has(r.after)) out.add(p, `unknown rule "${r.after}"`);
    else if (kinds.get(r.after) !== 'commitment') out.add(p, `"${r.after}" is a ${String(kinds.get(r.after))} rule; after must name a commitment`);
    else if (r.after === r.id) out.add(p, 'a commitment cannot come after itself');
  });
  const deps = new Map(res.flatMap((r) => (r.kind === 'commitment' && r.after ? [[r.id, [r.after]] as [string, string[]]] : [])));
  const cyc = findCycle(deps);
  if (cyc && cyc.length > 2)
    out.add(['rules', l.findIndex((x) => (x as Obj)?.id === cyc[0]), 'after'], `commitments wait on each other in a circle: ${cyc.join(' → ')}`);
  return res;
}

/** The joint commission (docs/disputes.md): actors who may resolve disputes as the mediator does, each named once. */
function commission(v: unknown, out: IssueList, actors: ReadonlyMap<string, Actor>): string[] | undefined {
  if (v === undefined) return undefined;
  const l = list(v, ['commission'], out, { nonEmpty: true });
  if (!l) return undefined;
  const known = new Set(actors.keys());
  const ids: string[] = [];
  l.forEach((x, i) => {
    const a = ref(x, ['commission', i], out, known, 'actor');
    if (a !== undefined && ids.includes(a)) out.add(['commission', i], `"${a}" is named twice`);
    else if (a !== undefined) ids.push(a);
  });
  return ids;
}

/**
 * Who reads the mediator's bench beside the mediator (docs/analytics.md): guarantors only,
 * each named once. A party or observer never may; the bench holds reservation values.
 */
function benchReaders(v: unknown, out: IssueList, actors: ReadonlyMap<string, Actor>): string[] | undefined {
  if (v === undefined) return undefined;
  const l = list(v, ['bench'], out, { nonEmpty: true });
  if (!l) return undefined;
  const known = new Set(actors.keys());
  const ids: string[] = [];
  l.forEach((x, i) => {
    const a = ref(x, ['bench', i], out, known, 'actor');
    if (a === undefined) return;
    const role = actors.get(a)?.role;
    if (ids.includes(a)) out.add(['bench', i], `"${a}" is named twice`);
    else if (role !== 'guarantor')
      out.add(['bench', i], `only a guarantor may read the mediator's bench beside the mediator; "${a}" is ${role === 'observer' ? 'an' : 'a'} ${role}`);
    else ids.push(a);
  });
  return ids;
}

/** How reports are received: `future_tolerance`, how far past the receiving server's clock a report may be dated. */
function reportsOptions(v: unknown, out: IssueList): ReportsOptions | undefined {
  if (v === undefined) return undefined;
  const o = obj(v, ['reports'], out, [], ['future_tolerance']);
  if (!o) return undefined;
  const tol = o.future_tolerance === undefined ? undefined : duration(o.future_tolerance, ['reports', 'future_tolerance'], out);
  return tol !== undefined ? { futureToleranceMs: tol } : {};
}

/** Checks a parsed document. Issues go to `out`; the result is complete only when `out` stays empty. */
export function validateDocument(doc: unknown, out: IssueList, readGeoFile: GeoFileReader): ArrangementDoc | undefined {
  const o = obj(
    doc,
    [],
    out,
    ['detente', 'id', 'title', 'actors'],
    [
      'venue',
      'announce_by',
      'reports',
      'witnesses',
      'disclosure',
      'evidence',
      'commission',
      'bench',
      'escalation',
      'assets',
      'lines',
      'zones',
      'rules',
      'places',
    ],
  );
  if (!o) return undefined;
  if (o.detente === undefined) out.add(['detente'], 'missing (the format version: detente: 1)');
  else if (o.detente !== 1) out.add(['detente'], `unsupported format version ${JSON.stringify(o.detente)} (this is version 1)`);
  const aid = id(o.id, ['id'], out);
  const titled = localizedText(o.title, ['title'], out);
  const title = titled?.text;
  const venued = o.venue === undefined ? undefined : localizedText(o.venue, ['venue'], out);
  const venue = venued?.text;
  const places = o.places === undefined ? undefined : readPlaces(o.places, out, readGeoFile);
  const announceBy = o.announce_by === undefined ? undefined : time(o.announce_by, ['announce_by'], out);
  const rep = reportsOptions(o.reports, out);
  const acts = actors(o.actors, out);
  const wit = witnesses(o.witnesses, out, idSet(o.actors));
  const dis = disclosure(o.disclosure, out, idSet(o.actors));
  const as = assets(o.assets, out);
  const ls = lines(o.lines, out, readGeoFile);
  const lineIds = idSet(o.lines);
  const zs = zones(o.zones, out, readGeoFile, lineIds);
  const zoneIds = idSet(o.zones);
  const known: Known = {
    actors: new Map(acts.map((a) => [a.id, a])),
    actorIds: idSet(o.actors),
    assets: new Map(as.map((a) => [a.id, a])),
    assetIds: idSet(o.assets),
    zoneIds,
  };
  const ladder = o.escalation === undefined ? undefined : escalation(o.escalation, ['escalation'], out, known.actors);
  if (ladder !== undefined) known.escalation = ladder;
  const com = commission(o.commission, out, known.actors);
  const bench = benchReaders(o.bench, out, known.actors);
  const rs = rules(o.rules, out, known);
  const ev = validateEvidence(o.evidence, out, idSet(o.rules));
  if (out.issues.length || aid === undefined || title === undefined) return undefined;
  return {
    detente: 1,
    id: aid,
    title,
    ...(titled?.all ? { titles: titled.all } : {}),
    ...(venue !== undefined ? { venue } : {}),
    ...(venued?.all ? { venues: venued.all } : {}),
    ...(announceBy !== undefined ? { announceBy } : {}),
    ...(rep !== undefined ? { reports: rep } : {}),
    ...(wit !== undefined ? { witnesses: wit } : {}),
    ...(dis !== undefined ? { disclosure: dis } : {}),
    ...(ev !== undefined ? { evidence: ev } : {}),
    actors: acts,
    ...(com !== undefined ? { commission: com } : {}),
    ...(bench !== undefined ? { bench } : {}),
    assets: as,
    lines: ls,
    zones: zs,
    rules: rs,
    ...(places !== undefined ? { places } : {}),
  };
}
