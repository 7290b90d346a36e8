// Every route under /api/arrangements/:id, in one encapsulated scope whose hook checks
// the :id once: the deployment it names, and the caller's actor there, are set on the
// request, or the answer is 404 naming id (also for an arrangement the caller's token has
// no part in, so it learns nothing of it: seat-in.ts). The hook runs after validation, so a malformed request is still a 400
// before an unknown arrangement is a 404, and both come before the policy's 403.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { arrangementRoutes } from '../routes/arrangement.ts';
import { benchRoutes } from '../routes/bench.ts';
import { attachmentsRoutes } from '../routes/attachments.ts';
import { monitoringRoutes } from '../routes/monitoring.ts';
import { challengesRoutes } from '../routes/challenges.ts';
import { disputesRoutes } from '../routes/disputes.ts';
import { exportsRoutes } from '../routes/exports.ts';
import { historyRoutes } from '../routes/history.ts';
import { keysRoutes } from '../routes/keys.ts';
import { recordRoutes } from '../routes/record.ts';
import { talksRoutes } from '../routes/talks.ts';
import { webhooksRoutes } from '../routes/webhooks.ts';
import { seatIn } from '../seat-in.ts';

export async function arrangementScope(scope: FastifyInstance): Promise<void> {
  scope.addHook('preHandler', async (req: FastifyRequest) => seatIn(req, (req.params as { id?: string }).id));
  await scope.register(arrangementRoutes);
  await scope.register(talksRoutes);
  await scope.register(monitoringRoutes);
  await scope.register(recordRoutes);
  await scope.register(keysRoutes);
  await scope.register(disputesRoutes);
  await scope.register(exportsRoutes);
  await scope.register(historyRoutes);
  await scope.register(challengesRoutes);
  await scope.register(webhooksRoutes);
  await scope.register(benchRoutes);
  await scope.register(attachmentsRoutes);
}
