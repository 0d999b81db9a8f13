import type { Job } from 'bullmq';
import { z } from 'zod';
import { IdentityMap, IdentityResolver } from '../config/identity.js';
import { CONNECTORS } from '../connectors/registry.js';
import type { TenantConfig } from '../model/config.js';
import type { TimedCall } from '../metrics/linking.js';
import { callMeasure, surveyMeasure } from '../metrics/measures.js';
import { timed } from '../metrics/timeline.js';
import type { NormalizedEvent, SurveyEvent } from '../model/events.js';
import { redisScratchPad } from '../store/scratch.js';
import { appendEvents } from '../store/timelines.js';
import type { NormalizeContext } from '../connectors/types.js';
import type { JobContext } from './context.js';
import { jobId, startedBefore } from './queues.js';
import { enqueueCompute, enqueueLink } from './enqueue.js';
import { userDirectory } from './users.js';

/** One ingest job carries a micro-batch of verified deliveries, acknowledged together. */
export const deliverySchema = z.object({
  tenant: z.string(),
  connector: z.string(),
  body: z.string(),
  receivedAt: z.number(),
  /** A connector's deferred decision (`ScratchPad` record key) rather than a provider payload. */
  finalize: z.string().optional(),
});
export const ingestJobSchema = z.object({ deliveries: z.array(deliverySchema).min(1) });
export type Delivery = z.output<typeof deliverySchema>;

/**
 * Each tenant's identity resolver, kept for the life of the process (per job context) so that
 * its cache of agent e-mails lasts beyond one delivery.
 */
const resolvers = new WeakMap<JobContext, Map<string, IdentityResolver>>();
function identityResolver(context: JobContext, tenant: string, config: TenantConfig): IdentityResolver {
  let byTenant = resolvers.get(context);
  if (!byTenant) {
    byTenant = new Map();
    resolvers.set(context, byTenant);
  }
  let resolver = byTenant.get(tenant);
  if (!resolver) {
    const connectors = context.config.tenants.get(tenant)?.connectors;
    // Agent e-mails through the directory of each connector the tenant has configured.
    resolver = new IdentityResolver(new IdentityMap(config), (source) => {
      const connector = CONNECTORS[source];
      if (!connector || !connectors?.has(source)) return null;
      return {
        directory: userDirectory(context, tenant, source, connectors.get(source)),
        userId: connector.agentUserId ?? ((id) => id),
      };
    });
    byTenant.set(tenant, resolver);
  }
  return resolver;
}

/** Normalise every delivery with its connector, append the events, then schedule recomputes. */
export async function processIngest(
  job: Job,
  context: JobContext,
): Promise<{ events: number; duplicates: number }> {
  const { deliveries } = ingestJobSchema.parse(job.data);
  // Per tenant: its events, and the deliveries and events worth counting in its stats.
  const byTenant = new Map<string, { events: NormalizedEvent[]; unmapped: boolean[]; ignored: number }>();
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
    const batch = byTenant.get(delivery.tenant) ?? { events: [], unmapped: [], ignored: 0 };
    byTenant.set(delivery.tenant, batch);
    const normalizeContext: NormalizeContext = {
      tenant: delivery.tenant,
      users: userDirectory(context, delivery.tenant, delivery.connector, settings),
      scratch: redisScratchPad(context.redis, delivery.tenant, delivery.connector),
      defaultCountry: tenant.config.default_country,
      fetch: context.fetch,
      defer: async (key, delayMs) => {
        await context.queues.ingest.add(
          'finalize',
          { deliveries: [{ ...delivery, body: '', finalize: key, receivedAt: context.now() }] },
          {
            delay: delayMs,
            // One pending decision per key: later deferrals while it waits join it; one made while it
            // runs gets a run of its own after it (so nothing said during a read is missed).
            deduplication: {
              id: jobId('finalize', delivery.tenant, delivery.connector, key),
              keepLastIfActive: true,
            },
          },
        );
      },
    };
    let events: NormalizedEvent[];
    if (delivery.finalize !== undefined) {
      events = (await connector.finalize?.(delivery.finalize, normalizeContext, settings)) ?? [];
    } else {
      const parsed = connector.parse(Buffer.from(delivery.body, 'utf8'));
      if (!parsed.ok) {
        context.log('delivery no longer parses: dropped', { tenant: delivery.tenant, reason: parsed.reason });
        continue;
      }
      if (parsed.ignored !== undefined) {
        batch.ignored += 1;
        continue;
      }
      events = await connector.normalize(parsed.payload, normalizeContext, settings);
    }
    const identities = identityResolver(context, delivery.tenant, tenant.config);
    for (const event of events) {
      const mapped = await identities.apply({ ...event, tenant: delivery.tenant });
      batch.events.push(mapped.event);
      batch.unmapped.push(mapped.unmapped);
    }
  }
  let total = 0;
  let duplicates = 0;
  // A job started before (it stalled when its worker died, or failed) may have appended its
  // events and stopped before scheduling their recomputes: those are scheduled again. Its counts
  // go to the stats with the append, under the job's id, so a rerun never counts twice.
  const retried = startedBefore(job);
  for (const [tenant, { events, ignored, unmapped }] of byTenant) {
    const appended = await appendEvents(
      context.redis,
      tenant,
      events,
      unmapped,
      events.map(looseMeasures),
      retried,
      // Its id with its creation time: ids start again at 1 if the queue's keys are ever removed.
      { id: job.id === undefined ? undefined : `${job.id}@${job.timestamp}`, ignored },
    );
    total += events.length;
    duplicates += appended.duplicates;
    await enqueueCompute(context, tenant, appended.tickets);
    if (appended.linkDirty) await enqueueLink(context, tenant);
  }
  return { events: total, duplicates };
}

/** What a ticketless call or survey contributes to reports on its own (a measure list), else ''. */
export function looseMeasures(event: NormalizedEvent): string {
  if ('ticket' in event && event.ticket) return '';
  if (event.type === 'call') {
    const measure = callMeasure(timed({ ...event }) as TimedCall);
    return measure ? JSON.stringify([measure]) : '';
  }
  if (event.type === 'survey') {
    const survey = timed({ ...event }) as SurveyEvent & { t: number };
    return JSON.stringify([surveyMeasure(survey, { agent: null, team: null })]);
  }
  return '';
}
