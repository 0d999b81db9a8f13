import { SingleBar } from 'cli-progress';
import { backfill, HISTORY_PROVIDERS } from '../jobs/backfill.js';
import { CONNECTORS } from '../connectors/registry.js';
import { tenantZone } from '../model/config.js';
import { instantIn } from '../model/period.js';
import { UsageError } from './errors.js';
import { serviceConfig } from './serve-command.js';
import { withService } from './service.js';

/** `deskpulse backfill zendesk --tenant ID --since DATE`: history through the incremental export. */
export async function runBackfill(
  provider: string,
  options: { tenant?: string; since?: string; config?: string; restart?: boolean },
): Promise<number> {
  if (!HISTORY_PROVIDERS.includes(provider))
    throw new UsageError(
      `backfill: no history connector "${provider}" (available: ${HISTORY_PROVIDERS.join(', ')})`,
    );
  if (!options.tenant) throw new UsageError('--tenant is required');
  const config = serviceConfig(options.config);
  const tenant = config.tenants.get(options.tenant);
  if (!tenant?.connectors.get(provider)) {
    throw new UsageError(`--tenant: "${options.tenant}" has no ${provider} connector in the config`);
  }
  // A date or a time without an offset is the tenant's wall clock, as for `compute --from`.
  const sinceMs = instantIn(options.since ?? '', tenantZone(tenant.config));
  if (sinceMs === null)
    throw new UsageError(`--since: "${options.since ?? ''}" is not an ISO-8601 date or instant`);
  const since = new Date(sinceMs);
  const unit = CONNECTORS[provider]?.history?.unit ?? 'items';
  return withService(config, async (service) => {
    const bar = new SingleBar({
      format: `${provider} backfill | page {page} | {items} ${unit} | {events} events queued`,
      hideCursor: true,
    });
    bar.start(0, 0, { page: 0, items: 0, events: 0 });
    try {
      const done = await backfill(service.context, options.tenant as string, provider, since, {
        restart: options.restart,
        onProgress: (progress) => bar.update(progress.items, progress),
      });
      bar.stop();
      process.stdout.write(
        `Queued ${done.events} events of ${done.items} ${unit} from ${done.page} pages.\n`,
      );
      return 0;
    } finally {
      bar.stop();
    }
  });
}
