// The record's first entry: the statement every party can build offline (detente
// genesis), signed by the mediator and endorsed by every party and the guarantor. The
// server signs and endorses for the actors it is custodial for; the others' endorsements
// are supplied (detente keys sign → --endorsement). A genesis that lacks one is not
// written: the server refuses to start, naming every endorsement missing.
import type { ArrangementSource } from '../../arrangement/load.ts';
import { ENDORSING_ROLES } from '../../record/genesis.ts';
import type { Signer } from '../../record/keys.ts';
import { type Endorsement, endorse, endorsementProblem, makeEntry, type SignedStatement, type Statement, signStatement } from '../../record/statement.ts';
import { genesisStatement, mediatorOf } from './arrangement-note.ts';
import { DeploymentRefused } from './refused.ts';
import { ARRANGEMENT } from './statement-types.ts';

export interface GenesisInput {
  source: ArrangementSource;
  /** the actors' keys the server holds (custodial), by actor id */
  held: ReadonlyMap<string, Signer>;
  logSigner: Signer;
  /** endorsements made offline, for actors the server holds no key of */
  endorsements: readonly Endorsement[];
}

export function genesisEntry(g: GenesisInput): { bytes: Uint8Array; statement: Statement } {
  const { source, held, logSigner } = g;
  const serverKeys = new Map([...held].map(([id, s]) => [id, s.verifier.vkey]));
  const author = mediatorOf(source) ?? logSigner.name;
  const statement = genesisStatement(source, serverKeys, author);
  const listed = statement.body.keys as { [actor: string]: string[] };
  // A supplied endorsement counts for the actor whose genesis key made it, if it verifies.
  const supplied = (actor: string) => g.endorsements.find((e) => (listed[actor] ?? []).includes(e.key) && endorsementProblem(statement, e) === undefined);
  const missing: string[] = [];
  let signed: SignedStatement | undefined;
  const signer = held.get(author) ?? (author === logSigner.name ? logSigner : undefined);
  if (signer) signed = signStatement(signer, { type: ARRANGEMENT, arrangement: source.arrangement.id, body: statement.body, time: statement.time });
  else {
    const e = supplied(author);
    if (e) signed = { statement, sig: e.sig, key: e.key };
    else missing.push(`"${author}" (mediator, the genesis's author)`);
  }
  const endorsements: Endorsement[] = [];
  for (const a of source.arrangement.actors) {
    if (a.id === author) continue;
    const own = held.get(a.id);
    const e = own ? endorse(own, statement, true) : supplied(a.id);
    if (e) endorsements.push(e);
    else if ((ENDORSING_ROLES as readonly string[]).includes(a.role))
      missing.push(`"${a.id}" (${a.role}${listed[a.id]?.length ? `, by one of ${listed[a.id].join(', ')}` : ', which the arrangement gives no key'})`);
  }
  if (missing.length > 0 || !signed)
    throw new DeploymentRefused(
      `the genesis lacks the endorsement of ${missing.join(', ')}. Print it with \`detente genesis\`, have each sign it with \`detente keys sign\`, and pass each with --endorsement FILE (or --custodial for actors this server signs for)`,
    );
  return { bytes: makeEntry(signed, new Date(), held.has(author), endorsements), statement: signed.statement };
}
