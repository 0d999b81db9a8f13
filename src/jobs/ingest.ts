import type { Job } from 'bullmq';
import { z } from 'zod';
import { IdentityMap } from '../config/identity.js';
import { CONNECTORS } from '../connectors/registry.js';
import type { TenantConfig } from '../model/config.js';
import type { NormalizedEvent } from '../model/events.js';
import { tenantPrefix } from '../store/redis.js';
import { appendEvents } from '../store/timelines.js';
import type { JobContext } from './context.js';
import { enqueueCompute, enqueueLink } from './enqueue.js';
import { userDirectory } from './users.js';

/** One ingest job carries a micro-batch of verified deliveries, acknowledged together. */
export const deliverySchema = z.object({
  tenant: z.string(),
  connector: z.string(),
  body: z.string(),
  receivedAt: z.number(),
});
export const ingestJobSchema = z.object({ deliveries: z.array(deliverySchema).min(1) });
export type Delivery = z.output<typeof deliverySchema>;

const identityMaps = new WeakMap<TenantConfig, IdentityMap>();
function identityMap(tenant: TenantConfig): IdentityMap {
  let map = identityMaps.get(tenant);
  if (!map) {
    map = new IdentityMap(tenant);
    identityMaps.set(tenant, map);
  }
  return map;
}

/** Normalise every delivery with its connector, append the events, then schedule recomputes. */
export async function processIngest(
  job: Job,
  context: JobContext,
): Promise<{ events: number; duplicates: number }> {
  const { deliveries } = ingestJobSchema.parse(job.data);
  // Per tenant: its events, and the deliveries and events worth counting in its stats.
  const byTenant = new Map<string, { events: NormalizedEvent[]; ignored: number; unmapped: number }>();
  for (const delivery of deliveries) {
    const tenant = context.config.tenants.get(delivery.tenant);
    const connector = CONNECTORS[delivery.connector];
    const settings = tenant?.connectors.get(delivery.connector);
    // Normalised events need no settings: backfills queue them for tenants without an events webhook.
    if (!tenant || !connector || (settings === undefined && delivery.connector !== 'events')) {
      context.log('delivery for a tenant or connector no longer configured: dropped', {
        tenant: delivery.tenant,
        connector: delivery.connector,
      });
      continue;
    }
    const parsed = connector.parse(Buffer.from(delivery.body, 'utf8'));
    if (!parsed.ok) {
      context.log('delivery no longer parses: dropped', { tenant: delivery.tenant, reason: parsed.reason });
      continue;
    }
    const events = await connector.normalize(
      parsed.payload,
      {
        tenant: delivery.tenant,
        users: userDirectory(context, delivery.tenant, delivery.connector, settings),
      },
      settings,
    );
    const batch = byTenant.get(delivery.tenant) ?? { events: [], ignored: 0, unmapped: 0 };
    if (events.length === 0) batch.ignored += 1;
    const identities = identityMap(tenant.config);
    for (const event of events) {
      const mapped = identities.apply({ ...event, tenant: delivery.tenant });
      if (mapped.unmapped) batch.unmapped += 1;
      batch.events.push(mapped.event);
    }
    byTenant.set(delivery.tenant, batch);
  }
  let total = 0;
  let duplicates = 0;
  for (const [tenant, { events, ignored, unmapped }] of byTenant) {
    const appended = await appendEvents(context.redis, tenant, events);
    total += events.length;
    duplicates += appended.duplicates;
    await enqueueCompute(context, tenant, appended.tickets);
    if (appended.linkVersion > 0) await enqueueLink(context, tenant, appended.linkVersion);
    const key = `${tenantPrefix(tenant)}stats`;
    const stats = context.redis.multi().hincrby(key, 'events', events.length - appended.duplicates);
    if (appended.duplicates > 0) stats.hincrby(key, 'duplicates', appended.duplicates);
    if (ignored > 0) stats.hincrby(key, 'ignored_deliveries', ignored);
    if (unmapped > 0) stats.hincrby(key, 'unmapped_events', unmapped);
    await stats.exec();
  }
  return { events: total, duplicates };
}
