// A small, strict argument parser: unknown flags are errors (exit 2), because a
// mistyped flag silently ignored could change what a check means.

export class UsageError extends Error {}

export interface FlagSpec {
  /** flags that take a value, e.g. { format: 'ndjson' } (the value is the default, or undefined) */
  values?: Record<string, string | undefined>;
  /** boolean flags */
  booleans?: string[];
}

export interface Parsed {
  positional: string[];
  values: Record<string, string | undefined>;
  booleans: Set<string>;
}

export function parseArgs(argv: string[], spec: FlagSpec): Parsed {
  const values: Record<string, string | undefined> = { ...(spec.values ?? {}) };
  const booleans = new Set<string>();
  const positional: string[] = [];
  const known = new Set(Object.keys(spec.values ?? {}));
  const bools = new Set(spec.booleans ?? []);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      if (bools.has(name)) {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`);
        booleans.add(name);
      } else if (known.has(name)) {
        const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        values[name] = v;
      } else {
        throw new UsageError(`unknown option --${name}`);
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, values, booleans };
}
