import { ConfigError } from '../model/config-text.js';
import { loadServiceConfig, type ServiceConfig } from '../config/service-config.js';
import { UsageError } from './errors.js';
import { positiveInteger } from './generate-command.js';
import { logger, resolveRedis, shutdown, startService } from './service.js';

export function serviceConfig(path: string | undefined): ServiceConfig {
  const file = path ?? process.env.DESKPULSE_CONFIG;
  if (!file) throw new UsageError('--config (or DESKPULSE_CONFIG) must name the tenants file');
  try {
    return loadServiceConfig(file);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${file}:\n  ${error.problems.join('\n  ')}`);
    throw error;
  }
}

function untilSignal(): Promise<string> {
  return new Promise((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
}

/** How long a graceful stop may take before the process exits anyway (Redis gone, a job stuck). */
const SHUTDOWN_GRACE_MS = 30_000;

/** Stop gracefully, but within the grace period, and at once on a second signal. */
async function stopWithin(log: ReturnType<typeof logger>, stop: () => Promise<void>): Promise<void> {
  const force = (reason: string) => {
    log('shutdown cut short', { reason });
    process.exit(1);
  };
  const timer = setTimeout(() => force(`not done after ${SHUTDOWN_GRACE_MS / 1000} s`), SHUTDOWN_GRACE_MS);
  const again = () => force('a second signal');
  process.once('SIGINT', again);
  process.once('SIGTERM', again);
  try {
    await stop();
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', again);
    process.off('SIGTERM', again);
  }
}

/** `deskpulse serve`: the webhook receiver and API; with the embedded Redis, the workers too. */
export async function runServe(options: {
  config?: string;
  port?: string;
  host?: string;
  workers?: boolean;
}): Promise<number> {
  const config = serviceConfig(options.config);
  const port = positiveInteger('--port', options.port ?? process.env.PORT ?? '3000');
  const redis = await resolveRedis();
  const log = logger();
  const service = await startService({
    config,
    redisUrl: redis.url,
    port,
    host: options.host ?? '0.0.0.0',
    workers: options.workers ?? redis.embedded !== null,
    log,
  });
  log('serving', {
    url: service.url,
    port,
    workers: service.workers !== null,
    redis: redis.embedded ? 'embedded' : 'REDIS_URL',
  });
  const signal = await untilSignal();
  log('shutting down', { signal });
  await stopWithin(log, () => shutdown(service, redis.embedded));
  return 0;
}

/** `deskpulse worker`: the BullMQ workers; SIGTERM finishes the jobs in hand first. */
export async function runWorker(options: { config?: string }): Promise<number> {
  const config = serviceConfig(options.config);
  const redis = await resolveRedis();
  const log = logger();
  const lockMs = Number(process.env.DESKPULSE_JOB_LOCK_MS ?? 30_000);
  if (!Number.isFinite(lockMs) || lockMs < 500)
    throw new UsageError('DESKPULSE_JOB_LOCK_MS must be at least 500');
  const service = await startService({
    config,
    redisUrl: redis.url,
    http: false,
    workers: { lockDurationMs: lockMs, stalledIntervalMs: Math.min(30_000, lockMs) },
    log,
  });
  log('working', { redis: redis.embedded ? 'embedded' : 'REDIS_URL' });
  const signal = await untilSignal();
  log('finishing the jobs in hand', { signal });
  await stopWithin(log, () => shutdown(service, redis.embedded));
  return 0;
}
