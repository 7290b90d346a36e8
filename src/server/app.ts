// The HTTP API (spec/api.md): fastify with zod-checked requests, bearer tokens, and
// an OpenAPI document generated from the routes. It composes a Deployment and the
// policy; routes hold no domain logic and decide nothing about visibility themselves.
// The deployments (one per arrangement the server runs) are a decorator, the routes are
// plugins in one arrangement scope (plugins/arrangement-scope.ts) whose hook resolves the
// route's :id to its deployment and the caller's actor there.
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { SeatTable } from './auth.ts';
import { compressReplies } from './compress-replies.ts';
import { decorate } from './decorations.ts';
import type { Deployment } from './deployment.ts';
import { sendError } from './error-reply.ts';
import { strictJsonBodies } from './json-body.ts';
import { arrangementScope } from './plugins/arrangement-scope.ts';
import { arrangementsRoutes } from './routes/arrangements.ts';
import { logTilesRoutes } from './routes/log-tiles.ts';
import { staticRoutes } from './static.ts';

export interface AppOptions {
  /** request logging (off in tests) */
  logger?: boolean;
  /** serve the web UI's built files at / (default true) */
  web?: boolean;
  /** the most a request may take to arrive, headers and body (default 30 s) */
  requestTimeoutMs?: number;
  /** a connection with nothing sent either way for this long is closed (default 60 s; event streams send a heartbeat well within it) */
  idleTimeoutMs?: number;
  /** serve the log's tlog-tiles at /log/ without a token (default false: a token like the API's) */
  logPublic?: boolean;
  /** the bearer tokens, when the caller keeps them up to date (a revocation read while running: token-watch.ts); default: each deployment's tokens as opened */
  tokens?: SeatTable;
  /** hooks that run before any other (several nodes: a follower forwards writes to the leader, src/server/cluster/) */
  first?: (app: FastifyInstance) => void;
}

// Slow clients must not hold connections open: a body trickling in a byte at a time
// is cut off when the request's time is up, an idle socket when its time is up.
const REQUEST_TIMEOUT_MS = 30_000;
const IDLE_TIMEOUT_MS = 60_000;

/** Largest body in general; report batches have their own, larger limit. */
export const BODY_LIMIT = 1 << 20;

/** Several deployments: one server for every arrangement; the first is the one `app.deployment` names. */
export async function buildApp(served: Deployment | readonly Deployment[], opts: AppOptions = {}): Promise<FastifyInstance> {
  const deployments: readonly Deployment[] = Array.isArray(served) ? served : [served as Deployment];
  if (deployments.length === 0) throw new Error('buildApp: no deployment to serve');
  const requestTimeout = opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const app = Fastify({
    logger: opts.logger ? { level: 'info' } : false,
    bodyLimit: BODY_LIMIT,
    // JSON with __proto__ or constructor.prototype is refused rather than stripped.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    // Event streams stay open; closing the server must not wait for their clients.
    forceCloseConnections: true,
    requestTimeout,
    connectionTimeout: opts.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    keepAliveTimeout: Math.min(5_000, opts.idleTimeoutMs ?? IDLE_TIMEOUT_MS),
    http: {
      // Node ignores a request timeout shorter than the headers' one, and checks it on
      // this period; a short timeout needs both set to match.
      headersTimeout: Math.min(requestTimeout, 20_000),
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, requestTimeout / 4)),
    },
  });
  strictJsonBodies(app);
  compressReplies(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const tokens = opts.tokens ?? new SeatTable(deployments.map((d) => ({ id: d.id, tokens: d.tokens, actors: d.actors })));
  const first = deployments[0].id;

  decorate(app, deployments);
  opts.first?.(app);
  app.addHook('onRequest', async (req, reply) => {
    // The route the router chose counts as well as the raw URL: it decodes the path, so
    // "/%6Cog/…" reaches a /log route although the URL does not start with /log.
    const under = (prefix: string) => [req.url, req.routeOptions.url ?? ''].some((u) => u === prefix || u.startsWith(`${prefix}/`));
    if (!under('/api') && (opts.logPublic || !under('/log'))) return;
    const seats = tokens.seatsFor(req.headers.authorization);
    if (!seats) {
      reply.header('www-authenticate', 'Bearer');
      return reply
        .code(401)
        .send({ error: req.headers.authorization ? 'the bearer token is not valid' : 'an Authorization: Bearer <token> header is required', issues: [] });
    }
    req.seats = seats;
    // The actor of routes outside an arrangement (/api/me); the arrangement scope sets the one of the URL's.
    req.actor = seats.get(first) ?? seats.values().next().value!;
  });

  app.setErrorHandler((err: FastifyError, req, reply) => sendError(err, req, reply));
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}`, issues: [] }));

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Détente API', version: '1', description: 'Talks, monitoring and the record of one arrangement (spec/api.md).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(arrangementsRoutes);
  await app.register(arrangementScope);
  await app.register(logTilesRoutes, { public: opts.logPublic ?? false });
  if (opts.web !== false) staticRoutes(app);
  return app;
}
