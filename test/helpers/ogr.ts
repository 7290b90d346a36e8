// GDAL's ogr2ogr (Debian gdal-bin) as the independent reader of the KML and
// GeoJSON we write: a layer of a file as GeoJSON, as GDAL understands it.
import { spawnSync } from 'node:child_process';
import type { FeatureCollection, Geometry } from 'geojson';

export const hasOgr = spawnSync('ogr2ogr', ['--version']).status === 0;

/** The features of one layer (or the result of an OGR SQL query) as GDAL reads them. */
export function ogrRead(file: string, layerOrSql: { layer?: string; sql?: string } = {}): FeatureCollection<Geometry, Record<string, unknown>> {
  const args = ['-f', 'GeoJSON', '/vsistdout/', file];
  if (layerOrSql.sql) args.push('-sql', layerOrSql.sql);
  else if (layerOrSql.layer) args.push(layerOrSql.layer);
  const r = spawnSync('ogr2ogr', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`ogr2ogr ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
