import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { DateTime } from 'luxon';
import { IdentityMap } from '../config/identity.js';
import { clocksFor, recomputeTicket } from '../jobs/recompute.js';
import { type Basis, buildDashboard, filterMeasures } from '../metrics/dashboard.js';
import { replyWaiting, targetCountdown, countdown } from '../metrics/live.js';
import type { Measure } from '../metrics/measures.js';
import { ticketJson } from '../metrics/output.js';
import { buildReport, type Group } from '../metrics/report.js';
import { type TenantConfig, tenantZone, ticketUrl } from '../model/config.js';
import { CHANNELS } from '../model/events.js';
import { readAtRisk, readMeasures } from '../store/results.js';
import type { ApiOptions, Authed } from './api.js';
import { AppAuthError, AppAuthenticator, type AppIdentity } from './app-auth.js';
import { BadRequest, missingTicket, oneOf, onlyParameters, period, text } from './params.js';

/** Where the built server finds the dashboard's files (`web/`) and uPlot's. */
const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot'));

type AppRequest = Request & { app_identity?: AppIdentity };

/**
 * What the dashboard (`GET /`) and the Zendesk sidebar app read: the dashboard with a tenant's
 * bearer token, the app with its signed JWT. Same shapes and errors as the report endpoints.
 */
export function registerViews(app: express.Express, options: ApiOptions, authenticate: RequestHandler): void {
  const appAuth = new AppAuthenticator(options.config);

  // The team lead's page and its assets; the data comes from the API below with the token.
  const page: RequestHandler = (_request, response) => {
    response
      .set(
        'content-security-policy',
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
      )
      .set('x-content-type-options', 'nosniff')
      .sendFile(join(WEB_DIR, 'index.html'));
  };
  app.get('/', page);
  app.use('/assets', express.static(WEB_DIR, { index: false, maxAge: '5m' }));
  app.use('/assets/vendor', express.static(UPLOT_DIR, { index: false, maxAge: '1h' }));

  app.get('/api/v1/dashboard', authenticate, async (request: Authed, response) => {
    onlyParameters(request, ['basis', 'from', 'to', 'channel', 'team']);
    const tenant = request.tenant as TenantConfig;
    const zone = tenantZone(tenant);
    const basis: Basis =
      oneOf(request, 'basis', ['business', 'calendar'] as const) ??
      (tenant.business_hours ? 'business' : 'calendar');
    const filter = {
      ...period(request, zone),
      channel: oneOf(request, 'channel', CHANNELS),
      team: text(request, 'team'),
    };
    const measures = await readMeasures(options.redis, tenant.id);
    response.json({
      from: filter.from === null ? null : new Date(filter.from).toISOString(),
      to: filter.to === null ? null : new Date(filter.to).toISOString(),
      channel: filter.channel,
      team: filter.team,
      basis,
      time_zone: zone,
      ...buildDashboard(measures, { ...filter, basis, zone }),
    });
  });

  // The running SLA targets past their warn point, soonest breach first.
  app.get('/api/v1/at-risk', authenticate, async (request: Authed, response) => {
    onlyParameters(request, ['team']);
    const tenant = request.tenant as TenantConfig;
    const team = text(request, 'team');
    const now = options.context.now();
    const clocks = clocksFor(tenant);
    const targets = [];
    for (const open of await readAtRisk(options.redis, tenant.id, now)) {
      if (team !== null && open.team !== team) continue;
      for (const target of open.targets) {
        if (target.warn_at > now) continue;
        targets.push({
          ticket: open.ticket,
          url: ticketUrl(open.ticket, tenant.slack?.ticket_url),
          agent: open.agent,
          team: open.team,
          priority: open.priority,
          channel: open.channel,
          status: open.status,
          policy: target.policy,
          metric: target.metric,
          target_seconds: target.target_seconds,
          business_hours: target.business_hours,
          breach_at: new Date(target.breach_at).toISOString(),
          ...countdown(target.breach_at, target.business_hours, clocks.forTeam(target.clock_team), now),
        });
      }
    }
    targets.sort((a, b) => (a.breach_at < b.breach_at ? -1 : a.breach_at > b.breach_at ? 1 : 0));
    response.json({ now: new Date(now).toISOString(), targets });
  });

  // --- The Zendesk sidebar app: the tenant and the agent come from the verified JWT only.
  const appAuthenticate = async (request: AppRequest, response: Response, next: NextFunction) => {
    try {
      request.app_identity = await appAuth.verify(request.headers.authorization);
      next();
    } catch (error) {
      if (!(error instanceof AppAuthError)) throw error;
      response
        .status(401)
        .set('www-authenticate', 'Bearer')
        .json({ error: 'unauthorized', reason: error.message });
    }
  };

  app.get('/api/v1/app/tickets/:id', appAuthenticate, async (request: AppRequest, response) => {
    const { tenant } = request.app_identity as AppIdentity;
    const id = String(request.params.id);
    if (!/^\d{1,20}$/.test(id)) throw new BadRequest('id', 'must be a Zendesk ticket number');
    const ticket = `zendesk:${id}`;
    const computed = await recomputeTicket(options.context, tenant, ticket);
    if (!computed) {
      response
        .status(404)
        .json(
          await missingTicket(
            options.context.redis,
            tenant.id,
            ticket,
            `deskpulse has no events of ticket ${id} yet`,
          ),
        );
      return;
    }
    const now = options.context.now();
    const clocks = clocksFor(tenant);
    const json = ticketJson(computed.result);
    response.json({
      now: new Date(now).toISOString(),
      business_hours: tenant.business_hours !== undefined,
      ticket: {
        ...json,
        sla: json.sla.map((target, index) => {
          const source = computed.result.sla[index];
          return {
            ...target,
            business_hours: source?.businessHours ?? false,
            ...(source ? targetCountdown(source, clocks, now) : null),
          };
        }),
      },
      waiting: replyWaiting(computed.facts, clocks, now),
    });
  });

  // The viewing agent's week (Monday 00:00 in the tenant's time zone until now) against their team.
  app.get('/api/v1/app/me', appAuthenticate, async (request: AppRequest, response) => {
    const { tenant, email } = request.app_identity as AppIdentity;
    const now = options.context.now();
    const from = DateTime.fromMillis(now, { zone: tenantZone(tenant) })
      .startOf('week')
      .toMillis();
    const week = filterMeasures(await readMeasures(options.redis, tenant.id), {
      from,
      to: now + 1,
      channel: null,
      team: null,
    });
    const agent = email === null ? null : new IdentityMap(tenant).agentByEmail(email);
    const mine = week.filter((measure) => agent !== null && measure.agent === agent);
    const team = mostFrequentTeam(mine);
    const summary = (measures: Measure[]) =>
      buildReport(measures, { groupBy: 'none', from: null, to: null })[0] as Group;
    response.json({
      agent,
      team,
      from: new Date(from).toISOString(),
      to: new Date(now).toISOString(),
      basis: tenant.business_hours ? 'business' : 'calendar',
      mine: summary(mine),
      // Without a team of their own this week, the agent is compared with everyone.
      team_summary: summary(team === null ? week : week.filter((measure) => measure.team === team)),
    });
  });
}

function mostFrequentTeam(measures: readonly Measure[]): string | null {
  const counts = new Map<string, number>();
  for (const measure of measures) {
    if (measure.team !== null) counts.set(measure.team, (counts.get(measure.team) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [team, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (count > bestCount) {
      best = team;
      bestCount = count;
    }
  }
  return best;
}
