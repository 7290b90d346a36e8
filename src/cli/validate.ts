// `detente validate ARRANGEMENT`: checks an arrangement and, when it holds,
// shows what it defines: actors, zones with their computed areas, rules.
// Exit 0 valid, 2 not (every problem listed).
import { loadArrangement } from '../arrangement/load.ts';
import { ArrangementError, formatIssue } from '../arrangement/issues.ts';
import { formatTime } from '../arrangement/time.ts';
import type { Zone } from '../arrangement/types.ts';
import { parseArgs, UsageError } from './args.ts';

function shape(z: Zone): string {
  const s = z.shape;
  const base =
    s.kind === 'polygon'
      ? `polygon, ${s.coordinates.reduce((n, p) => n + p.reduce((m, r) => m + r.length - 1, 0), 0)} vertices`
      : `band ${s.km[0]}–${s.km[1]} km ${s.side} of ${s.of}`;
  return base + (z.minus.length ? `, minus ${z.minus.join(', ')}` : '') + (z.altitude ? `, altitude ${z.altitude[0]}–${z.altitude[1]} m` : '');
}

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { booleans: ['quiet'] });
  if (a.positional.length !== 1) throw new UsageError('usage: detente validate ARRANGEMENT [--quiet]');
  try {
    const arr = loadArrangement(a.positional[0]);
    if (a.booleans.has('quiet')) return 0;
    const lines = [
      `${arr.id}: ${arr.title}${arr.venue ? ` (${arr.venue})` : ''}${arr.announceBy !== undefined ? `, to be announced by ${formatTime(arr.announceBy)}` : ''}`,
      '',
    ];
    lines.push('actors:', ...arr.actors.map((x) => `  ${x.id.padEnd(12)} ${x.role.padEnd(12)} ${x.name}`), '');
    lines.push('zones (areas computed from the geometry):');
    arr.zones.forEach((z, i) => {
      const area = arr.zoneSet.areaKm2(i);
      lines.push(
        `  ${z.id.padEnd(14)} ${(area < 10 ? area.toFixed(2) : Math.round(area).toLocaleString('en')).padStart(9)} km²  ${z.name ?? ''}${z.approximate ? ' (approximate)' : ''}`,
      );
      lines.push(`  ${''.padEnd(14)} ${''.padStart(13)}${shape(z)}`);
    });
    lines.push('', 'rules:', ...arr.rules.map((r) => `  ${r.id.padEnd(26)} ${r.kind.padEnd(11)} ${r.cite ?? ''}`), '');
    process.stdout.write(lines.join('\n'));
    return 0;
  } catch (e) {
    if (!(e instanceof ArrangementError)) throw e;
    for (const i of e.issues) process.stderr.write(formatIssue(i) + '\n');
    process.stderr.write(`detente validate: ${e.issues.length} problem${e.issues.length === 1 ? '' : 's'}\n`);
    return 2;
  }
}
