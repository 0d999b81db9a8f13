import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/cli/sample-data.js';
import { type Service, startService } from '../../src/cli/service.js';
import { compute, EventCollector } from '../../src/metrics/compute.js';
import { reportJson } from '../../src/metrics/output.js';
import { eventSchema } from '../../src/model/events.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { api, drained, EVENTS_SECRET, postEvents, startRedis, testConfig, TOKEN } from './harness.js';

let redis: EmbeddedRedis;
let service: Service;
const dir = mkdtempSync(join(tmpdir(), 'deskpulse-crash-'));
const configPath = join(dir, 'deskpulse.yaml');

beforeAll(async () => {
  redis = await startRedis();
  writeFileSync(
    configPath,
    JSON.stringify({
      tenants: [{ id: 'acme', api_tokens: [TOKEN], connectors: { events: { secret: EVENTS_SECRET } } }],
    }),
  );
  // The receiver only: the workers are a separate process, as in production.
  service = await startService({
    config: testConfig(),
    redisUrl: redis.url,
    port: 0,
    workers: false,
    log: () => {},
  });
});
afterAll(async () => {
  await service?.close();
  await redis?.stop();
});

describe('a worker killed mid-job', () => {
  it('its jobs are taken over by another worker and everything is counted once', async () => {
    const worker = spawn(process.execPath, [resolve('bin/deskpulse.js'), 'worker', '--config', configPath], {
      env: { ...process.env, REDIS_URL: redis.url, DESKPULSE_JOB_LOCK_MS: '1500' },
      stdio: 'ignore',
    });
    const events = [...generateSample({ tickets: 150, seed: 5 })].map((event) => eventSchema.parse(event));
    const lines = events.map((event) => JSON.stringify(event));
    for (let i = 0; i < lines.length; i += 50)
      expect((await postEvents(service, 'acme', lines.slice(i, i + 50))).status).toBe(202);

    // Kill it with -9 once it is working: no chance to finish or hand back its jobs.
    const queues = service.context.queues;
    let active = 0;
    for (let i = 0; i < 400 && active === 0; i += 1) {
      active = (await queues.compute.getActiveCount()) + (await queues.ingest.getActiveCount());
      if (active === 0) await new Promise((done) => setTimeout(done, 10));
    }
    worker.kill('SIGKILL');
    expect(active).toBeGreaterThan(0);
    await new Promise((done) => worker.once('exit', done));

    // The rescuer checks for stalled jobs often (the killed worker's 1.5 s locks expire soon) but
    // holds its own jobs' locks as long as production does: on a loaded machine (the whole suite
    // on two cores) 1.5 s locks of its own could lapse while it worked. (This test twice counted
    // 110 of 137 tickets: the killed ingest job had appended its events and died before
    // scheduling their recomputes, and its rerun found them all duplicates — now a rerun
    // schedules them again, see appendEvents' `retried`.)
    const rescuer = await startService({
      config: testConfig(),
      redisUrl: redis.url,
      http: false,
      workers: { lockDurationMs: 30_000, stalledIntervalMs: 500 },
      log: () => {},
    });
    try {
      const offline = () => {
        const collector = new EventCollector();
        for (const event of events) collector.add(structuredClone(event));
        return reportJson(compute(collector, testConfig().tenants.get('acme')!.config, Date.now()), {
          groupBy: 'none',
          from: null,
          to: null,
        });
      };
      // The killed worker's jobs come back once their locks expire; on a loaded machine (the
      // whole suite at once on two cores) that can take a while: poll, up to 30 s, for the
      // live report to catch up. Work lost or counted twice never does, and fails below.
      let expected = offline();
      let live = { status: 0, body: { groups: [{ resolved: -1 }] } } as Awaited<ReturnType<typeof api>>;
      for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
        await drained(rescuer);
        expected = offline();
        live = await api(service, '/api/v1/report?group_by=none');
        if (live.body.groups[0]?.resolved === expected.groups[0]?.resolved) break;
        await new Promise((done) => setTimeout(done, 500));
      }
      expect(live.body.groups[0].resolved).toBe(expected.groups[0]?.resolved);
      expect(live.body).toEqual({
        ...JSON.parse(JSON.stringify(expected)),
        identity: { unmapped_events: 0 },
      });
    } finally {
      await rescuer.close();
    }
  }, 90_000);
});
