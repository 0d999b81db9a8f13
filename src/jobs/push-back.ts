import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from 'bullmq';
import { CONNECTORS } from '../connectors/registry.js';
import type { TicketValues } from '../connectors/types.js';
import type { TicketResult } from '../metrics/compute.js';
import { deleteUnchanged, tenantPrefix } from '../store/redis.js';
import type { JobContext } from './context.js';
import { jobId } from './queues.js';

/** Writes of one tenant gathered this long after the first change, then sent as one `update_many`. */
export const PUSH_DEBOUNCE_MS = 2000;
/** Tickets sent per push job (Zendesk's `update_many` takes up to 100). */
const BATCH = 100;
/**
 * A ticket the helpdesk refuses this many pushes in a row (deleted, closed, a value a field
 * rejects) leaves the pending list, until its values change again: kept, it would be sent with
 * every push, and a hundred of them would fill every batch.
 */
export const REFUSALS_BEFORE_DROP = 3;

/** The connector that owns a ticket key (`zendesk:42`, `freshdesk:7`) and can write onto it. */
function pusherOf(context: JobContext, tenant: string, ticket: string) {
  const source = ticket.slice(0, ticket.indexOf(':'));
  const connector = CONNECTORS[source];
  const settings = context.config.tenants.get(tenant)?.connectors.get(source);
  if (!connector?.pushBack || settings === undefined || !connector.pushesBack?.(settings)) return null;
  return { source, connector, settings };
}

/**
 * Where a tenant's values are written: each helpdesk that writes back, with its `push_back`
 * settings (fields, tags); '' when none does. When it changes (push-back turned on, a field
 * added or moved to another id), values already written went elsewhere or nowhere, so every
 * ticket's are due again (reconfigure.ts).
 */
export function pushFingerprint(connectors: ReadonlyMap<string, unknown>): string {
  const writing = [...connectors]
    .filter(([source, settings]) => {
      const connector = CONNECTORS[source];
      return connector?.pushBack !== undefined && connector.pushesBack?.(settings) === true;
    })
    .map(([source, settings]) => [source, (settings as { push_back?: unknown }).push_back ?? null])
    .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
  if (writing.length === 0) return '';
  return createHash('sha256').update(JSON.stringify(writing)).digest('hex').slice(0, 32);
}

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
  /** The recompute ran before: values it left pending may have no push scheduled. */
  rerun = false,
  /**
   * Push-back's settings changed (`pushFingerprint`): the values are sent whatever was written
   * or dropped before — that went to other fields, or the helpdesk may take it now.
   */
  repush = false,
): Promise<boolean> {
  const pusher = pusherOf(context, tenant, ticket);
  if (!pusher) return false;
  const prefix = tenantPrefix(tenant);
  if (pusher.connector.writableIn?.(result.metrics.status) === false) {
    // The helpdesk takes no more writes on it (a closed Zendesk ticket): what waited goes too.
    await clearPush(context, prefix, ticket);
    return false;
  }
  const runtime = context.config.tenants.get(tenant);
  const values = JSON.stringify(ticketValues(result, runtime?.config.business_hours !== undefined));
  if (repush) {
    await context.redis
      .multi()
      .hset(`${prefix}pushpending`, ticket, values)
      .hdel(`${prefix}pushrefused`, ticket)
      .hdel(`${prefix}pushdropped`, ticket)
      .exec();
    await schedulePush(context, tenant, rerun);
    return true;
  }
  const reply = await context.redis
    .multi()
    .hget(`${prefix}pushed`, ticket)
    .hget(`${prefix}pushpending`, ticket)
    .hget(`${prefix}pushdropped`, ticket)
    .exec();
  const [written, pending, dropped] = (reply ?? []).map(([, value]) => value as string | null);
  // The very values the helpdesk refused until they were dropped: not sent again (nor what
  // waited to replace them).
  if (values === dropped) {
    if (pending !== null) await context.redis.hdel(`${prefix}pushpending`, ticket);
    return false;
  }
  if (values === (pending ?? written)) {
    // Its first run may have left them pending and stopped before scheduling the push (the
    // debounce mark below set, the job not added): a push of its own (it finds them, or nothing).
    if (rerun && pending !== null) await schedulePush(context, tenant, true);
    return false;
  }
  if (values === written) {
    await clearPush(context, prefix, ticket);
    return false;
  }
  await context.redis.hset(`${prefix}pushpending`, ticket, values);
  await schedulePush(context, tenant, false);
  return true;
}

/** A ticket with nothing left to write: its pending values and its count of refusals go. */
async function clearPush(context: JobContext, prefix: string, ticket: string): Promise<void> {
  await context.redis
    .multi()
    .hdel(`${prefix}pushpending`, ticket)
    .hdel(`${prefix}pushrefused`, ticket)
    .hdel(`${prefix}pushdropped`, ticket)
    .exec();
}

/** The first pending change schedules the push; what changes meanwhile rides along with it. */
async function schedulePush(context: JobContext, tenant: string, always: boolean): Promise<void> {
  const mark = `${tenantPrefix(tenant)}pushscheduled`;
  if (always || (await context.redis.set(mark, '1', 'PX', PUSH_DEBOUNCE_MS * 30, 'NX')) === 'OK') {
    await context.queues.notify.add(
      'push-back',
      { tenant },
      { jobId: jobId('push', tenant, Date.now()), delay: PUSH_DEBOUNCE_MS },
    );
  }
}

/**
 * Send a tenant's pending values to the helpdesks they belong to, up to 100 tickets a job: Zendesk
 * in one `update_many` (its job followed), Freshdesk ticket by ticket.
 */
export async function processPushBack(job: Job, context: JobContext): Promise<string> {
  const tenant = String((job.data as { tenant?: unknown }).tenant ?? '');
  const prefix = tenantPrefix(tenant);
  // From here on, a new change schedules a new push.
  await context.redis.del(`${prefix}pushscheduled`);
  const pending = Object.entries(await context.redis.hgetall(`${prefix}pushpending`)).slice(0, BATCH);
  if (pending.length === 0) return 'nothing pending';
  const bySource = new Map<
    string,
    { pusher: NonNullable<ReturnType<typeof pusherOf>>; tickets: Array<{ id: string; values: TicketValues }> }
  >();
  const unconfigured: string[] = [];
  for (const [ticket, values] of pending) {
    const pusher = pusherOf(context, tenant, ticket);
    if (!pusher) {
      unconfigured.push(ticket);
      continue;
    }
    const entry = bySource.get(pusher.source) ?? { pusher, tickets: [] };
    entry.tickets.push({
      id: ticket.slice(pusher.source.length + 1),
      values: JSON.parse(values) as TicketValues,
    });
    bySource.set(pusher.source, entry);
  }
  // Settings changed since: those values have nowhere to go.
  if (unconfigured.length > 0) await context.redis.hdel(`${prefix}pushpending`, ...unconfigured);
  const io = {
    fetch: context.fetch,
    sleep,
  };
  const done = new Set<string>();
  const failed = new Map<string, string>();
  for (const [source, { pusher, tickets }] of bySource) {
    const result = await pusher.connector.pushBack!(pusher.settings, tickets, io);
    for (const id of result.updated) done.add(`${source}:${id}`);
    for (const { id, error } of result.failed) failed.set(`${source}:${id}`, error);
  }
  const written = pending.filter(([ticket]) => done.has(ticket));
  const refused = pending.filter(([ticket]) => failed.has(ticket));
  const write = context.redis.multi();
  if (written.length > 0) {
    write.hset(`${prefix}pushed`, Object.fromEntries(written));
    write.hdel(`${prefix}pushrefused`, ...written.map(([ticket]) => ticket));
    write.hdel(`${prefix}pushdropped`, ...written.map(([ticket]) => ticket));
  }
  write.hincrby(`${prefix}stats`, 'pushed_tickets', written.length);
  if (refused.length > 0) write.hincrby(`${prefix}stats`, 'push_failed', refused.length);
  await write.exec();
  let dropped: typeof refused = [];
  if (refused.length > 0) {
    const tally = context.redis.multi();
    for (const [ticket] of refused) tally.hincrby(`${prefix}pushrefused`, ticket, 1);
    const counts = (await tally.exec()) ?? [];
    dropped = refused.filter((_, i) => Number(counts[i]?.[1]) >= REFUSALS_BEFORE_DROP);
  }
  // Refused tickets stay pending for the next push, up to REFUSALS_BEFORE_DROP times in a row;
  // written ones leave unless they changed again.
  if (dropped.length > 0) {
    const tickets = dropped.map(([ticket]) => ticket);
    await context.redis
      .multi()
      .hdel(`${prefix}pushrefused`, ...tickets)
      .hset(`${prefix}pushdropped`, Object.fromEntries(dropped))
      .hincrby(`${prefix}stats`, 'push_dropped', dropped.length)
      .exec();
    for (const ticket of tickets)
      context.log('push-back refused, values dropped until they change', {
        tenant,
        ticket,
        error: failed.get(ticket),
      });
  }
  const left = await deleteUnchanged(context.redis, `${prefix}pushpending`, [...written, ...dropped]);
  if (left > refused.length - dropped.length) {
    await context.queues.notify.add(
      'push-back',
      { tenant },
      { jobId: jobId('push', tenant, 'more', Date.now()) },
    );
  }
  return `pushed ${written.length} tickets, ${refused.length} refused (${dropped.length} dropped)`;
}
