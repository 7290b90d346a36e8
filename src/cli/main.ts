import { UsageError } from './args.ts';

type Command = (argv: string[]) => Promise<number>;

// Commands load lazily so that `detente check` does not pay for SQLite or the server.
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  check: { summary: 'check ARRANGEMENT REPORTS   run the monitoring engine over a report stream', load: async () => (await import('./check.ts')).run },
  validate: {
    summary: 'validate ARRANGEMENT        check an arrangement; list its zones with their areas',
    load: async () => (await import('./validate.ts')).run,
  },
  zones: {
    summary: 'zones ARRANGEMENT --format geojson|kml|cot [--out FILE]   the zones and lines for GIS and TAK tools',
    load: async () => (await import('./zones.ts')).run,
  },
  demo: {
    summary: 'demo [--data DIR] [--port N]   the southern-Syria case live: talks, monitoring, the web UI',
    load: async () => (await import('./demo.ts')).run,
  },
  serve: {
    summary:
      'serve --arrangement FILE [--arrangement FILE …] --data DIR [--port N] [--custodial …] [--endorsement FILE …]   serve the talks, monitoring and record over HTTP',
    load: async () => (await import('./serve.ts')).run,
  },
  tokens: {
    summary: 'tokens revoke (--data DIR | --store URL) --arrangement ID --actor ACTOR   replace an actor’s bearer token (the old one is refused)',
    load: async () => (await import('./tokens.ts')).run,
  },
  keys: {
    summary: 'keys new|sign|enroll|rotate|recovery|revoke …   make a key (an actor’s, a recovery key); endorse a genesis; sign a key statement',
    load: async () => (await import('./keys.ts')).run,
  },
  genesis: {
    summary: 'genesis --arrangement FILE [--custodial …] [--server-keys DIR]   print the genesis statement every party endorses',
    load: async () => (await import('./genesis.ts')).run,
  },
  export: { summary: 'export --data DIR --out BUNDLE   write the record as a verifiable bundle', load: async () => (await import('./export.ts')).run },
  witness: {
    summary: 'witness --data DIR --log ORIGIN=VKEY … [--port N] [--host H] [--name NAME]   cosign checkpoints (C2SP tlog-witness)',
    load: async () => (await import('./witness.ts')).run,
  },
  analyze: {
    summary: 'analyze MODEL|- [--from ktab|genius]   the mediator’s bench: ZOPA, Nash and Kalai–Smorodinsky points, a forecast',
    load: async () => (await import('./analyze.ts')).run,
  },
  follow: {
    summary: 'follow URL --arrangement ID --token TOKEN --data DIR [--once] [--witness-key FILE --listen PORT]   a party’s own verified replica of the record',
    load: async () => (await import('./follow.ts')).run,
  },
  report: {
    summary:
      'report --data DIR --arrangement ID [--from T] [--to T] [--lang en|ar|he|ru] [--as ACTOR] --out FILE.pdf   a compliance report for a period, as PDF',
    load: async () => (await import('./report.ts')).run,
  },
  verify: { summary: 'verify BUNDLE [--since CHECKPOINT]   check a bundle offline', load: async () => (await import('./verify.ts')).run },
};

function usage(): string {
  return ['usage: detente <command> [options]', '', ...Object.values(commands).map((c) => '  detente ' + c.summary), ''].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`detente: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await cmd.load())(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`detente ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
