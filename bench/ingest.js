// Webhook ingest benchmark: req/s and p99 at 50 connections with a ~1 KB signed Zendesk payload.
//   npm run bench:ingest -- [--seconds 10]
// (a) bare node:http 204, (b) naive express + body parser + one queue.add per request,
// (c) deskpulse's webhook endpoint (verified on the raw bytes, durably enqueued). Each server
// runs in its own process; the load generator runs here, beside them on the same 2 cores.
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sign } from '../dist/connectors/zendesk/signature.js';
import { freePort, startEmbeddedRedis } from '../dist/store/embedded-redis.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);
const SECRET = 'bench-signing-secret';

const dir = mkdtempSync(join(tmpdir(), 'deskpulse-bench-'));
const configPath = join(dir, 'deskpulse.yaml');
writeFileSync(
  configPath,
  JSON.stringify({
    tenants: [
      {
        id: 'acme',
        connectors: {
          zendesk: { subdomain: 'acme', email: 'api@acme.test', api_token: 'x', signing_secret: SECRET },
        },
      },
    ],
  }),
);

// A realistic ~1 KB Zendesk comment_added delivery.
const body = JSON.stringify({
  account_id: 22129848,
  detail: {
    actor_id: '8447388090495',
    assignee_id: '8447388090495',
    brand_id: '8447346621310',
    created_at: '2026-03-03T14:00:00Z',
    custom_status: '8447320465790',
    description: 'Customer is experiencing login issues with the mobile app after the update',
    external_id: null,
    form_id: '8646151517822',
    group_id: '8447320466430',
    id: '5158',
    is_public: true,
    organization_id: '8447346622462',
    priority: 'HIGH',
    requester_id: '8447388090494',
    status: 'OPEN',
    subject: 'Cannot login to mobile app',
    submitter_id: '8447388090494',
    tags: ['mobile', 'login'],
    type: 'PROBLEM',
    updated_at: '2026-03-03T14:25:00Z',
    via: { channel: 'email' },
  },
  event: {
    comment: {
      id: '9876543210',
      body: 'We are investigating this issue and will update you shortly. Thank you for your patience.',
      is_public: true,
      author: { id: '8447388090495', is_staff: true, name: 'Support Agent' },
    },
  },
  id: 'd4f5c389-8f4a-4c2e-a1b9-8e4f39c71d52',
  subject: 'zen:ticket:5158',
  time: '2026-03-03T14:25:00.123456789Z',
  type: 'zen:event-type:ticket.comment_added',
  zendesk_event_version: '2022-11-06',
});

function start(script, args) {
  return new Promise((done, fail) => {
    const child = fork(join(root, script), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', () => done(child));
    child.once('exit', (code) => fail(new Error(`${script} exited with ${code}`)));
  });
}

async function load(port) {
  const timestamp = new Date().toISOString();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhooks/zendesk/acme`,
    connections: 50,
    duration: seconds,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature-timestamp': timestamp,
      'x-zendesk-webhook-signature': sign(SECRET, timestamp, body),
    },
    body,
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  };
}

const redis = await startEmbeddedRedis(join(dir, 'redis'));
const admin = new Redis(redis.url);
const results = {};
try {
  for (const [name, script, args] of [
    ['a', 'bench/servers/bare.js', []],
    ['b', 'bench/servers/naive.js', [redis.url]],
    ['c', 'bench/servers/deskpulse.js', [redis.url, configPath]],
  ]) {
    await admin.flushall();
    const port = await freePort();
    const child = await start(script, [String(port), ...args]);
    await load(port); // warm-up, not counted
    await admin.flushall();
    results[name] = await load(port);
    child.kill();
    if (name === 'c') {
      // Every 202 must stand for a delivery inside an ingest job in Redis.
      const queue = new Queue('ingest', {
        connection: { host: '127.0.0.1', port: redis.port },
        prefix: '{bench}',
      });
      const jobs = await queue.getJobs(['waiting'], 0, -1);
      results.c.queued = jobs.reduce((sum, job) => sum + job.data.deliveries.length, 0);
      results.c.jobs = jobs.length;
      await queue.close();
    }
  }
} finally {
  admin.disconnect();
  await redis.stop();
}
const label = {
  a: '(a) bare node:http 204',
  b: '(b) express + body parser + queue.add',
  c: '(c) deskpulse webhook endpoint',
};
console.log(
  `webhook ingest — node ${process.version}, 50 connections, ${seconds} s, ${Buffer.byteLength(body)} B signed Zendesk payload`,
);
for (const [key, r] of Object.entries(results)) {
  console.log(
    `${label[key].padEnd(40)} ${Math.round(r.rps).toLocaleString('en-US').padStart(7)} req/s   p99 ${String(r.p99).padStart(4)} ms   non-2xx ${r.non2xx}, errors ${r.errors}`,
  );
}
console.log(
  `(c) answered ${results.c.total - results.c.non2xx} × 202; ${results.c.queued} deliveries found queued in Redis, in ${results.c.jobs} ingest jobs`,
);
console.log(
  `c/a ${(results.c.rps / results.a.rps).toFixed(2)}   c/b ${(results.c.rps / results.b.rps).toFixed(2)}   (goals: c ≥ 10,000 req/s, p99 ≤ 20 ms, c/b ≥ 3)`,
);
