// The CoT TLS port (`--cot-tls-port --cot-ca`): a device says who it is with a client
// certificate the deployment's CA signed, mapped by its common name to an actor and a
// device; no <auth> is needed. Certificates are made here with openssl.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import type { Finding } from '../src/monitor/findings.ts';
import { type CotListener, startCotListener } from '../src/server/cot/listener.ts';
import { readClientMap } from '../src/server/cot/tls-clients.ts';
import { AtakClient } from './helpers/atak.ts';
import { recordedReports } from './helpers/recorded-reports.ts';
import { json, STORY_START, startTestServer, type TestServer } from './helpers/server.ts';

const HOLES = new URL('../src/interop/testdata/holes.yaml', import.meta.url).pathname;
const API = '/api/arrangements/holes';
const T = (minute: number) => new Date(STORY_START - 30 * 60_000 + minute * 60_000).toISOString();

const dir = mkdtempSync(join(tmpdir(), 'detente-cot-tls-'));
const f = (name: string) => join(dir, name);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

/** A key and a certificate for CN, signed by the CA `ca` (or self-signed, a CA, when ca is undefined). */
function cert(name: string, cn: string, ca?: string, ext?: string): void {
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f(`${name}.key`));
  if (!ca) {
    openssl('req', '-x509', '-new', '-key', f(`${name}.key`), '-subj', `/CN=${cn}`, '-days', '2', '-out', f(`${name}.pem`));
    return;
  }
  openssl('req', '-new', '-key', f(`${name}.key`), '-subj', `/O=Test/CN=${cn}`, '-out', f(`${name}.csr`));
  const args = [
    'x509',
    '-req',
    '-in',
    f(`${name}.csr`),
    '-CA',
    f(`${ca}.pem`),
    '-CAkey',
    f(`${ca}.key`),
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    f(`${name}.pem`),
  ];
  if (ext) {
    writeFileSync(f(`${name}.ext`), ext);
    args.push('-extfile', f(`${name}.ext`));
  }
  openssl(...args);
}

let s: TestServer;
let cot: CotListener;
const lines: string[] = [];

before(async () => {
  cert('ca', 'Holes test CA');
  cert('server', 'localhost', 'ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  cert('b1', 'bravo-device-1', 'ca');
  cert('stranger', 'stranger', 'ca');
  cert('otherca', 'Another CA');
  cert('forged', 'bravo-device-1', 'otherca');
  writeFileSync(f('clients.json'), JSON.stringify({ 'bravo-device-1': { actor: 'b', device: 'ANDROID-b1' } }));
  s = await startTestServer({ web: false, source: loadArrangementSource(HOLES) });
  cot = await startCotListener({
    deployment: s.deployment,
    host: '127.0.0.1',
    log: (l) => lines.push(l),
    tls: {
      port: 0,
      ca: readFileSync(f('ca.pem')),
      cert: readFileSync(f('server.pem')),
      key: readFileSync(f('server.key')),
      clients: readClientMap(f('clients.json'), s.deployment.actors),
    },
  });
});

after(async () => {
  await cot.close();
  await s.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const tlsAs = (name: string, seed: number) =>
  AtakClient.connect(cot.tlsPort!, {
    seed,
    tls: { ca: readFileSync(f('ca.pem')), cert: readFileSync(f(`${name}.pem`)), key: readFileSync(f(`${name}.key`)), servername: 'localhost' },
  });

async function open(): Promise<Finding[]> {
  return json(await s.as('a', 'GET', `${API}/findings?open=true`), 200);
}

test('a mapped client certificate is its actor and device: positions land without <auth>, and zones come back', async () => {
  const c = await tlsAs('b1', 1);
  c.positions([
    { uid: 'b-1', time: T(0), lat: 32.5, lon: 36.2 },
    { uid: 'b-1', time: T(1), lat: 32.2, lon: 36.2 },
  ]);
  await c.until((evs) => evs.some((e) => e.type === 'u-d-f'), 60_000);
  await c.end();
  const p = (await open()).find((x) => x.rule === 'r-core-presence' && x.units?.includes('b-1'));
  assert.ok(p, 'b-1 in the core over TLS is a finding');
  const b1 = (await recordedReports(s, 'b', API)).filter((r) => r.unit === 'b-1');
  assert.deepEqual(
    b1.map((r) => r.device),
    ['ANDROID-b1', 'ANDROID-b1'],
    'the device the certificate maps to is named in the record',
  );
  assert.ok(
    lines.some((l) => /b\/ANDROID-b1: authenticated/.test(l)),
    lines.join('\n'),
  );
});

test('a certificate of the CA that the map does not name is refused', async () => {
  const c = await tlsAs('stranger', 2);
  c.positions([{ uid: 'b-2', time: T(2), lat: 32.2, lon: 36.2 }]);
  await c.closed;
  assert.ok(
    lines.some((l) => /CN="stranger" is not in the client map/.test(l)),
    lines.join('\n'),
  );
  assert.equal(
    (await open()).find((x) => x.units?.includes('b-2')),
    undefined,
  );
});

test('a certificate of another CA, with a mapped name, does not get through TLS', async () => {
  const size = s.deployment.log.size;
  const c = await tlsAs('forged', 3).catch((e: Error) => e);
  if (c instanceof AtakClient) {
    // TLS 1.3: the server's refusal of the certificate arrives after the client's handshake.
    c.positions([{ uid: 'b-3', time: T(3), lat: 32.2, lon: 36.2 }]);
    await c.closed;
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(s.deployment.log.size, size);
  assert.ok(
    lines.some((l) => /cot-tls .*refused/.test(l)),
    lines.join('\n'),
  );
});
