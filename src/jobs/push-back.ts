import type { Job } from 'bullmq';
import { ticketUpdate, type TicketValues, updateMany } from '../connectors/zendesk/push-back.js';
import type { ZendeskSettings } from '../connectors/zendesk/settings.js';
import type { TicketResult } from '../metrics/compute.js';
import { deleteUnchanged, tenantPrefix } from '../store/redis.js';
import type { JobContext } from './context.js';
import { jobId } from './queues.js';

/** Writes of one tenant gathered this long after the first change, then sent as one `update_many`. */
export const PUSH_DEBOUNCE_MS = 2000;
/** Zendesk's `update_many` takes up to 100 tickets. */
const BATCH = 100;

export function ticketValues(result: TicketResult, business: boolean): TicketValues {
  const m = result.metrics;
  const minutes = (measured: { calendar: number; business: number } | null) =>
    measured === null ? null : Math.round((business ? measured.business : measured.calendar) / 60);
  const sla = result.sla;
  const state: TicketValues['sla_state'] =
    sla.length === 0
      ? 'none'
      : sla.some((target) => target.status === 'breached')
        ? 'breached'
        : sla.some((target) => target.status === 'active' && target.atRisk)
          ? 'at_risk'
          : sla.some((target) => target.status === 'active' || target.status === 'paused')
            ? 'active'
            : 'met';
  return {
    first_response_minutes: minutes(m.firstResponse),
    resolution_minutes: minutes(m.fullResolution),
    contacts: m.contacts,
    calls_to_resolution: m.callsToResolution,
    fcr: m.fcr,
    sla_state: state,
  };
}

/**
 * After a recompute of a Zendesk ticket: if the values deskpulse writes on it changed since the
 * last write, mark them pending and ask for a (debounced) push. Values equal to what was written
 * cause nothing — which is also why deskpulse's own updates, coming back as webhooks, never
 * cause another write.
 */
export async function queuePushBack(
  context: JobContext,
  tenant: string,
  ticket: string,
  result: TicketResult,
): Promise<boolean> {
  if (!ticket.startsWith('zendesk:')) return false;
  const runtime = context.config.tenants.get(tenant);
  const settings = runtime?.connectors.get('zendesk') as ZendeskSettings | undefined;
  if (!settings?.push_back) return false;
  const values = JSON.stringify(ticketValues(result, runtime?.config.business_hours !== undefined));
  const prefix = tenantPrefix(tenant);
  const reply = await context.redis
    .multi()
    .hget(`${prefix}pushed`, ticket)
    .hget(`${prefix}pushpending`, ticket)
    .exec();
  const [written, pending] = (reply ?? []).map(([, value]) => value as string | null);
  if (values === (pending ?? written)) return false;
  if (values === written) {
    await context.redis.hdel(`${prefix}pushpending`, ticket);
    return false;
  }
  await context.redis.hset(`${prefix}pushpending`, ticket, values);
  // The first pending change schedules the push; what changes meanwhile rides along with it.
  if ((await context.redis.set(`${prefix}pushscheduled`, '1', 'PX', PUSH_DEBOUNCE_MS * 30, 'NX')) === 'OK') {
    await context.queues.notify.add(
      'push-back',
      { tenant },
      { jobId: jobId('push', tenant, Date.now()), delay: PUSH_DEBOUNCE_MS },
    );
  }
  return true;
}

/** Send a tenant's pending values to Zendesk, 100 tickets an `update_many`, following its job. */
export async function processPushBack(job: Job, context: JobContext): Promise<string> {
  const tenant = String((job.data as { tenant?: unknown }).tenant ?? '');
  const settings = context.config.tenants.get(tenant)?.connectors.get('zendesk') as
    ZendeskSettings | undefined;
  if (!settings?.push_back) return 'not configured';
  const prefix = tenantPrefix(tenant);
  // From here on, a new change schedules a new push.
  await context.redis.del(`${prefix}pushscheduled`);
  const pending = Object.entries(await context.redis.hgetall(`${prefix}pushpending`)).slice(0, BATCH);
  if (pending.length === 0) return 'nothing pending';
  const updates = pending.map(([ticket, values]) =>
    ticketUpdate(ticket.slice('zendesk:'.length), JSON.parse(values) as TicketValues, settings.push_back!),
  );
  const { updated, failed } = await updateMany(settings, updates, {
    fetch: context.fetch,
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
  });
  const done = new Set(updated.map(String));
  const written = pending.filter(([ticket]) => done.has(ticket.slice('zendesk:'.length)));
  const write = context.redis.multi();
  if (written.length > 0) write.hset(`${prefix}pushed`, Object.fromEntries(written));
  write.hincrby(`${prefix}stats`, 'pushed_tickets', written.length);
  if (failed.length > 0) write.hincrby(`${prefix}stats`, 'push_failed', failed.length);
  await write.exec();
  // Failed tickets stay pending for the next push; written ones leave unless they changed again.
  const left = await deleteUnchanged(context.redis, `${prefix}pushpending`, written);
  if (left > failed.length) {
    await context.queues.notify.add(
      'push-back',
      { tenant },
      { jobId: jobId('push', tenant, 'more', Date.now()) },
    );
  }
  return `pushed ${written.length} tickets, ${failed.length} failed`;
}
