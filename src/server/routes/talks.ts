// The talks over HTTP: one route per command, each a signed statement on the record.
// Who may call which is the policy's answer (403); whether the talks allow it now is
// the decider's (409).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { type CommandKind, gapReport, parseCommand, type TalksCommand, talksView } from '../../talks/index.ts';
import { allow } from '../allow.ts';
import {
  ArrangementParams,
  ConsentBody,
  JointCloseBody,
  JointMessageBody,
  PrepareBody,
  DraftBody,
  DraftRefBody,
  ExtensionApprovalBody,
  ExtensionBody,
  IssueBody,
  RoundBody,
  IssueParams,
  RelayBody,
  StanceBody,
  SubmissionBody,
  WithdrawBody,
} from '../schemas.ts';

const TAG = ['talks'];

export async function talksRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/arrangements/:id/talks', { schema: { tags: TAG, summary: 'the talks as the caller may see them', params: ArrangementParams } }, async (req) => {
    const d = req.deployment;
    return talksView(d.talks, allow(req, 'read-talks'), d.now());
  });

  r.get(
    '/api/arrangements/:id/talks/gap',
    { schema: { tags: TAG, summary: 'the gap report: stances per clause, positions per numeric issue, time left', params: ArrangementParams } },
    async (req) => {
      const d = req.deployment;
      return gapReport(d.talks, allow(req, 'read-talks'), d.now());
    },
  );

  // One route per command: the path, the policy's action, the body's schema, and how
  // the body becomes the command the decider takes (parsed here, at the edge, once).
  const commands: {
    path: string;
    /** the command's kind, which is also the policy's action */
    action: CommandKind;
    summary: string;
    body?: ZodType;
    params?: ZodType;
    command: (req: { body: unknown; params: unknown }) => TalksCommand;
  }[] = [
    {
      path: 'submissions',
      action: 'submit',
      summary: "a party's submission to the mediator",
      body: SubmissionBody,
      command: (q) => parseCommand({ kind: 'submit', ...(q.body as object) }),
    },
    {
      path: 'relays',
      action: 'relay',
      summary: 'the mediator relays to one party, in its own words',
      body: RelayBody,
      command: (q) => parseCommand({ kind: 'relay', ...(q.body as object) }),
    },
    {
      path: 'issues',
      action: 'open-issue',
      summary: 'the mediator opens an agenda issue',
      body: IssueBody,
      command: (q) => parseCommand({ kind: 'open-issue', ...(q.body as object) }),
    },
    {
      path: 'issues/:issue/close',
      action: 'close-issue',
      summary: 'the mediator closes an agenda issue',
      params: IssueParams,
      command: (q) => parseCommand({ kind: 'close-issue', id: (q.params as { issue: string }).issue }),
    },
    {
      path: 'drafts',
      action: 'draft',
      summary: 'the mediator issues a new version of the single text',
      body: DraftBody,
      command: (q) => parseCommand({ kind: 'draft', ...(q.body as object) }),
    },
    {
      path: 'stances',
      action: 'stance',
      summary: "a party's stance on a clause of the current draft",
      body: StanceBody,
      command: (q) => parseCommand({ kind: 'stance', ...(q.body as object) }),
    },
    {
      path: 'withdrawals',
      action: 'withdraw',
      summary: 'a party withdraws its acceptance before the announcement',
      body: WithdrawBody,
      command: (q) => parseCommand({ kind: 'withdraw', ...(q.body as object) }),
    },
    {
      path: 'approval',
      action: 'approve',
      summary: 'the guarantor approves the current draft',
      body: DraftRefBody,
      command: (q) => parseCommand({ kind: 'approve', ...(q.body as object) }),
    },
    {
      path: 'announcement',
      action: 'announce',
      summary: 'the mediator announces the approved text; its rules come into force',
      body: DraftRefBody,
      command: (q) => parseCommand({ kind: 'announce', ...(q.body as object) }),
    },
    {
      path: 'joint/consents',
      action: 'consent-direct',
      summary: 'a party consents to direct talks (said to the mediator; `quiet` keeps who consented off the public record)',
      body: ConsentBody,
      command: (q) => parseCommand({ kind: 'consent-direct', ...(q.body as object) }),
    },
    {
      path: 'joint/open',
      action: 'open-joint-channel',
      summary: 'the mediator opens the joint channel once every party consents (409 naming who has not)',
      command: () => parseCommand({ kind: 'open-joint-channel' }),
    },
    {
      path: 'joint/messages',
      action: 'joint-message',
      summary: 'a message in the open joint channel, to both parties and the mediator (sealed on the record)',
      body: JointMessageBody,
      command: (q) => parseCommand({ kind: 'joint-message', ...(q.body as object) }),
    },
    {
      path: 'joint/close',
      action: 'close-joint-channel',
      summary: 'a party closes the joint channel; every consent lapses with it',
      body: JointCloseBody,
      command: (q) => parseCommand({ kind: 'close-joint-channel', ...(q.body as object) }),
    },
    {
      path: 'rounds',
      action: 'open-round',
      summary: 'after an announcement, the mediator opens a round whose drafts amend the text in force',
      body: RoundBody,
      command: (q) => parseCommand({ kind: 'open-round', ...(q.body as object) }),
    },
    {
      path: 'extensions',
      action: 'propose-extension',
      summary: "the mediator proposes extending the current round's deadline",
      body: ExtensionBody,
      command: (q) => parseCommand({ kind: 'propose-extension', ...(q.body as object) }),
    },
    {
      path: 'extensions/approval',
      action: 'approve-extension',
      summary: 'the guarantor approves the extension proposed',
      body: ExtensionApprovalBody,
      command: (q) => parseCommand({ kind: 'approve-extension', ...(q.body as object) }),
    },
  ];
  for (const c of commands) {
    const schema = { tags: TAG, summary: c.summary, params: c.params ?? ArrangementParams, ...(c.body ? { body: c.body } : {}) };
    r.post(`/api/arrangements/:id/talks/${c.path}`, { schema }, async (req, reply) => {
      const d = req.deployment;
      const actor = allow(req, c.action);
      const { events, indexes } = await d.command(actor, c.command(req));
      // What the record now holds, as its author may see it: ids, the draft version, the entry.
      const body = events[0]?.body ?? {};
      return reply.code(201).send({
        ...('id' in body ? { id: body.id } : {}),
        ...('version' in body ? { version: body.version } : {}),
        ...('round' in body && events[0]?.type === 'talks.round.open' ? { round: body.round } : {}),
        type: events[0]?.type,
        index: indexes[0],
      });
    });
  }

  r.post(
    '/api/arrangements/:id/talks/prepare',
    {
      schema: {
        tags: TAG,
        summary: 'decide a command without recording it: the statements to sign with your own key and post to …/statements',
        params: ArrangementParams,
        body: PrepareBody,
      },
    },
    async (req) => {
      const d = req.deployment;
      const actor = allow(req, req.body.command.kind);
      return { statements: await d.prepare(actor, parseCommand(req.body.command, 'command')) };
    },
  );
}
