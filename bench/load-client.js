// A load generator in its own process (so it does not share the server's core):
//   node bench/load-client.js URL TOKEN BATCH SECONDS CONNECTIONS PREFIX [BODIES]
// POSTs report bodies (one report, or arrays of BATCH) over keep-alive connections
// for SECONDS and prints { requests, reports, seconds, p50_ms, p99_ms, errors } as JSON.
// With BODIES (a file of one JSON body a line, e.g. statements signed beforehand), it
// posts those lines in order instead, until they or the SECONDS run out.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [url, token, batchArg, secondsArg, connArg, prefix, bodiesFile] = process.argv.slice(2);
const bodies = bodiesFile ? readFileSync(bodiesFile, 'utf8').split('\n').filter(Boolean) : undefined;
let nextBody = 0;
const batch = Number(batchArg);
const seconds = Number(secondsArg);
const connections = Number(connArg);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });

let seq = 0;
function report() {
  const n = seq++;
  const lon = 35.7 + (n % 997) / 2000;
  const lat = 32.7 + (n % 991) / 1500;
  const t = new Date(Date.parse('2025-12-27T07:00:00Z') + n * 10).toISOString();
  return `{"type":"observation","id":"${prefix}-${n}","time":"${t}","source":"undof","unit":"${prefix}-u${n % 2000}","actor":"undof","position":[${lon.toFixed(5)},${lat.toFixed(5)}],"holdings":{"troops":${n % 40}}}`;
}
function body() {
  if (bodies) return bodies[nextBody++];
  if (batch === 1) return report();
  const parts = new Array(batch);
  for (let i = 0; i < batch; i++) parts[i] = report();
  return `[${parts.join(',')}]`;
}

const latencies = [];
let requests = 0;
let errors = 0;
let lastError = '';
const end = performance.now() + seconds * 1000;

function one() {
  return new Promise((resolve) => {
    const payload = body();
    const t0 = performance.now();
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          if (res.statusCode >= 300) {
            errors++;
            lastError = `${res.statusCode} ${text.slice(0, 200)}`;
          } else requests++;
          resolve();
        });
      },
    );
    req.on('error', (e) => {
      errors++;
      lastError = e.message;
      resolve();
    });
    req.end(payload);
  });
}

async function worker() {
  while (performance.now() < end && (!bodies || nextBody < bodies.length)) await one();
}

const t0 = performance.now();
await Promise.all(Array.from({ length: connections }, worker));
const elapsed = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
agent.destroy();
process.stdout.write(JSON.stringify({ requests, reports: requests * batch, seconds: elapsed, p50_ms: q(0.5), p99_ms: q(0.99), errors, lastError }) + '\n');
