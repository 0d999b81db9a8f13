import { exportPage, normalizeHistory, ticketAudits } from '../connectors/zendesk/history.js';
import type { ZendeskSettings } from '../connectors/zendesk/settings.js';
import { tenantPrefix } from '../store/redis.js';
import type { JobContext } from './context.js';
import { userDirectory } from './users.js';

export interface BackfillProgress {
  page: number;
  tickets: number;
  events: number;
}

/**
 * Pull Zendesk history through the incremental ticket export and each ticket's audits, and feed
 * it to the same ingest queue webhooks use. The export cursor is saved after every page that is
 * safely queued, so an interrupted backfill resumes where it stopped.
 */
export async function backfillZendesk(
  context: JobContext,
  tenant: string,
  since: Date,
  options: {
    restart?: boolean;
    sleep?: (ms: number) => Promise<void>;
    onProgress?: (progress: BackfillProgress) => void;
  } = {},
): Promise<BackfillProgress> {
  const settings = context.config.tenants.get(tenant)?.connectors.get('zendesk') as
    ZendeskSettings | undefined;
  if (!settings) throw new Error(`tenant "${tenant}" has no zendesk connector configured`);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const cursorKey = `${tenantPrefix(tenant)}backfill:zendesk`;
  const saved = options.restart ? null : await context.redis.get(cursorKey);
  const users = userDirectory(context, tenant, 'zendesk', settings);
  const progress: BackfillProgress = { page: 0, tickets: 0, events: 0 };
  let from: { cursor: string } | { start: number } = saved
    ? { cursor: saved }
    : { start: Math.floor(since.getTime() / 1000) };
  for (;;) {
    const page = await exportPage(settings, from, context.fetch, sleep);
    const lines: string[] = [];
    for (const ticket of page.tickets) {
      const audits = await ticketAudits(settings, ticket.id, context.fetch, sleep);
      for (const event of await normalizeHistory(ticket, audits, { tenant, users }))
        lines.push(JSON.stringify(event));
      progress.tickets += 1;
    }
    if (lines.length > 0) {
      await context.queues.ingest.add('backfill', {
        deliveries: [{ tenant, connector: 'events', body: lines.join('\n'), receivedAt: context.now() }],
      });
    }
    progress.page += 1;
    progress.events += lines.length;
    if (page.after_cursor) await context.redis.set(cursorKey, page.after_cursor);
    options.onProgress?.({ ...progress });
    if (page.end_of_stream || !page.after_cursor) return progress;
    from = { cursor: page.after_cursor };
  }
}
