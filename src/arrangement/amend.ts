// Rules proposed after an arrangement was loaded (the clauses of a negotiated text)
// are checked by the very validation that checks the file: they are appended to the
// document's rules and the whole is validated, so a clause can name the file's
// zones, actors and assets, and cannot clash with its rule ids.
import { compileArrangement, type Arrangement } from './compile.ts';
import { ArrangementError, IssueList, type Issue, type PathPart } from './issues.ts';
import type { ArrangementSource } from './load.ts';
import { validateDocument } from './validate.ts';

export interface AmendIssue {
  /** index of the offending rule among the added ones */
  rule: number;
  /** path inside that rule, e.g. ["zone"] */
  path: PathPart[];
  message: string;
}

function withRules(source: ArrangementSource, added: unknown[]): { value: unknown; baseCount: number } {
  const doc = source.value as { rules?: unknown };
  const base = Array.isArray(doc.rules) ? doc.rules : [];
  return { value: { ...(source.value as object), rules: [...base, ...added] }, baseCount: base.length };
}

function validate(source: ArrangementSource, added: unknown[]) {
  const { value, baseCount } = withRules(source, added);
  const out = new IssueList(source.file);
  const doc = validateDocument(value, out, source.read);
  return { doc, issues: out.issues, baseCount };
}

/** Problems with the added rules, located among them. The file itself is known to be valid. */
export function checkAddedRules(source: ArrangementSource, added: unknown[]): AmendIssue[] {
  const { issues, baseCount } = validate(source, added);
  return issues.map((i) => located(i, baseCount));
}

function located(i: Issue, baseCount: number): AmendIssue {
  if (i.path[0] === 'rules' && typeof i.path[1] === 'number' && i.path[1] >= baseCount) {
    return { rule: i.path[1] - baseCount, path: i.path.slice(2), message: i.message };
  }
  // A clash seen from a file rule (e.g. a duplicate id reported at the first holder) is
  // still the added rules' doing; name it at the first added rule.
  return { rule: 0, path: [], message: i.message };
}

/** The arrangement with the added rules in force. Throws ArrangementError if they do not fit. */
export function amendArrangement(source: ArrangementSource, added: unknown[]): Arrangement {
  if (added.length === 0) return source.arrangement;
  const { doc, issues } = validate(source, added);
  if (issues.length || !doc)
    throw new ArrangementError(issues.length ? issues : [{ file: source.file, path: ['rules'], message: 'the added rules do not fit the arrangement' }]);
  return compileArrangement(doc);
}

/**
 * The arrangement with some of its rules taken out (checked again, since a remaining
 * rule may not wait on a removed one): what is in force before a negotiated text adds
 * them back.
 */
export function withoutRules(source: ArrangementSource, ids: ReadonlySet<string>): ArrangementSource {
  const doc = source.value as { rules?: { id?: unknown }[] };
  const value = { ...(source.value as object), rules: (doc.rules ?? []).filter((r) => !ids.has(String(r?.id))) };
  const out = new IssueList(source.file);
  const checked = validateDocument(value, out, source.read);
  if (out.issues.length || !checked)
    throw new ArrangementError(out.issues.length ? out.issues : [{ file: source.file, path: ['rules'], message: 'the remaining rules do not stand alone' }]);
  return { arrangement: compileArrangement(checked), file: source.file, value, read: source.read, geoFiles: source.geoFiles };
}

/** The arrangement with its `witnesses` set (checked again, as any document). */
export function withWitnesses(
  source: ArrangementSource,
  witnesses: { quorum: number; keys: { name: string; key: string; actor?: string }[] },
): ArrangementSource {
  const value = { ...(source.value as object), witnesses };
  const out = new IssueList(source.file);
  const checked = validateDocument(value, out, source.read);
  if (out.issues.length || !checked)
    throw new ArrangementError(
      out.issues.length ? out.issues : [{ file: source.file, path: ['witnesses'], message: 'the witnesses do not fit the arrangement' }],
    );
  return { arrangement: compileArrangement(checked), file: source.file, value, read: source.read, geoFiles: source.geoFiles };
}

/**
 * A round's amendment: sections of the document set anew (zones, lines, actors,
 * witnesses, disclosure, reports, …, each replacing the file's section as a whole) and
 * rules added after the file's own. `sections.rules`, when set, replaces the file's own
 * rules as a whole (how a round changes or retires a rule the file holds); the clauses'
 * rules still come after them. The whole is checked as a file is.
 */
export interface Amendment {
  sections: Record<string, unknown>;
  rules: unknown[];
}

/** The rules standing in for the file's own: `sections.rules` when the amendment sets it. */
function baseRules(source: ArrangementSource, a: Amendment): unknown[] {
  if (Object.hasOwn(a.sections, 'rules')) return Array.isArray(a.sections.rules) ? a.sections.rules : [];
  const doc = source.value as { rules?: unknown };
  return Array.isArray(doc.rules) ? doc.rules : [];
}

function amendedValue(source: ArrangementSource, a: Amendment): { value: unknown; baseCount: number } {
  const base = baseRules(source, a);
  return { value: { ...(source.value as object), ...a.sections, rules: [...base, ...a.rules] }, baseCount: base.length };
}

/** One problem with an amendment: `sections.<path>` or `rules[k]…` (k among the added rules). */
export interface AmendmentIssue {
  path: string;
  message: string;
}

/** Problems with an amendment, named where the draft holds them. The file itself is known to be valid. */
export function checkAmendment(source: ArrangementSource, a: Amendment): AmendmentIssue[] {
  const { value, baseCount } = amendedValue(source, a);
  const setsRules = Object.hasOwn(a.sections, 'rules');
  if (setsRules && !Array.isArray(a.sections.rules)) return [{ path: 'sections.rules', message: "must be an array of rules (replacing the file's own)" }];
  const out = new IssueList(source.file);
  validateDocument(value, out, source.read);
  return out.issues.map((i) => {
    const [head, k] = i.path;
    const rest = (from: number) =>
      i.path
        .slice(from)
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
        .join('');
    if (head === 'rules' && typeof k === 'number' && k >= baseCount) return { path: `rules[${k - baseCount}]${rest(2)}`, message: i.message };
    // The rules standing in for the file's are the draft's own: named where it holds them.
    if (head === 'rules' && setsRules && (typeof k === 'number' || i.path.length === 1)) return { path: `sections${rest(0)}`, message: i.message };
    if (typeof head === 'string' && head !== 'rules' && Object.hasOwn(a.sections, head)) return { path: `sections${rest(0)}`, message: i.message };
    // A file rule or section that no longer fits (a zone it names was taken out, an id
    // clashes): the amendment's doing, named at its sections when it sets any, else at its first rule.
    const at = Object.keys(a.sections).length > 0 ? 'sections' : 'rules[0]';
    const where = i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? p : `.${p}`)).join('');
    return { path: at, message: `${where ? `${where}: ` : ''}${i.message}` };
  });
}

/** The arrangement source with an amendment in force. Throws ArrangementError if it does not fit. */
export function amendedSource(source: ArrangementSource, a: Amendment): ArrangementSource {
  const { value } = amendedValue(source, a);
  const out = new IssueList(source.file);
  const checked = validateDocument(value, out, source.read);
  if (out.issues.length || !checked)
    throw new ArrangementError(out.issues.length ? out.issues : [{ file: source.file, path: [], message: 'the amendment does not fit the arrangement' }]);
  return { arrangement: compileArrangement(checked), file: source.file, value, read: source.read, geoFiles: source.geoFiles };
}
