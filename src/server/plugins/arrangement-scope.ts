// Every route under /api/arrangements/:id, in one encapsulated scope whose hook checks
// the :id once: the deployment it names is set on the request, or the answer is 404
// naming id. The hook runs after validation, so a malformed request is still a 400
// before an unknown arrangement is a 404, and both come before the policy's 403.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound } from '../errors.ts';
import { arrangementRoutes } from '../routes/arrangement.ts';
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

export async function arrangementScope(scope: FastifyInstance): Promise<void> {
  const deployment = scope.deployment;
  scope.addHook('preHandler', async (req: FastifyRequest) => {
    const id = (req.params as { id?: string }).id;
    if (id !== deployment.id) throw new NotFound(`no arrangement "${id}" here (this server runs "${deployment.id}")`, 'id');
    req.deployment = deployment;
  });
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
  await scope.register(attachmentsRoutes);
}
