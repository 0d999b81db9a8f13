// End-to-end benchmark: N events posted through the signed events webhook, until every one is
// reflected in the API's report (equal to deskpulse compute on the same events), with one and
// with two `deskpulse worker` processes.   npm run bench:e2e -- [--events 50000]
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { generateSample } from '../dist/cli/sample-data.js';
import { startService } from '../dist/cli/service.js';
import { loadServiceConfig } from '../dist/config/service-config.js';
import { compute, EventCollector } from '../dist/metrics/compute.js';
import { reportJson } from '../dist/metrics/output.js';
import { eventSchema } from '../dist/model/events.js';
import { startEmbeddedRedis } from '../dist/store/embedded-redis.js';
import { waitUntilIdle } from '../dist/jobs/queues.js';
import { expireTenant } from '../dist/jobs/expire.js';
import { Redis } from 'ioredis';
import { postSignedEvents } from './post-events.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { events: { type: 'string', default: '50000' } } });
const target = Number(values.events);
const dir = mkdtempSync(join(tmpdir(), 'deskpulse-e2e-'));
const secret = `whsec_${randomBytes(24).toString('base64')}`;
const token = `bench-${randomBytes(16).toString('hex')}`;
// The sample is from March 2026: every SLA breach and call case is long settled, so any present instant gives the same report.
const NOW = Date.now();
const configPath = join(dir, 'deskpulse.yaml');
writeFileSync(
  configPath,
  JSON.stringify({ tenants: [{ id: 'acme', api_tokens: [token], connectors: { events: { secret } } }] }),
);

const retentionPath = join(dir, 'deskpulse-retention.yaml');
writeFileSync(
  retentionPath,
  JSON.stringify({
    tenants: [{ id: 'acme', api_tokens: [token], connectors: { events: { secret } }, retention: '30d' }],
  }),
);

const lines = [];
for (const event of generateSample({ tickets: Math.ceil(target / 5), seed: 3 })) {
  lines.push(JSON.stringify(event));
  if (lines.length >= target && !event.ticket) break;
}
const collector = new EventCollector();
const ticketKeys = new Set();
for (const line of lines) {
  const event = eventSchema.parse(JSON.parse(line));
  collector.add(event);
  if (event.ticket) ticketKeys.add(event.ticket);
}
const config = loadServiceConfig(configPath);
const expected = JSON.stringify(
  reportJson(compute(collector, config.tenants.get('acme').config, NOW), {
    groupBy: 'agent',
    from: null,
    to: null,
  }),
);

async function run(workerCount) {
  const redis = await startEmbeddedRedis(join(dir, `redis-${workerCount}`));
  const receiver = await startService({
    config,
    redisUrl: redis.url,
    port: 0,
    workers: false,
    log: () => {},
  });
  const workers = Array.from({ length: workerCount }, () => startWorker(redis.url));
  await new Promise((done) => setTimeout(done, 1500));
  const client = new Redis(redis.url);
  const memoryBefore = await usedMemory(client);
  const started = Date.now();
  const batches = [];
  for (let i = 0; i < lines.length; i += 500) batches.push(`${lines.slice(i, i + 500).join('\n')}\n`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        await postSignedEvents(`${receiver.url}/webhooks/events/acme`, secret, batches[next++]);
      }
    }),
  );
  const posted = Date.now();
  let report = '';
  while (report !== expected) {
    await new Promise((done) => setTimeout(done, 250));
    report = await apiReport(receiver.url);
    if (Date.now() - started > 600_000) throw new Error('not all events were reflected within 10 minutes');
  }
  const seconds = (Date.now() - started) / 1000;
  const memory = { used: (await usedMemory(client)) - memoryBefore, ...(await memoryByKind(client)) };
  await stopAll(workers);
  let recompute = null;
  let expired = null;
  if (workerCount === 1) {
    // The tenant's settings changed: one worker started now recomputes every ticket (and relinks).
    await client.del('dp:{acme}:settings');
    const recomputeStarted = Date.now();
    const worker = startWorker(redis.url);
    while ((await client.get('dp:{acme}:settings')) === null)
      await new Promise((done) => setTimeout(done, 50));
    await waitUntilIdle(receiver.context.queues, 600_000);
    recompute = (Date.now() - recomputeStarted) / 1000;
    await stopAll([worker]);
    if ((await apiReport(receiver.url)) !== expected) throw new Error('the report changed when recomputed');
    // A retention of 30 days, a year after the sample: everything resolved goes.
    const retained = loadServiceConfig(retentionPath);
    const expireStarted = Date.now();
    const removed = await expireTenant(
      { ...receiver.context, config: retained, now: () => Date.parse('2027-03-20T00:00:00Z') },
      'acme',
    );
    expired = { seconds: (Date.now() - expireStarted) / 1000, removed, memory: await memoryByKind(client) };
  }
  client.disconnect();
  await receiver.close();
  await redis.stop();
  return { seconds, postSeconds: (posted - started) / 1000, memory, recompute, expired };
}

/** The API's report by agent, as `deskpulse compute` writes it (without the identity counts). */
async function apiReport(url) {
  const response = await fetch(`${url}/api/v1/report?group_by=agent`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const { identity: _identity, ...body } = await response.json();
  return JSON.stringify(body);
}

function startWorker(redisUrl) {
  return spawn(process.execPath, [join(root, 'bin/deskpulse.js'), 'worker', '--config', configPath], {
    env: { ...process.env, REDIS_URL: redisUrl },
    stdio: 'ignore',
  });
}

async function stopAll(workers) {
  const exited = workers.map((worker) => new Promise((done) => worker.once('exit', done)));
  for (const worker of workers) worker.kill('SIGTERM');
  await Promise.all(exited);
}

/** Redis's `used_memory`: what its data takes (less than the process's resident size). */
async function usedMemory(client) {
  return Number(/^used_memory:(\d+)/m.exec(await client.info('memory'))[1]);
}

/**
 * `MEMORY USAGE` of every key, summed for the tenants' data (`dp:…`) and for the queues (the
 * rest); `seen` (part of the data) is the event ids, which a retention keeps.
 */
async function memoryByKind(client) {
  const sums = { data: 0, queues: 0, seen: 0 };
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'COUNT', 1000);
    cursor = next;
    const pipeline = client.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    const results = await pipeline.exec();
    keys.forEach((key, i) => {
      const bytes = Number(results[i][1] ?? 0);
      sums[key.startsWith('dp:') ? 'data' : 'queues'] += bytes;
      if (key.startsWith('dp:') && key.endsWith(':seen')) sums.seen += bytes;
    });
  } while (cursor !== '0');
  return sums;
}

console.log(
  `end to end — node ${process.version}: ${lines.length.toLocaleString('en-US')} events in ${Math.ceil(lines.length / 500)} signed deliveries of 500, until the API report equals deskpulse compute`,
);
for (const workers of [1, 2]) {
  const { seconds, postSeconds, memory, recompute, expired } = await run(workers);
  console.log(
    `${workers} worker process${workers > 1 ? 'es' : ''}: ${seconds.toFixed(1)} s = ${Math.round(lines.length / seconds).toLocaleString('en-US')} events/s end to end (posting took ${postSeconds.toFixed(1)} s; goal ≥ 5,000 events/s with one worker)`,
  );
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const per = (bytes, n) => Math.round(bytes / n).toLocaleString('en-US');
  console.log(
    `  Redis: used_memory +${mib(memory.used)}; the tenant's data ${mib(memory.data)} = ${per(memory.data, lines.length)} bytes an event, ${per(memory.data, ticketKeys.size)} a ticket (${ticketKeys.size.toLocaleString('en-US')} tickets), of which the event ids (\`seen\`, kept by a retention) ${per(memory.seen, lines.length)} bytes an event; the queues ${mib(memory.queues)} (jobs kept after they are done)`,
  );
  if (recompute !== null)
    console.log(
      `  after a change of the tenant's settings, a worker started then recomputed every ticket in ${recompute.toFixed(1)} s (the same report after) = ${Math.round(ticketKeys.size / recompute).toLocaleString('en-US')} tickets/s (its start included)`,
    );
  if (expired !== null) {
    const { removed } = expired;
    console.log(
      `  a retention of 30 days a year later removed ${removed.tickets.toLocaleString('en-US')} resolved tickets, ${removed.calls.toLocaleString('en-US')} ticketless calls and ${removed.surveys.toLocaleString('en-US')} surveys in ${expired.seconds.toFixed(1)} s = ${Math.round(removed.tickets / expired.seconds).toLocaleString('en-US')} tickets/s; the tenant's data then ${mib(expired.memory.data)}, the event ids (\`seen\`) ${mib(expired.memory.seen)} of it`,
    );
  }
}
