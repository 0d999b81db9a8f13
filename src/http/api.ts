import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { type ServiceConfig, tokenHash } from '../config/service-config.js';
import { recomputeTicket } from '../jobs/recompute.js';
import { readAlerts } from '../jobs/sla-timers.js';
import type { JobContext } from '../jobs/context.js';
import { reportJson, ticketJson } from '../metrics/output.js';
import type { GroupBy } from '../metrics/report.js';
import type { TenantConfig } from '../model/config.js';
import { tenantPrefix } from '../store/redis.js';
import { readCallCases, readMeasures } from '../store/results.js';

export interface ApiOptions {
  config: ServiceConfig;
  redis: Redis;
  context: JobContext;
  queueCounts: () => Promise<Record<string, unknown>>;
}

type Authed = Request & { tenant?: TenantConfig };

class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    reason: string,
  ) {
    super(reason);
  }
}

function instant(request: Request, name: string): number | null {
  const value = request.query[name];
  if (value === undefined || value === '') return null;
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new BadRequest(name, `${JSON.stringify(value)} is not an ISO-8601 date or instant`);
  return ms;
}

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
    const groupBy = (request.query.group_by ?? 'agent') as GroupBy;
    if (!['agent', 'team', 'none'].includes(groupBy))
      throw new BadRequest('group_by', 'must be one of agent, team, none');
    const from = instant(request, 'from');
    const to = instant(request, 'to');
    const tenant = (request.tenant as TenantConfig).id;
    const [measures, unmapped] = await Promise.all([
      readMeasures(options.redis, tenant),
      options.redis.hget(`${tenantPrefix(tenant)}stats`, 'unmapped_events'),
    ]);
    // Events whose agent or team is still a provider id (`aircall:77`): map them in `people`/`teams`.
    response.json({
      ...reportJson({ measures }, { groupBy, from, to }),
      identity: { unmapped_events: Number(unmapped ?? 0) },
    });
  });

  // Call cases: the calls that linked to no ticket, grouped per customer (METRICS.md).
  app.get('/api/v1/call-cases', authenticate, async (request: Authed, response) => {
    const cases = (await readCallCases(options.redis, (request.tenant as TenantConfig).id)) as Array<{
      customer: string;
      last_call_at: string;
    }>;
    cases.sort((a, b) =>
      a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : a.last_call_at < b.last_call_at ? -1 : 1,
    );
    response.json({ call_cases: cases });
  });

  // SLA alerts raised by the timers, newest first.
  app.get('/api/v1/alerts', authenticate, async (request: Authed, response) => {
    response.json({ alerts: await readAlerts(options.context, (request.tenant as TenantConfig).id) });
  });

  app.get('/api/v1/tickets/:ticket', authenticate, async (request: Authed, response) => {
    // Recomputed on read, so live SLA states are as of now.
    const computed = await recomputeTicket(
      options.context,
      request.tenant as TenantConfig,
      String(request.params.ticket),
    );
    if (!computed) {
      response.status(404).json({ error: 'not found', reason: `no ticket ${request.params.ticket}` });
      return;
    }
    response.json(ticketJson(computed.result));
  });

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
