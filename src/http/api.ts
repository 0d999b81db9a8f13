import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { type ServiceConfig, tokenHash } from '../config/service-config.js';
import { recomputeTicket } from '../jobs/recompute.js';
import { readAlerts } from '../jobs/sla-timers.js';
import type { JobContext } from '../jobs/context.js';
import { reportJson, ticketJson } from '../metrics/output.js';
import type { GroupBy } from '../metrics/report.js';
import { type TenantConfig, tenantZone } from '../model/config.js';
import { CHANNELS } from '../model/events.js';
import { formatCsv } from '../metrics/csv.js';
import { filterMeasures } from '../metrics/dashboard.js';
import { tenantPrefix } from '../store/redis.js';
import { readCallCases, readMeasures } from '../store/results.js';
import { BadRequest, missingTicket, oneOf, onlyParameters, period, text } from './params.js';
import { registerViews } from './views.js';

export interface ApiOptions {
  config: ServiceConfig;
  redis: Redis;
  context: JobContext;
  queueCounts: () => Promise<Record<string, unknown>>;
}

export type Authed = Request & { tenant?: TenantConfig };

export function createApi(options: ApiOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  app.get('/readyz', async (_request, response) => {
    try {
      await options.redis.ping();
      response.json({ status: 'ready', queues: await options.queueCounts() });
    } catch (error) {
      response.status(503).json({ status: 'unavailable', reason: (error as Error).message });
    }
  });

  // The tenant comes from the token, never from the request.
  const authenticate = (request: Authed, response: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const tenantId = match ? options.config.tokens.get(tokenHash(match[1] as string)) : undefined;
    const tenant = tenantId ? options.config.tenants.get(tenantId)?.config : undefined;
    if (!tenant) {
      response
        .status(401)
        .set('www-authenticate', 'Bearer')
        .json({ error: 'unauthorized', reason: 'a valid bearer token is required' });
      return;
    }
    request.tenant = tenant;
    next();
  };

  app.get('/api/v1/report', authenticate, async (request: Authed, response) => {
    onlyParameters(request, ['group_by', 'format', 'from', 'to', 'channel', 'team']);
    const groupBy: GroupBy = oneOf(request, 'group_by', ['agent', 'team', 'none'] as const) ?? 'agent';
    const format = oneOf(request, 'format', ['json', 'csv'] as const) ?? 'json';
    const config = request.tenant as TenantConfig;
    const zone = tenantZone(config);
    const { from, to } = period(request, zone);
    const channel = oneOf(request, 'channel', CHANNELS);
    const team = text(request, 'team');
    const tenant = config.id;
    const [all, unmapped] = await Promise.all([
      readMeasures(options.redis, tenant),
      options.redis.hget(`${tenantPrefix(tenant)}stats`, 'unmapped_events'),
    ]);
    const measures = channel || team ? filterMeasures(all, { from: null, to: null, channel, team }) : all;
    const report = reportJson({ measures }, { groupBy, from, to });
    if (format === 'csv') {
      response
        .type('text/csv')
        .attachment(`deskpulse-${groupBy}.csv`)
        .send(`${formatCsv(report.groups)}\n`);
      return;
    }
    // Events whose agent or team is still a provider id (`aircall:77`): map them in `people`/`teams`.
    response.json({
      ...report,
      // The filters, when given (the unfiltered report has exactly the shape of `compute`'s).
      ...(channel !== null ? { channel } : {}),
      ...(team !== null ? { team } : {}),
      identity: { unmapped_events: Number(unmapped ?? 0) },
    });
  });

  // Call cases: the calls that linked to no ticket, grouped per customer (METRICS.md).
  app.get('/api/v1/call-cases', authenticate, async (request: Authed, response) => {
    onlyParameters(request, []);
    const cases = (await readCallCases(options.redis, (request.tenant as TenantConfig).id)) as Array<{
      customer: string;
      last_call_at: string;
    }>;
    cases.sort((a, b) =>
      a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : a.last_call_at < b.last_call_at ? -1 : 1,
    );
    response.json({ call_cases: cases });
  });

  // The tenant's counters — events, duplicates, ignored deliveries, unmapped events, push-back,
  // Slack, alerts — and when each scheduled pull last ran (`polled_at:<provider>`, an instant),
  // for the people who run it (who need no access to Redis).
  app.get('/api/v1/stats', authenticate, async (request: Authed, response) => {
    onlyParameters(request, []);
    const stats = await options.redis.hgetall(`${tenantPrefix((request.tenant as TenantConfig).id)}stats`);
    response.json({
      stats: Object.fromEntries(
        Object.keys(stats)
          .sort()
          .map((name) => [name, /^-?\d+$/.test(stats[name]!) ? Number(stats[name]) : stats[name]]),
      ),
    });
  });

  // SLA alerts raised by the timers, newest first.
  app.get('/api/v1/alerts', authenticate, async (request: Authed, response) => {
    onlyParameters(request, []);
    response.json({ alerts: await readAlerts(options.context, (request.tenant as TenantConfig).id) });
  });

  app.get('/api/v1/tickets/:ticket', authenticate, async (request: Authed, response) => {
    onlyParameters(request, []);
    // Recomputed on read, so live SLA states are as of now.
    const computed = await recomputeTicket(
      options.context,
      request.tenant as TenantConfig,
      String(request.params.ticket),
    );
    if (!computed) {
      const ticket = String(request.params.ticket);
      const tenant = (request.tenant as TenantConfig).id;
      response
        .status(404)
        .json(await missingTicket(options.context.redis, tenant, ticket, `no ticket ${ticket}`));
      return;
    }
    response.json(ticketJson(computed.result));
  });

  registerViews(app, options, authenticate);

  app.use((_request, response) => {
    response.status(404).json({ error: 'not found' });
  });

  app.use((error: Error, _request: Request, response: Response, _next: NextFunction) => {
    if (error instanceof BadRequest) {
      response.status(400).json({ error: 'bad request', parameter: error.parameter, reason: error.message });
      return;
    }
    options.context.log('api error', { error: error.message });
    response.status(503).json({ error: 'unavailable', reason: 'try again shortly' });
  });
  return app;
}
