import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { generateSample } from '../../src/cli/sample-data.js';
import type { Service } from '../../src/cli/service.js';
import { IMPORT_BATCH, importEvents } from '../../src/jobs/import.js';
import { QUEUE_PREFIX } from '../../src/jobs/queues.js';
import { compute, EventCollector } from '../../src/metrics/compute.js';
import { reportJson } from '../../src/metrics/output.js';
import { eventSchema } from '../../src/model/events.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { deskpulse } from '../cli/run-cli.js';
import { api, drained, EVENTS_SECRET, serviceForFile, testConfig, TOKEN } from './harness.js';

let redis: EmbeddedRedis;
let service: Service;
const NOW = Date.parse('2026-04-01T12:00:00Z');

serviceForFile(
  () => ({ now: () => NOW }),
  (started, startedRedis) => {
    service = started;
    redis = startedRedis;
  },
);

const events = [...generateSample({ tickets: 500, seed: 5 })].map((event) => eventSchema.parse(event));
const lines = events.map((event) => JSON.stringify(event));

describe('importing normalised events', () => {
  it('queues every good line in batches, skips bad lines and other tenants by number, and equals compute', async () => {
    expect(lines.length).toBeGreaterThan(2 * IMPORT_BATCH);
    const bad = ['{"id":"x-1","type":"message"}', 'not json'];
    const other = JSON.stringify({ ...events[0], id: 'other-1', tenant: 'globex' });
    const text = [...lines.slice(0, 100), bad[0], ...lines.slice(100), bad[1], other].join('\n');
    const errors: number[] = [];
    const summary = await importEvents(service.context, 'acme', Readable.from([text]), {
      onError: (error) => errors.push(error.line),
    });
    expect(summary).toEqual({ lines: lines.length + 3, queued: lines.length, errors: 2, otherTenants: 1 });
    expect(errors).toEqual([101, lines.length + 2]);
    const jobs = await service.context.queues.ingest.getJobs(['completed', 'waiting', 'active']);
    expect(jobs.filter((job) => job.name === 'import')).toHaveLength(Math.ceil(lines.length / IMPORT_BATCH));
    await drained(service);

    const collector = new EventCollector();
    for (const event of events) collector.add(structuredClone(event));
    const expected = reportJson(compute(collector, testConfig().tenants.get('acme')!.config, NOW), {
      groupBy: 'team',
      from: null,
      to: null,
    });
    const live = await api(service, '/api/v1/report?group_by=team');
    expect(live.body).toEqual({ ...JSON.parse(JSON.stringify(expected)), identity: { unmapped_events: 0 } });

    // The same file again: every event is a duplicate, nothing changes.
    const again = await importEvents(service.context, 'acme', Readable.from([lines.join('\n')]));
    expect(again.queued).toBe(lines.length);
    await drained(service);
    expect((await api(service, '/api/v1/report?group_by=team')).body).toEqual(live.body);
  });

  it('deskpulse import: into the Redis of REDIS_URL; --strict queues nothing when a line is bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskpulse-import-'));
    const config = join(dir, 'deskpulse.json');
    writeFileSync(
      config,
      JSON.stringify({
        tenants: [{ id: 'acme', api_tokens: [TOKEN], connectors: { events: { secret: EVENTS_SECRET } } }],
      }),
    );
    const good = join(dir, 'good.ndjson');
    writeFileSync(good, `${lines.slice(0, 30).join('\n')}\n`);
    const flawed = join(dir, 'flawed.ndjson');
    writeFileSync(flawed, `${lines.slice(0, 30).join('\n')}\n{"id":"x"}\n`);
    const env = { REDIS_URL: redis.url };
    // The command's queue is the production one ({deskpulse}); no worker takes from it here.
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('ingest', { connection, prefix: QUEUE_PREFIX });
    try {
      const strict = await deskpulse(
        ['import', '--config', config, '--tenant', 'acme', '--events', flawed, '--strict'],
        { env },
      );
      expect(strict.code).toBe(2);
      expect(strict.stderr).toContain('line 31: ');
      expect(strict.stderr).toContain('--strict: nothing imported');
      expect(await queue.getWaitingCount()).toBe(0);

      const done = await deskpulse(['import', '--config', config, '--tenant', 'acme', '--events', good], {
        env,
      });
      expect(done.stdout).toBe('Queued 30 events for acme.\n');
      expect(done.code).toBe(0);
      const [job] = await queue.getWaiting();
      expect(job?.name).toBe('import');
      expect(
        (job?.data as { deliveries: Array<{ body: string }> }).deliveries[0]!.body.split('\n'),
      ).toHaveLength(30);

      const stdin = await deskpulse(['import', '--config', config, '--tenant', 'nobody', '--events', '-'], {
        env,
        stdin: '',
      });
      expect(stdin.code).toBe(2);
      expect(stdin.stderr).toContain('--tenant: no tenant "nobody" in the config (it has acme)');
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});
