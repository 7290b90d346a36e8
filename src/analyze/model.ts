// A bench model (docs/spec/analytics.md): parsed from plain data and checked field by
// field. Every problem is collected with the path of the field, so a mediator fixing a
// hand-written file sees all of them at once.
import { compileCurve, ExprError } from './expr.ts';

export type Point = [number, number];

export type FrontierInput = { disagreement: Point; points: Point[] } | { disagreement: Point; curve: string; f: (u1: number) => number };

export type Direction = 'more' | 'less';

export interface IssueInput {
  id: string;
  parties: Record<string, { position: number; reservation: number; direction: Direction }>;
}

export interface Stakeholder {
  id: string;
  position: Record<string, number>;
  salience: Record<string, number>;
  capability: number;
}

export interface Model {
  frontier?: FrontierInput;
  issues?: IssueInput[];
  stakeholders?: Stakeholder[];
}

export interface ModelProblem {
  path: string;
  reason: string;
}

export class ModelError extends Error {
  constructor(readonly problems: ModelProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export function formatProblem(p: ModelProblem): string {
  return `${p.path || '(model)'}: ${p.reason}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const key = (path: string, k: string) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? (path ? `${path}.${k}` : k) : `${path}[${JSON.stringify(k)}]`);

class Checker {
  readonly problems: ModelProblem[] = [];
  fail(path: string, reason: string): void {
    this.problems.push({ path, reason });
  }
  /** An object with only the named keys; false (and a problem per stray key) otherwise. */
  object(v: unknown, path: string, allowed: string[]): v is Record<string, unknown> {
    if (!isObject(v)) {
      this.fail(path, 'expected an object');
      return false;
    }
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.fail(key(path, k), `unknown key (known: ${allowed.join(', ')})`);
    return true;
  }
  number(v: unknown, path: string): number | undefined {
    if (v === undefined) this.fail(path, 'missing');
    else if (!isNumber(v)) this.fail(path, 'expected a number');
    else return v;
    return undefined;
  }
  id(v: unknown, path: string): string | undefined {
    if (v === undefined) this.fail(path, 'missing');
    else if (typeof v !== 'string' || v === '') this.fail(path, 'expected a non-empty string');
    else return v;
    return undefined;
  }
  point(v: unknown, path: string): Point | undefined {
    if (v === undefined) {
      this.fail(path, 'missing');
      return undefined;
    }
    if (!Array.isArray(v) || v.length !== 2) {
      this.fail(path, 'expected [u1, u2]');
      return undefined;
    }
    const a = this.number(v[0], `${path}[0]`);
    const b = this.number(v[1], `${path}[1]`);
    return a === undefined || b === undefined ? undefined : [a, b];
  }
}

function frontier(c: Checker, v: unknown, path: string): FrontierInput | undefined {
  if (!c.object(v, path, ['disagreement', 'points', 'curve'])) return undefined;
  const d = c.point(v.disagreement, `${path}.disagreement`);
  if ((v.points === undefined) === (v.curve === undefined)) {
    c.fail(path, 'expected exactly one of points, curve');
    return undefined;
  }
  if (v.curve !== undefined) {
    if (typeof v.curve !== 'string') {
      c.fail(`${path}.curve`, 'expected an expression in u1 (a string)');
      return undefined;
    }
    try {
      const f = compileCurve(v.curve);
      return d && { disagreement: d, curve: v.curve, f };
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      c.fail(`${path}.curve`, `syntax error at position ${e.position}: ${e.reason}`);
      return undefined;
    }
  }
  if (!Array.isArray(v.points) || v.points.length === 0) {
    c.fail(`${path}.points`, 'expected a non-empty list of [u1, u2]');
    return undefined;
  }
  const points = v.points.map((p, i) => c.point(p, `${path}.points[${i}]`));
  return d && points.every((p) => p !== undefined) ? { disagreement: d, points: points as Point[] } : undefined;
}

function issues(c: Checker, v: unknown, path: string): IssueInput[] | undefined {
  if (!Array.isArray(v)) {
    c.fail(path, 'expected a list of issues');
    return undefined;
  }
  const seen = new Set<string>();
  const out: IssueInput[] = [];
  v.forEach((x, i) => {
    const p = `${path}[${i}]`;
    if (!c.object(x, p, ['id', 'parties'])) return;
    const id = c.id(x.id, `${p}.id`);
    if (id !== undefined && seen.has(id)) c.fail(`${p}.id`, `duplicate issue "${id}"`);
    if (id !== undefined) seen.add(id);
    if (!isObject(x.parties) || Object.keys(x.parties).length < 2) {
      c.fail(`${p}.parties`, 'expected an object with at least two parties');
      return;
    }
    const parties: IssueInput['parties'] = {};
    for (const [name, party] of Object.entries(x.parties)) {
      const pp = key(`${p}.parties`, name);
      if (!c.object(party, pp, ['position', 'reservation', 'direction'])) continue;
      const position = c.number(party.position, `${pp}.position`);
      const reservation = c.number(party.reservation, `${pp}.reservation`);
      const direction = party.direction;
      if (direction !== 'more' && direction !== 'less') c.fail(`${pp}.direction`, direction === undefined ? 'missing' : 'expected "more" or "less"');
      else if (position !== undefined && reservation !== undefined) parties[name] = { position, reservation, direction };
    }
    if (id !== undefined) out.push({ id, parties });
  });
  return out;
}

function perIssue(c: Checker, v: unknown, path: string, check: (n: number, p: string) => void): Record<string, number> | undefined {
  if (!isObject(v)) {
    c.fail(path, v === undefined ? 'missing' : 'expected an object of issue: number');
    return undefined;
  }
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = key(path, k);
    const n = c.number(x, p);
    if (n === undefined) continue;
    check(n, p);
    out[k] = n;
  }
  return out;
}

function stakeholders(c: Checker, v: unknown, path: string): Stakeholder[] | undefined {
  if (!Array.isArray(v) || v.length === 0) {
    c.fail(path, 'expected a non-empty list of stakeholders');
    return undefined;
  }
  const seen = new Set<string>();
  const out: Stakeholder[] = [];
  v.forEach((x, i) => {
    const p = `${path}[${i}]`;
    if (!c.object(x, p, ['id', 'position', 'salience', 'capability'])) return;
    const id = c.id(x.id, `${p}.id`);
    if (id !== undefined && seen.has(id)) c.fail(`${p}.id`, `duplicate stakeholder "${id}"`);
    if (id !== undefined) seen.add(id);
    const position = perIssue(c, x.position, `${p}.position`, () => {});
    const salience = perIssue(c, x.salience, `${p}.salience`, (n, q) => {
      if (n < 0 || n > 1) c.fail(q, 'expected a salience in [0, 1]');
    });
    const capability = c.number(x.capability, `${p}.capability`);
    if (capability !== undefined && capability <= 0) c.fail(`${p}.capability`, 'expected a capability > 0');
    if (position && salience) {
      // A position without a salience (or the reverse) is a typo in an issue name, most likely.
      for (const k of Object.keys(position)) if (!(k in salience)) c.fail(key(`${p}.salience`, k), 'missing (the stakeholder has a position on it)');
      for (const k of Object.keys(salience)) if (!(k in position)) c.fail(key(`${p}.position`, k), 'missing (the stakeholder has a salience on it)');
    }
    if (id !== undefined && position && salience && capability !== undefined) out.push({ id, position, salience, capability });
  });
  // An issue nobody cares about has no median voter and nothing to forecast.
  const weight = new Map<string, number>();
  for (const s of out) for (const k of Object.keys(s.position)) weight.set(k, (weight.get(k) ?? 0) + s.capability * (s.salience[k] ?? 0));
  for (const [k, w] of weight) if (!(w > 0)) c.fail(path, `issue "${k}": every stakeholder's salience on it is 0`);
  return out;
}

/** Checks a model given as plain data (parsed JSON or YAML); throws ModelError with every problem. */
export function parseModel(v: unknown): Model {
  const c = new Checker();
  if (!c.object(v, '', ['frontier', 'issues', 'stakeholders'])) throw new ModelError(c.problems);
  if (v.frontier === undefined && v.issues === undefined && v.stakeholders === undefined) {
    c.fail('', 'expected at least one of frontier, issues, stakeholders');
  }
  const m: Model = {};
  if (v.frontier !== undefined) m.frontier = frontier(c, v.frontier, 'frontier');
  if (v.issues !== undefined) m.issues = issues(c, v.issues, 'issues');
  if (v.stakeholders !== undefined) m.stakeholders = stakeholders(c, v.stakeholders, 'stakeholders');
  if (c.problems.length) throw new ModelError(c.problems);
  return m;
}
