// A draft checked in the page by the validation the server runs on it (checkAmendment of
// src/arrangement, over the document GET …/draft-base gives: the file as written with the
// sections in force, and the GeoJSON files it names). The server checks again on issue;
// this only spares the mediator a round trip per keystroke. No DOM here: tests run it in Node.
import { type AmendmentIssue, checkAmendment } from '../../../src/arrangement/amend.ts';
import type { GeoFileReader } from '../../../src/arrangement/geojson.ts';
import type { ArrangementSource } from '../../../src/arrangement/load.ts';

/** GET /api/arrangements/{id}/draft-base */
export interface DraftBase {
  document: Record<string, unknown>;
  geo_files: Record<string, unknown>;
}

/** The new sections and rules of a draft (its clauses' rules in order). */
export interface DraftParts {
  sections: Record<string, unknown>;
  rules: unknown[];
}

function reader(base: DraftBase): GeoFileReader {
  return (file) =>
    Object.hasOwn(base.geo_files, file) ? { json: base.geo_files[file], name: file } : { error: `cannot read GeoJSON file ${file}`, name: file };
}

/** Problems with the draft's parts, paths as the draft holds them (`rules[k]…`, `sections.zones[i]…`). */
export function checkDraftParts(base: DraftBase, parts: DraftParts): AmendmentIssue[] {
  // checkAmendment reads the document, its name and its GeoJSON reader; the compiled
  // arrangement (which the page never builds) it does not touch.
  const source = { file: 'draft', value: base.document, read: reader(base), geoFiles: new Map(Object.entries(base.geo_files)) } as unknown as ArrangementSource;
  return checkAmendment(source, { sections: parts.sections, rules: parts.rules });
}

/** A section of the base document as written (zones, lines, …), [] when it has none. */
export function sectionOf(base: DraftBase, name: string): unknown[] {
  const v = base.document[name];
  return Array.isArray(v) ? v : [];
}
