import { setTimeout as wait } from 'node:timers/promises';
import { CONNECTORS } from '../connectors/registry.js';
import { tenantPrefix } from '../store/redis.js';
import type { JobContext } from './context.js';
import { enqueueEvents } from './enqueue.js';
import { userDirectory } from './users.js';

export interface BackfillProgress {
  page: number;
  items: number;
  events: number;
}

/** Providers whose history `deskpulse backfill` can pull. */
export const HISTORY_PROVIDERS = Object.values(CONNECTORS)
  .filter((connector) => connector.history)
  .map((connector) => connector.id);

/**
 * Pull a provider's history page by page and feed it to the same ingest queue webhooks use. The
 * cursor is saved after every page that is safely queued, so an interrupted backfill resumes
 * where it stopped, and a later one continues from the last page.
 */
export async function backfill(
  context: JobContext,
  tenant: string,
  provider: string,
  since: Date,
  options: {
    restart?: boolean;
    sleep?: (ms: number) => Promise<void>;
    onProgress?: (progress: BackfillProgress) => void;
  } = {},
): Promise<BackfillProgress> {
  const connector = CONNECTORS[provider];
  const tenantConfig = context.config.tenants.get(tenant);
  const settings = tenantConfig?.connectors.get(provider);
  if (!connector?.history) throw new Error(`no history connector "${provider}"`);
  if (settings === undefined) throw new Error(`tenant "${tenant}" has no ${provider} connector configured`);
  const sleep = options.sleep ?? wait;
  const cursorKey = `${tenantPrefix(tenant)}backfill:${provider}`;
  const saved = options.restart ? null : await context.redis.get(cursorKey);
  const progress: BackfillProgress = { page: 0, items: 0, events: 0 };
  const pages = connector.history.pages(
    settings,
    { since, cursor: saved },
    {
      tenant,
      users: userDirectory(context, tenant, provider, settings),
      defaultCountry: tenantConfig?.config.default_country,
      fetch: context.fetch,
      sleep,
      now: context.now,
    },
  );
  for await (const page of pages) {
    if (page.events.length > 0) await enqueueEvents(context, tenant, 'backfill', page.events);
    progress.page += 1;
    progress.items += page.items;
    progress.events += page.events.length;
    if (page.cursor) await context.redis.set(cursorKey, page.cursor);
    options.onProgress?.({ ...progress });
    if (page.done) break;
  }
  return progress;
}
