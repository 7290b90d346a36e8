// The land index the build writes (web/build/land.ts): every country's name, ISO number
// and box, and a loader per detail for its outline and land borders.
declare module 'virtual:detente-land' {
  import type { GeometryObject, MultiLineString, Topology } from 'topojson-specification';

  /** one country's arcs as a TopoJSON topology: its land (`outline`) and its land borders */
  export type CountryPart = Topology<{ outline: GeometryObject; borders: MultiLineString }>;

  export interface CountryIndexEntry {
    key: string;
    id?: string;
    name: string;
    bbox: [number, number, number, number];
    load: Partial<Record<'10m' | '50m', () => Promise<CountryPart>>>;
  }

  export const countries: CountryIndexEntry[];
}
