// @tak-ps/node-cot, the independent CoT reader of the interop tests. It ships its
// TypeScript sources as its types, which do not compile under this project's
// settings, so it is loaded by a specifier the compiler does not follow, with
// the small part of its interface the tests use written out here.
import type { Feature } from 'geojson';

export interface NodeCot {
  raw: { event: { _attributes: Record<string, string>; point: { _attributes: Record<string, string> }; detail?: Record<string, unknown> } };
  to_geojson(): Promise<Feature & { properties: Record<string, unknown> }>;
}

const specifier: string = '@tak-ps/node-cot';
const mod = (await import(specifier)) as { default: new (xml: string) => NodeCot };

/** Reads one CoT XML event as node-cot does. */
export function readWithNodeCot(xml: string): NodeCot {
  return new mod.default(xml);
}
