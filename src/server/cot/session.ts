// One CoT connection: CoT elements streamed back to back in, reports into the record,
// and (once it has said who it is) zones, units and open findings out on the same
// socket. On plain TCP it says who it is with TAK's <auth> element, whose password is
// the actor's bearer token; on TLS its client certificate has said so before the
// first byte. Until then its events are refused. A device does not sign: its reports
// are the actor's, signed with the key the deployment holds for the actor (custodial).
import type { Socket } from 'node:net';
import type { CotAuth } from '../../interop/cot/event.ts';
import { CotStreamParser } from '../../interop/cot/parse.ts';
import { CotReportError, cotToReport } from '../../interop/cot/to-report.ts';
import type { Actor } from '../../policy/policy.ts';
import { type DeviceReport, ReportPipe } from './report-pipe.ts';

/** Who a connection is, once known. */
export interface Identity {
  actor: Actor;
  /** the device: <auth>'s uid, or the certificate's mapped device */
  device?: string;
  /** what limits its outgoing streams with the bus (a token's digest, a certificate's subject) */
  streamKey: string;
}

/** What a session needs of the server; the listener provides it. */
export interface SessionHost {
  /** the actor a plain-TCP <auth> names, or why not */
  authenticate(auth: CotAuth): Identity | { refused: string };
  /** why this actor may not report at all (its connection then only receives), or undefined */
  cannotReport(actor: Actor): string | undefined;
  /** why this server cannot sign this actor's reports (it holds no key for it), or undefined */
  cannotSign(actor: Actor): string | undefined;
  post(actor: Actor, reports: DeviceReport[]): Promise<unknown>;
  writable(): Promise<void>;
  /** starts sending zones, units and findings; returns how to stop */
  subscribe(id: Identity, socket: Socket): () => void;
  log(message: string): void;
  maxOutstanding?: number;
  /** a connection that has not said who it is by then is closed (default 60 s) */
  authTimeoutMs?: number;
}

export class CotSession {
  private readonly parser = new CotStreamParser();
  private id: Identity | undefined;
  /** why this connection's events are not taken although it has authenticated (a role that does not report) */
  private receiveOnly: string | undefined;
  private readonly pipe: ReportPipe;
  private unsubscribe: (() => void) | undefined;
  private authTimer: NodeJS.Timeout | undefined;
  private readonly name: string;
  /** reports taken by the record from this connection */
  accepted = 0;

  constructor(
    private readonly socket: Socket,
    private readonly host: SessionHost,
    identity?: Identity,
  ) {
    this.name = `cot ${socket.remoteAddress}:${socket.remotePort}`;
    this.pipe = new ReportPipe({
      post: (reports) => host.post(this.id!.actor, reports),
      writable: () => host.writable(),
      log: (m) => this.log(m),
      pause: () => socket.pause(),
      resume: () => socket.resume(),
      maxOutstanding: host.maxOutstanding,
      accepted: (n) => {
        this.accepted += n;
      },
    });
    socket.on('data', (chunk: Buffer) => this.read(this.parser.pushBytes(chunk)));
    socket.on('end', () => {
      this.read(this.parser.end());
      // The device is done sending. Our side closes once all it sent is in the record (or
      // refused and logged): CoT has no acknowledgement, but this close is one.
      void this.pipe.idle().then(() => {
        this.unsubscribe?.();
        socket.end();
      });
    });
    socket.on('close', () => {
      clearTimeout(this.authTimer);
      this.unsubscribe?.();
    });
    socket.on('error', (e) => this.log(`connection error: ${e.message}`));
    if (identity) this.begin(identity);
    else {
      // A connection that never says who it is holds a socket and fills the log: it is closed.
      this.authTimer = setTimeout(() => {
        if (this.id || socket.destroyed) return;
        this.host.log(`${this.name}: no <auth> within ${(host.authTimeoutMs ?? 60_000) / 1000} s, connection closed`);
        socket.destroy();
      }, host.authTimeoutMs ?? 60_000);
      this.authTimer.unref();
    }
  }

  private log(message: string): void {
    const who = this.id ? ` ${this.id.actor.id}${this.id.device ? `/${this.id.device}` : ''}` : '';
    this.host.log(`${this.name}${who}: ${message}`);
  }

  private read(items: ReturnType<CotStreamParser['push']>): void {
    const reports: DeviceReport[] = [];
    for (const item of items) {
      if (item.kind === 'refused') this.log(item.refusal.message);
      else if (item.kind === 'auth') this.auth(item.auth);
      else if (!this.id)
        this.log(
          `event uid ${JSON.stringify(item.event.uid)} refused: the connection has not authenticated (send <auth><cot username password uid/></auth> first)`,
        );
      else if (this.receiveOnly) this.log(`event uid ${JSON.stringify(item.event.uid)} refused: ${this.receiveOnly}`);
      else {
        try {
          const r: DeviceReport = cotToReport(item.event, this.id.actor.id);
          // Set on the fresh object, not spread into a copy: copies made by spreading take
          // shapes that make every later read of the report (its check, its canonical
          // form) several times slower.
          if (this.id.device !== undefined) r.device = this.id.device;
          reports.push(r);
        } catch (e) {
          if (!(e instanceof CotReportError)) throw e;
          this.log(`${e.message}; refused`);
        }
      }
      // An auth refused ends the connection: nothing after it is read.
      if (this.socket.destroyed) return;
    }
    this.pipe.push(reports);
  }

  private auth(a: CotAuth): void {
    if (this.id) {
      this.log(`a second <auth> (username ${JSON.stringify(a.username)}) is ignored: the connection is already ${this.id.actor.id}'s`);
      return;
    }
    const r = this.host.authenticate(a);
    if ('refused' in r) {
      this.host.log(`${this.name}: <auth> refused, connection closed: ${r.refused}`);
      this.socket.destroy();
      return;
    }
    this.begin(r);
  }

  private begin(id: Identity): void {
    this.receiveOnly = this.host.cannotReport(id.actor);
    // An actor that reports needs a key the server holds; one that only receives does not.
    const cannot = this.receiveOnly === undefined ? this.host.cannotSign(id.actor) : undefined;
    if (cannot) {
      this.host.log(`${this.name}: ${id.actor.id} refused, connection closed: ${cannot}`);
      this.socket.destroy();
      return;
    }
    clearTimeout(this.authTimer);
    this.id = id;
    this.log(this.receiveOnly ? `authenticated, receiving only (${this.receiveOnly})` : 'authenticated');
    this.unsubscribe = this.host.subscribe(id, this.socket);
  }
}
