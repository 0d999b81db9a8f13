import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { ServiceConfig } from '../config/service-config.js';
import { UsageError } from './errors.js';
import type { JobContext } from '../jobs/context.js';
import { createQueues, QUEUE_PREFIX, type Queues, waitUntilIdle } from '../jobs/queues.js';
import { type RunningWorkers, startWorkers, type WorkerOptions } from '../jobs/workers.js';
import { createDeskpulseServer } from '../http/server.js';
import { type EmbeddedRedis, startEmbeddedRedis } from '../store/embedded-redis.js';
import { receiverConnection, redisOptions, workerConnection } from '../store/redis.js';

/** Structured logs on stderr. Never given secrets, headers or bodies. */
export function logger(quiet = false): JobContext['log'] {
  return (message, fields = {}) => {
    if (!quiet)
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), message, ...fields })}\n`);
  };
}

async function reachable(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // A stale marker points at a Redis that is gone: that is an answer, not an error to print.
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * `REDIS_URL` when set; otherwise the embedded default under `.deskpulse/`: a `serve` and a
 * `worker` started side by side find the same private redis-server through `.deskpulse/redis.json`.
 */
export async function resolveRedis(
  home = '.deskpulse',
): Promise<{ url: string; embedded: EmbeddedRedis | null }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, embedded: null };
  const folder = resolve(home);
  mkdirSync(folder, { recursive: true });
  const marker = join(folder, 'redis.json');
  if (existsSync(marker)) {
    const { url } = JSON.parse(readFileSync(marker, 'utf8')) as { url: string };
    if (await reachable(url)) return { url, embedded: null };
  }
  const embedded = await startEmbeddedRedis(join(folder, 'redis'));
  writeFileSync(marker, JSON.stringify({ url: embedded.url, pid: process.pid }));
  return { url: embedded.url, embedded };
}

export interface Service {
  url: string;
  redisUrl: string;
  server: Server | null;
  context: JobContext;
  workers: RunningWorkers | null;
  close(): Promise<void>;
}

export interface ServiceOptions {
  config: ServiceConfig;
  redisUrl: string;
  port?: number;
  host?: string;
  http?: boolean;
  workers?: boolean | WorkerOptions;
  queuePrefix?: string;
  now?: () => number;
  fetch?: typeof fetch;
  log?: JobContext['log'];
  bodyLimit?: number;
}

/** Start the server, the workers, or both, against one Redis. */
export async function startService(options: ServiceOptions): Promise<Service> {
  const log = options.log ?? logger();
  const prefix = options.queuePrefix ?? QUEUE_PREFIX;
  const redis = workerConnection(options.redisUrl);
  redis.on('error', (error: Error) => log('redis error', { error: error.message }));
  const queues: Queues = createQueues(redis, prefix);
  const context: JobContext = {
    config: options.config,
    redis,
    queues,
    now: options.now ?? Date.now,
    fetch: options.fetch ?? fetch,
    log,
  };
  let receiver: Redis | null = null;
  let receiverQueues: Queues | null = null;
  let server: Server | null = null;
  let url = '';
  if (options.http !== false) {
    receiver = receiverConnection(options.redisUrl);
    receiver.on('error', () => {});
    receiverQueues = createQueues(receiver, prefix);
    for (const queue of [receiverQueues.ingest, receiverQueues.compute, receiverQueues.link])
      queue.on('error', () => {});
    server = createDeskpulseServer({
      config: options.config,
      receiverRedis: receiver,
      receiverQueues,
      context,
      bodyLimit: options.bodyLimit,
    });
    await new Promise<void>((done, fail) => {
      (server as Server).once('error', (error: NodeJS.ErrnoException) =>
        fail(
          error.code === 'EADDRINUSE'
            ? new Error(`port ${options.port} is already in use (try --port)`)
            : error,
        ),
      );
      (server as Server).listen(options.port ?? 3000, options.host ?? '127.0.0.1', done);
    });
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}`;
  }
  let closing: Promise<void> | undefined;
  let workers: RunningWorkers | null = null;
  if (options.workers) {
    const workerOptions = typeof options.workers === 'object' ? options.workers : {};
    workers = startWorkers(context, redisOptions(options.redisUrl), { prefix, ...workerOptions });
    await workers.ready;
  }
  return {
    url,
    redisUrl: options.redisUrl,
    server,
    context,
    workers,
    // Closing twice (a second signal, a test) waits for the same close.
    close() {
      closing ??= (async () => {
        if (server) await new Promise<void>((done) => (server as Server).close(() => done()));
        if (workers) await workers.close();
        await queues.close();
        if (receiverQueues) await receiverQueues.close();
        receiver?.disconnect();
        redis.disconnect();
      })();
      return closing;
    },
  };
}

/**
 * For the one-off commands (backfill, import, forget): the service without HTTP on `REDIS_URL`,
 * else on the embedded Redis — whose queues nobody else would work, so its workers run here
 * (`embedded` tells the command) — stopped when `run` is done.
 */
export async function withService<T>(
  config: ServiceConfig,
  run: (service: Service, embedded: boolean) => Promise<T>,
): Promise<T> {
  const redis = await resolveRedis();
  const service = await startService({
    config,
    redisUrl: redis.url,
    http: false,
    workers: redis.embedded !== null,
    log: logger(true),
  });
  try {
    return await run(service, redis.embedded !== null);
  } finally {
    await shutdown(service, redis.embedded);
  }
}

/**
 * With the embedded Redis, the jobs a one-off command led to are worked here, to the end: no
 * worker elsewhere would (an hour at most).
 */
export async function workQueued(service: Service, embedded: boolean): Promise<void> {
  if (embedded) await waitUntilIdle(service.context.queues, 60 * 60_000);
}

/** A tenant of the config, or a usage error naming the ones it has. */
export function requireTenant(config: ServiceConfig, id: string): void {
  if (!config.tenants.has(id))
    throw new UsageError(
      `--tenant: no tenant "${id}" in the config (it has ${[...config.tenants.keys()].join(', ')})`,
    );
}

/** Close the service, let the workers' own blocking connections wind down, then stop the embedded Redis. */
export async function shutdown(service: Service, embedded: EmbeddedRedis | null): Promise<void> {
  await service.close();
  if (embedded) {
    await new Promise((done) => setTimeout(done, 100));
    await embedded.stop();
    // The marker names the Redis this process started: it is gone now.
    const marker = join(dirname(embedded.dir), 'redis.json');
    try {
      if ((JSON.parse(readFileSync(marker, 'utf8')) as { url?: string }).url === embedded.url) rmSync(marker);
    } catch {
      // No marker, or another process's: leave it.
    }
  }
}
