// `detente serve --cot-port N`: Cursor on Target over TCP, as TAK clients speak it
// (docs/spec/interop.md). Each connection is a CotSession; this gives the sessions
// what they need of the deployment, through the same doors HTTP uses: the bearer
// token table, the custodial report path (policy, sealing and record as for
// POST …/reports), and the bus with the visibility decisions of the events route.
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { zonesToCot } from '../../interop/cot/from-zones.ts';
import { writeEvents } from '../../interop/cot/write.ts';
import type { ArrangementFeatures } from '../../interop/zone-features.ts';
import { type Actor, mayAct } from '../../policy/policy.ts';
import { TokenTable } from '../auth.ts';
import type { Deployment } from '../deployment.ts';
import { CotFeed } from './feed.ts';
import { CotSession, type Identity, type SessionHost } from './session.ts';
import { type ClientEntry, commonName } from './tls-clients.ts';
import { zoneFeatures } from './zone-features-worker.ts';

/** The TLS port: devices authenticate with a client certificate the CA signed, mapped to an actor. */
export interface CotTlsOptions {
  port: number;
  /** PEM: the CA that signs the devices' certificates */
  ca: string | Buffer;
  /** PEM: the server's certificate and key */
  cert: string | Buffer;
  key: string | Buffer;
  /** certificate common name → actor and device (readClientMap) */
  clients: ReadonlyMap<string, ClientEntry>;
}

export interface CotListenerOptions {
  deployment: Deployment;
  /** the plain-TCP port (0: any free one); none when undefined */
  port?: number;
  host: string;
  tls?: CotTlsOptions;
  /** where refusals and connection events are written (default stderr) */
  log?: (line: string) => void;
  /** reports a connection may have queued or in flight before its socket is paused */
  maxOutstanding?: number;
  /** how long a plain-TCP connection may go without <auth> before it is closed (default 60 s) */
  authTimeoutMs?: number;
}

export interface CotListener {
  /** the plain-TCP port, when listening */
  port?: number;
  /** the TLS port, when listening */
  tlsPort?: number;
  /** the sessions open now (tests and benchmarks read their counts) */
  readonly sessions: ReadonlySet<CotSession>;
  /** starts a session on a socket whose identity is already known (a TLS client certificate) */
  adopt(socket: Socket, identity?: Identity): CotSession;
  host: SessionHost;
  close(): Promise<void>;
}

function frame(type: string, data: unknown): Buffer {
  return Buffer.from(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** The SessionHost of a deployment: authentication, custody, the report path and the bus. */
export function deploymentHost(d: Deployment, log: (line: string) => void, limits: { maxOutstanding?: number; authTimeoutMs?: number } = {}): SessionHost {
  const tokens = new TokenTable(d.tokens, d.actors);
  return {
    log,
    ...limits,
    authenticate(auth) {
      const actor = tokens.actorFor(`Bearer ${auth.password}`);
      // One answer for an unknown token and a token of another actor: nothing is learnt by trying.
      if (!actor || actor.id !== auth.username)
        return {
          refused: `username ${JSON.stringify(auth.username)} with this password is not an actor of ${d.id} (the password is the actor's bearer token)`,
        };
      const digest = createHash('sha256').update(auth.password).digest('hex');
      return { actor, ...(auth.uid ? { device: auth.uid } : {}), streamKey: `cot:${digest}` };
    },
    cannotReport(actor) {
      const may = mayAct(actor, 'report');
      return may.ok ? undefined : may.reason;
    },
    cannotSign(actor) {
      if (!d.keysNow().find((k) => k.actor === actor.id)?.custodial)
        return `this server holds no key for "${actor.id}" (it is not custodial for it), and a CoT device does not sign: run the server with --custodial ${actor.id}, or bridge the device through a client that signs its reports (POST …/statements)`;
      return undefined;
    },
    post: (actor, reports) => d.postReports(actor, reports),
    writable: () => d.writable,
    subscribe(id: Identity, socket: Socket) {
      // The zones are traced on a worker the first time (seconds): this thread serves on meanwhile.
      let closed = false;
      let close: () => void = () => undefined;
      zoneFeatures(d.arrangement).then(
        (features) => {
          if (!closed && !socket.destroyed) close = feed(id, socket, features);
        },
        (e: unknown) => log(`cot ${id.actor.id}: zones not sent: ${(e as Error).message}`),
      );
      return () => {
        closed = true;
        close();
      };
    },
  };

  /** Sends the zones, then (if the actor may read events) streams what it may see; returns how to stop. */
  function feed(id: Identity, socket: Socket, features: ArrangementFeatures): () => void {
    const actor: Actor = id.actor;
    socket.write(writeEvents(zonesToCot(features, { time: d.now() })));
    if (!mayAct(actor, 'read-events').ok) return () => undefined;
    if (!d.bus.mayOpen(id.streamKey)) {
      log(`cot ${actor.id}: this token already has ${d.bus.limits.streamsPerToken} streams open: this connection is sent zones only`);
      return () => undefined;
    }
    const arr = d.arrangement;
    const feed = new CotFeed(socket, {
      actor: actor.id,
      features,
      ruleText: (rule) => (arr.ruleById.get(rule) as { text?: string } | undefined)?.text,
      now: d.now,
    });
    // As the events route does: subscribe, then greet with the state as it stands, in
    // one turn, so that nothing published falls between the two.
    const stream = d.bus.subscribe(actor, id.streamKey, feed);
    stream.greet(d.bus.snapshot('posture', actor, () => d.posture(actor)));
    // The open findings as GET …/findings?open=true gives them to this actor.
    if (mayAct(actor, 'read-findings').ok) for (const f of d.openFindingsFor(actor)) stream.greet(frame('finding', f));
    return () => stream.close();
  }
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  return typeof addr === 'object' && addr ? addr.port : port;
}

export async function startCotListener(o: CotListenerOptions): Promise<CotListener> {
  const log = o.log ?? ((line: string) => process.stderr.write(`detente serve: ${line}\n`));
  const host = deploymentHost(o.deployment, log, { maxOutstanding: o.maxOutstanding, authTimeoutMs: o.authTimeoutMs });
  // Traced now, on a worker, so that the first device to connect need not wait for it.
  zoneFeatures(o.deployment.arrangement).catch((e: unknown) => log(`the zones could not be traced for CoT: ${(e as Error).message}`));
  const sessions = new Set<CotSession>();
  const sockets = new Set<Socket>();
  const adopt = (socket: Socket, identity?: Identity) => {
    sockets.add(socket);
    const s = new CotSession(socket, host, identity);
    sessions.add(s);
    socket.on('close', () => {
      sockets.delete(socket);
      sessions.delete(s);
    });
    return s;
  };
  const servers: Server[] = [];
  const close = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            for (const s of sockets) s.destroy();
          }),
      ),
    ).then(() => undefined);
  try {
    let port: number | undefined;
    let tlsPort: number | undefined;
    if (o.port !== undefined) {
      const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => adopt(socket));
      servers.push(server);
      port = await listen(server, o.port, o.host);
    }
    if (o.tls) {
      const t = o.tls;
      const d = o.deployment;
      // The CA signs the devices' certificates; TLS itself refuses any other (rejectUnauthorized).
      const server = createTlsServer({ ca: t.ca, cert: t.cert, key: t.key, requestCert: true, rejectUnauthorized: true, allowHalfOpen: true }, (socket) => {
        socket.setNoDelay(true);
        const cn = commonName(socket.getPeerCertificate().subject as unknown as Record<string, string | string[]>);
        const entry = cn === undefined ? undefined : t.clients.get(cn);
        const actor = entry && d.actors.get(entry.actor);
        if (!entry || !actor) {
          log(`cot-tls ${socket.remoteAddress}:${socket.remotePort}: certificate CN=${JSON.stringify(cn ?? '')} is not in the client map, connection closed`);
          socket.destroy();
          return;
        }
        adopt(socket, { actor, ...(entry.device !== undefined ? { device: entry.device } : {}), streamKey: `cot-tls:${cn}` });
      });
      server.on('tlsClientError', (e, socket) => log(`cot-tls ${socket.remoteAddress}:${socket.remotePort}: refused: ${e.message}`));
      servers.push(server);
      tlsPort = await listen(server, t.port, o.host);
    }
    return { port, tlsPort, sessions, adopt, host, close };
  } catch (e) {
    await close();
    throw e;
  }
}
