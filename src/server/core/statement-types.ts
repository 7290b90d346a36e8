// The statement types this server writes besides the talks' own (`talks.*`), and the
// bodies they carry. A record is replayed by type, so a type once written is never
// renamed and its body only ever gains optional fields.

/** One report, as posted. */
export const REPORT = 'report';
/** Several reports posted together: `{ reports: [...] }`. */
export const REPORTS = 'reports';
/** The server judged time up to `until`: deadlines up to it passed at this point of the record. */
export const CLOCK = 'clock';
/** Which arrangement file the server runs: written once, first (see arrangement-note.ts). */
export const ARRANGEMENT = 'arrangement';

export interface ClockBody {
  until: string;
}

/**
 * The engine's output, signed by the log like `clock`: the finding transitions booked
 * since the last such statement, each the finding as GET …/findings shows it (without
 * its seq) or, when not everyone may read it, its commitment `{ sealed }`. `through` is
 * the record size the engine had applied when it was written. Replay does not re-apply
 * them: the reports and clocks before it give the same transitions again.
 */
export const FINDINGS = 'findings';

export interface FindingsBody {
  through: number;
  findings: unknown[];
}

/** A party's dispute of a finding (core/disputes.ts): sealed as a whole, `{ finding: { entry, n }, reason }` inside. */
export const DISPUTE = 'dispute';

/**
 * The mediator's (or a joint commission member's) resolution of a dispute (core/disputes.ts):
 * sealed as a whole like the dispute, `{ dispute, outcome, reasons, finding }` inside, where
 * `dispute` is the dispute's entry and `finding` the disputed finding as recorded (a withdrawal
 * closes it, on replay too, without reading the log).
 */
export const RESOLUTION = 'resolution';

export interface ResolutionBody {
  dispute: number;
  outcome: 'upheld' | 'withdrawn';
  reasons: string;
  finding: Record<string, unknown>;
}

/** A party's request for a challenge inspection of a zone (core/challenges.ts): `{ zone }`, public; the request is named `challenge-<entry>`. */
export const CHALLENGE = 'challenge';

/** An observer's record that a party refused it access on a challenge: `{ challenge, by, reason? }`, public. */
export const ACCESS_REFUSED = 'access-refused';
