import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { buildServiceConfig } from '../../src/config/service-config.js';
import { configSchema } from '../../src/model/config.js';
import {
  api,
  drained,
  eventLines,
  EVENTS_SECRET,
  OTHER_TOKEN,
  postEvents,
  serviceForFile,
  TOKEN,
} from './harness.js';

const T0 = Date.parse('2026-05-05T14:00:00Z'); // a Tuesday
const MINUTE = 60_000;
const clock = { now: T0 };
const AUDIENCE = 'https://deskpulse.test';
const ACME_SECRET = 'acme-zendesk-app-shared-secret';
const GLOBEX_SECRET = 'globex-zendesk-app-shared-secret';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

const zendesk = (subdomain: string, app: Record<string, unknown>) => ({
  subdomain,
  email: `api@${subdomain}.test`,
  api_token: 'zd-token',
  signing_secret: 'zendesk-signing-secret-for-tests',
  app: { audience: AUDIENCE, ...app },
});

const config = buildServiceConfig(
  configSchema.parse({
    tenants: [
      {
        id: 'acme',
        api_tokens: [TOKEN],
        people: { maria: { email: 'maria@acme.test' } },
        sla_policies: [{ name: 'standard', targets: { first_response: '1h' }, warn_at: 0.75 }],
        slack: { ticket_url: 'https://acme.zendesk.com/agent/tickets/{id}' },
        connectors: {
          events: { secret: EVENTS_SECRET },
          zendesk: zendesk('acme', { shared_secret: ACME_SECRET, public_key: PUBLIC_PEM }),
        },
      },
      {
        id: 'globex',
        api_tokens: [OTHER_TOKEN],
        connectors: {
          events: { secret: EVENTS_SECRET },
          zendesk: zendesk('globex', { shared_secret: GLOBEX_SECRET }),
        },
      },
    ],
  }),
  'test',
);

let service: Service;
serviceForFile(
  () => ({ config, now: () => clock.now }),
  (started) => {
    service = started;
  },
);

const at = eventLines('v');
const line = (ticket: string, minutes: number, fields: Record<string, unknown>) =>
  at(ticket, T0 + minutes * MINUTE, fields);

/** The ZAF proxy's token: HS256 over the claims the app sends, 5 minutes (real time: tokens are judged by the real clock). */
function appToken(
  claims: Record<string, unknown> = {},
  secret: string | Uint8Array = ACME_SECRET,
  expiresAt = Math.floor(Date.now() / 1000) + 300,
): Promise<string> {
  return new SignJWT({ email: 'maria@acme.test', ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer((claims.iss as string) ?? 'acme.zendesk.com')
    .setAudience((claims.aud as string) ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);
}
const appGet = async (path: string, token: string) => {
  const response = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of whatever shape is under test
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

describe('dashboard and app API', () => {
  it('loads the tenant: an open e-mail ticket at risk, a resolved chat ticket, a call ticket', async () => {
    clock.now = T0 + 50 * MINUTE;
    const lines = [
      line('zendesk:501', 0, { type: 'ticket.created', channel: 'email', agent: 'maria', team: 'billing' }),
      line('zendesk:501', 0, { type: 'message', author: 'customer', public: true }),
      line('zendesk:502', 0, { type: 'ticket.created', channel: 'chat', agent: 'maria', team: 'billing' }),
      line('zendesk:502', 0, { type: 'message', author: 'customer', public: true }),
      line('zendesk:502', 10, { type: 'message', author: 'agent', agent: 'maria', public: true }),
      line('zendesk:502', 20, { type: 'ticket.updated', status: 'solved', agent: 'maria', team: 'billing' }),
      line('zendesk:503', 0, { type: 'ticket.created', channel: 'email', agent: 'karl', team: 'emea' }),
      line('zendesk:503', 0, { type: 'message', author: 'customer', public: true }),
      line('zendesk:503', 30, { type: 'message', author: 'agent', agent: 'karl', public: true }),
    ];
    expect((await postEvents(service, 'acme', lines)).status).toBe(202);
    await drained(service);
  });

  it('GET /api/v1/dashboard: tables, charts and choices; the filters change the numbers', async () => {
    const all = await api(service, '/api/v1/dashboard');
    expect(all.status).toBe(200);
    expect(all.body.basis).toBe('calendar');
    expect(all.body.overall.first_response.calendar).toMatchObject({ count: 2, median: 600 });
    expect(all.body.teams.map((group: { key: string }) => group.key)).toEqual(['billing', 'emea']);
    expect(all.body.agents.map((group: { key: string }) => group.key)).toEqual(['karl', 'maria']);
    expect(all.body.charts.frt_distribution[0]).toEqual({ label: '< 15m', count: 1 });
    expect(all.body.charts.frt_distribution[1]).toEqual({ label: '15m–1h', count: 1 });
    expect(all.body.charts.daily).toHaveLength(1);
    expect(all.body.choices).toEqual({ teams: ['billing', 'emea'], channels: ['chat', 'email'] });

    const chat = await api(service, '/api/v1/dashboard?channel=chat');
    expect(chat.body.overall.first_response.calendar).toMatchObject({ count: 1, median: 600 });
    expect(chat.body.overall.resolved).toBe(1);
    const emea = await api(service, '/api/v1/dashboard?team=emea');
    expect(emea.body.agents.map((group: { key: string }) => group.key)).toEqual(['karl']);
    expect(emea.body.overall.first_response.calendar.median).toBe(1800);
    const later = await api(service, `/api/v1/dashboard?from=${new Date(T0 + 15 * MINUTE).toISOString()}`);
    expect(later.body.overall.first_response.calendar.count).toBe(1);

    expect(await api(service, '/api/v1/dashboard?channel=fax')).toEqual({
      status: 400,
      body: {
        error: 'bad request',
        parameter: 'channel',
        reason: 'must be one of email, web, chat, phone, sms, social, api, other',
      },
    });
    expect((await api(service, '/api/v1/dashboard', 'not-a-token-at-all')).status).toBe(401);
    // Another tenant's token sees that tenant only.
    expect((await api(service, '/api/v1/dashboard', OTHER_TOKEN)).body.agents).toEqual([]);
  });

  it('GET /api/v1/report?format=csv downloads one row per group with the filters applied', async () => {
    const response = await fetch(`${service.url}/api/v1/report?format=csv&group_by=agent&team=billing`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename=deskpulse-agent.csv');
    const rows = (await response.text()).trim().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.split(',').slice(0, 2)).toEqual(['key', 'first_response.calendar.count']);
    expect(rows[1]?.split(',').slice(0, 2)).toEqual(['maria', '1']);
  });

  it('GET /api/v1/at-risk lists running targets past warn_at, soonest breach first, with the time left', async () => {
    const risk = await api(service, '/api/v1/at-risk');
    expect(risk.status).toBe(200);
    expect(risk.body.targets).toEqual([
      {
        ticket: 'zendesk:501',
        url: 'https://acme.zendesk.com/agent/tickets/501',
        agent: 'maria',
        team: 'billing',
        priority: null,
        channel: 'email',
        status: 'new',
        policy: 'standard',
        metric: 'first_response',
        target_seconds: 3600,
        business_hours: false,
        breach_at: new Date(T0 + 60 * MINUTE).toISOString(),
        remaining_seconds: 600,
        ticking: true,
      },
    ]);
    expect((await api(service, '/api/v1/at-risk?team=emea')).body.targets).toEqual([]);
    expect((await api(service, '/api/v1/at-risk', OTHER_TOKEN)).body.targets).toEqual([]);
  });

  it('the sidebar: the ticket with live countdowns and who is waiting, from an HS256 app token', async () => {
    const token = await appToken();
    const ticket = await appGet('/api/v1/app/tickets/501', token);
    expect(ticket.status).toBe(200);
    expect(ticket.body.ticket).toMatchObject({
      ticket: 'zendesk:501',
      status: 'new',
      contacts: 1,
      fcr: null,
    });
    expect(ticket.body.ticket.sla).toEqual([
      expect.objectContaining({
        metric: 'first_response',
        status: 'active',
        at_risk: true,
        remaining_seconds: 600,
        ticking: true,
        business_hours: false,
      }),
    ]);
    expect(ticket.body.waiting).toEqual({
      kind: 'first_response',
      since: T0,
      calendar: 3000,
      business: 3000,
    });

    const me = await appGet('/api/v1/app/me', token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ agent: 'maria', team: 'billing', from: '2026-05-04T00:00:00.000Z' });
    expect(me.body.mine.first_response.calendar).toMatchObject({ count: 1, median: 600 });
    expect(me.body.team_summary.resolved).toBe(1);

    // RS256 with the configured public key works as well.
    const rs = await new SignJWT({ user: { email: 'maria@acme.test' } })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('https://acme.zendesk.com')
      .setAudience(AUDIENCE)
      .setExpirationTime('1m')
      .sign(privateKey);
    expect((await appGet('/api/v1/app/tickets/501', rs)).status).toBe(200);
    expect((await appGet('/api/v1/app/me', rs)).body.agent).toBe('maria');
  });

  it('refuses bad app tokens with 401 and the reason, and never crosses tenants', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, string | Promise<string>, RegExp]> = [
      ['no token', '', /required/],
      ['not a JWT', 'abc.def', /not a JWT/],
      ['wrong secret', appToken({}, 'another-secret-entirely'), /signature/],
      ['expired', appToken({}, ACME_SECRET, now - 120), /expired/],
      ['wrong audience', appToken({ aud: 'https://elsewhere.test' }), /aud/],
      ['unknown account', appToken({ iss: 'initech.zendesk.com' }), /not issued by a Zendesk account/],
      [
        'alg none',
        new UnsecuredJWT({ email: 'maria@acme.test' })
          .setIssuer('acme.zendesk.com')
          .setAudience(AUDIENCE)
          .setExpirationTime(now + 60)
          .encode(),
        /signature/,
      ],
      // Algorithm confusion: HS256 "signed" with the RSA public key as if it were a shared secret.
      ['HS256 with the public key', appToken({}, new TextEncoder().encode(PUBLIC_PEM)), /signature/],
      [
        'no exp',
        new SignJWT({ email: 'maria@acme.test' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('acme.zendesk.com')
          .setAudience(AUDIENCE)
          .sign(new TextEncoder().encode(ACME_SECRET)),
        /exp/,
      ],
    ];
    for (const [name, pending, reason] of cases) {
      const token = await pending;
      const response = await fetch(`${service.url}/api/v1/app/tickets/501`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      expect(response.status, name).toBe(401);
      const body = (await response.json()) as { error: string; reason: string };
      expect(body.error, name).toBe('unauthorized');
      expect(body.reason, name).toMatch(reason);
    }

    // globex's own valid token, asking for acme's ticket 501 (and naming acme in the query): 404.
    const globex = await appToken({ iss: 'globex.zendesk.com' }, GLOBEX_SECRET);
    const crossed = await appGet('/api/v1/app/tickets/501?tenant=acme', globex);
    expect(crossed.status).toBe(404);
    expect((await appGet('/api/v1/app/me?tenant=acme', globex)).body.agent).not.toBe('maria');
    expect((await appGet('/api/v1/app/tickets/not-a-number', await appToken())).status).toBe(400);
    // The tenant's API token is not an app token.
    expect((await appGet('/api/v1/app/tickets/501', TOKEN)).status).toBe(401);
  });
});
