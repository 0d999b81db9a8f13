import { SingleBar } from 'cli-progress';
import { backfillZendesk } from '../jobs/backfill.js';
import { UsageError } from './errors.js';
import { serviceConfig } from './serve-command.js';
import { logger, resolveRedis, shutdown, startService } from './service.js';

/** `deskpulse backfill zendesk --tenant ID --since DATE`: history through the incremental export. */
export async function runBackfill(
  provider: string,
  options: { tenant?: string; since?: string; config?: string; restart?: boolean },
): Promise<number> {
  if (provider !== 'zendesk')
    throw new UsageError(`backfill: no history connector "${provider}" (available: zendesk)`);
  if (!options.tenant) throw new UsageError('--tenant is required');
  const since = new Date(options.since ?? '');
  if (!options.since || Number.isNaN(since.getTime()))
    throw new UsageError(`--since: "${options.since ?? ''}" is not a date`);
  const config = serviceConfig(options.config);
  if (!config.tenants.get(options.tenant)?.connectors.get('zendesk')) {
    throw new UsageError(`--tenant: "${options.tenant}" has no zendesk connector in the config`);
  }
  const redis = await resolveRedis();
  // With the embedded Redis nobody else would process the queue: work it here too.
  const service = await startService({
    config,
    redisUrl: redis.url,
    http: false,
    workers: redis.embedded !== null,
    log: logger(true),
  });
  const bar = new SingleBar({
    format: 'zendesk backfill | page {page} | {tickets} tickets | {events} events queued',
    hideCursor: true,
  });
  bar.start(0, 0, { page: 0, tickets: 0, events: 0 });
  try {
    const done = await backfillZendesk(service.context, options.tenant, since, {
      restart: options.restart,
      onProgress: (progress) => bar.update(progress.tickets, progress),
    });
    bar.stop();
    process.stdout.write(
      `Queued ${done.events} events of ${done.tickets} tickets from ${done.page} export pages.\n`,
    );
    return 0;
  } finally {
    bar.stop();
    await shutdown(service, redis.embedded);
  }
}
