// `detente zones ARRANGEMENT --format geojson|kml|cot [--out FILE] [--time T]`: the
// arrangement's zones (bands traced to polygons, holes kept) and lines in the field's
// formats (docs/spec/interop.md). Exit 0 written, 2 bad arguments or arrangement.
import { writeFileSync } from 'node:fs';
import { ArrangementError, formatIssue } from '../arrangement/issues.ts';
import { loadArrangement } from '../arrangement/load.ts';
import { parseTime } from '../arrangement/time.ts';
import { zonesToCot } from '../interop/cot/from-zones.ts';
import { writeEvents } from '../interop/cot/write.ts';
import { featuresToGeoJson } from '../interop/geojson.ts';
import { featuresToKml } from '../interop/kml/write.ts';
import { arrangementFeatures } from '../interop/zone-features.ts';
import { parseArgs, UsageError } from './args.ts';

const USAGE = 'usage: detente zones ARRANGEMENT --format geojson|kml|cot [--out FILE] [--time RFC3339 (cot: when the shapes are stamped; default now)]';

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { format: undefined, out: undefined, time: undefined } });
  if (a.positional.length !== 1) throw new UsageError(USAGE);
  const format = a.values.format;
  if (format !== 'geojson' && format !== 'kml' && format !== 'cot') throw new UsageError(`--format must be geojson, kml or cot\n${USAGE}`);
  const time = a.values.time === undefined ? Date.now() : parseTime(a.values.time);
  if (time !== time) throw new UsageError(`--time "${a.values.time}" is not an RFC 3339 date-time`);
  let text: string;
  try {
    const f = arrangementFeatures(loadArrangement(a.positional[0]));
    text = format === 'geojson' ? `${JSON.stringify(featuresToGeoJson(f))}\n` : format === 'kml' ? featuresToKml(f) : writeEvents(zonesToCot(f, { time }));
  } catch (e) {
    if (!(e instanceof ArrangementError)) throw e;
    for (const i of e.issues) process.stderr.write(`${formatIssue(i)}\n`);
    process.stderr.write(`detente zones: ${e.issues.length} problem${e.issues.length === 1 ? '' : 's'}\n`);
    return 2;
  }
  if (a.values.out === undefined) process.stdout.write(text);
  else writeFileSync(a.values.out, text);
  return 0;
}
