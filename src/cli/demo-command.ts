import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { buildServiceConfig } from '../config/service-config.js';
import { sign as signEvents } from '../connectors/events/standard-webhooks.js';
import { sign as signIntercom } from '../connectors/intercom/index.js';
import { sign as signTwilio } from '../connectors/twilio/signature.js';
import { type DemoApiData, demoFetch } from './demo-apis.js';
import { sign as signZendesk } from '../connectors/zendesk/signature.js';
import { configSchema } from '../model/config.js';
import type { NormalizedEventInput } from '../model/events.js';
import { waitUntilIdle } from '../jobs/queues.js';
import type { Redis } from 'ioredis';
import { tenantPrefix } from '../store/redis.js';
import { UserCache } from '../store/user-cache.js';
import { type Io, runCompute } from './compute-command.js';
import { AGENT_IDS, agentEmail, GROUP_IDS, QUEUE_SIDS } from './demo-ids.js';
import { DEMO_AIRCALL_TOKEN, type DemoTraffic, demoTraffic } from './demo-traffic.js';
import { formatTable } from './format.js';
import { positiveInteger, runGenerate } from './generate-command.js';
import { generateSample, type SampleOptions } from './sample-data.js';
import { logger, resolveRedis, shutdown, startService } from './service.js';

/** The repository's sample tenants file, next to the built code's parent. */
export const SAMPLE_CONFIG = resolve(dirname(fileURLToPath(import.meta.url)), '../../samples/deskpulse.yaml');
/** The offline demo reads metrics a few days after the two weeks of sample data. */
const SAMPLE_NOW = '2026-03-20T12:00:00Z';

export interface DemoOptions {
  tickets: string;
  once?: boolean;
  offline?: boolean;
  port?: string;
}

/** The sample tenant, with demo secrets and the Zendesk ids of the sample's people and teams. */
export interface DemoSecrets {
  yaml: string;
  token: string;
  eventsSecret: string;
  zendeskSecret: string;
  intercomSecret: string;
  twilioToken: string;
  freshdeskSecret: string;
  liveagentSecret: string;
  voipstudioKey: string;
}
/** The URL the demo's Twilio callbacks are signed for (Twilio would call it from outside). */
const DEMO_TWILIO_URL = 'https://deskpulse.example/webhooks/twilio/demo';

export function demoConfigYaml(): DemoSecrets {
  const sample = parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8')) as {
    tenants: Array<Record<string, unknown>>;
  };
  const tenant: Record<string, unknown> = { ...(sample.tenants[0] as Record<string, unknown>), id: 'demo' };
  const token = `demo-${randomBytes(18).toString('hex')}`;
  const eventsSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const zendeskSecret = randomBytes(24).toString('base64');
  const teams = (tenant.teams ?? {}) as Record<string, Record<string, unknown>>;
  const intercomSecret = randomBytes(24).toString('hex');
  const twilioToken = randomBytes(16).toString('hex');
  const freshdeskSecret = randomBytes(24).toString('base64url');
  const liveagentSecret = randomBytes(24).toString('base64url');
  const voipstudioKey = randomBytes(24).toString('base64url');
  // Teams by their id in each system; people by their e-mail (Intercom, Aircall and Twilio
  // users are found by it) and, for Zendesk, by id.
  for (const [team, id] of Object.entries(GROUP_IDS)) {
    teams[team] = {
      ...(teams[team] ?? {}),
      zendesk: id,
      intercom: id,
      aircall: id,
      twilio: QUEUE_SIDS[team] as string,
      liveagent: id,
      freshdesk: id,
    };
  }
  tenant.teams = teams;
  tenant.people = Object.fromEntries(
    Object.entries(AGENT_IDS).map(([person, id]) => [person, { zendesk: id, email: agentEmail(person) }]),
  );
  tenant.default_country = 'US';
  tenant.api_tokens = [token];
  tenant.connectors = {
    events: { secret: eventsSecret },
    zendesk: {
      subdomain: 'demo',
      email: 'api@demo.example',
      api_token: 'not-used-by-the-demo',
      signing_secret: zendeskSecret,
    },
    intercom: { client_secret: intercomSecret },
    aircall: { webhook_token: DEMO_AIRCALL_TOKEN },
    twilio: { auth_token: twilioToken, public_url: DEMO_TWILIO_URL, settle_seconds: 5 },
    // Their APIs are the demo's stand-ins (demo-apis.ts): the webhooks only point at what to read.
    freshdesk: { domain: 'demo', api_key: 'not-used-by-the-demo', webhook_secret: freshdeskSecret },
    liveagent: { domain: 'demo', api_key: 'not-used-by-the-demo', webhook_secret: liveagentSecret },
    voipstudio: { api_key: 'not-used-by-the-demo', webhook_key: voipstudioKey, settle_seconds: 1 },
  };
  return {
    yaml: toYaml({ tenants: [tenant] }),
    token,
    eventsSecret,
    zendeskSecret,
    intercomSecret,
    twilioToken,
    freshdeskSecret,
    liveagentSecret,
    voipstudioKey,
  };
}

async function postAll(
  urls: string,
  bodies: string[],
  headers: (body: string) => Record<string, string>,
  parallel = 16,
): Promise<void> {
  let next = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < bodies.length) {
        const body = bodies[next] as string;
        next += 1;
        const response = await fetch(urls, { method: 'POST', headers: headers(body), body });
        if (response.status !== 202) failures.push(`${response.status} ${await response.text()}`);
      }
    }),
  );
  if (failures.length > 0) throw new Error(`${failures.length} deliveries refused, first: ${failures[0]}`);
}

export async function runDemo(options: DemoOptions, io: Io): Promise<number> {
  const tickets = positiveInteger('--tickets', options.tickets);
  if (options.offline) return runOfflineDemo(tickets, io);
  const home = resolve('.deskpulse');
  mkdirSync(home, { recursive: true });
  const demo = demoConfigYaml();
  const configPath = join(home, 'demo.yaml');
  writeFileSync(configPath, demo.yaml, { mode: 0o600 });
  const config = buildServiceConfig(configSchema.parse(parseYaml(demo.yaml)), configPath);

  const redis = await resolveRedis(home);
  // Filled with this run's traffic below; the connectors' API reads are answered from it.
  const apis: DemoApiData = {
    freshdesk: { tickets: new Map(), agents: new Map() },
    liveagent: { tickets: new Map(), agents: new Map(), contacts: new Map() },
    voipstudio: [],
    voipstudioUsers: new Map(),
  };
  const service = await startService({
    config,
    fetch: demoFetch(apis),
    redisUrl: redis.url,
    port: options.port ? positiveInteger('--port', options.port) : 3000,
    workers: true,
    queuePrefix: `{deskpulse-demo}`,
    log: logger(process.env.DESKPULSE_DEMO_LOG !== '1'),
  });
  const stop = () => shutdown(service, redis.embedded);
  try {
    io.stdout.write(
      `deskpulse is listening on ${service.url} (Redis ${redis.embedded ? 'embedded, data in .deskpulse/redis' : redis.url})\n`,
    );
    // Every run starts from an empty demo tenant, so its table is this run's traffic.
    await clearTenant(service.context.redis, 'demo');
    // And the last run's jobs (the demo's queues are its own): a timer or debounced recompute left
    // from it would keep this run's job of the same id from being queued.
    const { ingest, compute, link, sla, notify } = service.context.queues;
    for (const queue of [ingest, compute, link, sla, notify]) await queue.obliterate({ force: true });
    // The last two weeks up to now, so the dashboard's periods and at-risk list have something
    // to show.
    const now = Date.now();
    const start = new Date(Math.floor(now / 86_400_000 - 14) * 86_400_000).toISOString();
    const traffic = demoTraffic(sampleUpTo(now, { tickets, start, days: 14 }));
    Object.assign(apis, traffic.apis);
    await rememberDemoUsers(service.context.redis, traffic);

    const started = Date.now();
    await postDemoTraffic(service.url, traffic, demo);
    await waitUntilIdle(service.context.queues, 600_000);
    const seconds = (Date.now() - started) / 1000;
    io.stdout.write(
      `Posted signed webhooks — ${traffic.zendesk.length} Zendesk, ${traffic.intercom.length} Intercom, ${traffic.aircall.length} Aircall, ${traffic.twilio.length} Twilio, ${traffic.freshdesk.length} Freshdesk, ${traffic.liveagent.length} LiveAgent, ${traffic.voipstudio.length} VoIPstudio — and ${traffic.events.length} normalised events in ${seconds.toFixed(1)} s, all processed.\n\n`,
    );
    for (const groupBy of ['team', 'agent'] as const) {
      const response = await fetch(`${service.url}/api/v1/report?group_by=${groupBy}`, {
        headers: { authorization: `Bearer ${demo.token}` },
      });
      const report = (await response.json()) as { groups: Parameters<typeof formatTable>[0] };
      io.stdout.write(`Per ${groupBy}\n${formatTable(report.groups, groupBy, true)}\n\n`);
    }
    io.stdout.write(`Dashboard: ${service.url}/#token=${demo.token}\n`);
    io.stdout.write(
      `Report:  curl -H 'Authorization: Bearer ${demo.token}' '${service.url}/api/v1/report?group_by=team'\n`,
    );
    io.stdout.write(
      `Ticket:  curl -H 'Authorization: Bearer ${demo.token}' '${service.url}/api/v1/tickets/zendesk:1'\n`,
    );
    io.stdout.write(`Config:  ${configPath} (tenant "demo", with the token above)\n`);
    if (options.once) {
      await stop();
      return 0;
    }
    io.stdout.write('The server stays up; Ctrl-C stops it.\n');
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await stop();
    return 0;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The sample as the demo sends it: what would happen after `now` is left out (those tickets wait). */
export function sampleUpTo(now: number, options: SampleOptions): NormalizedEventInput[] {
  return [...generateSample(options)].filter(
    (event) =>
      Date.parse(event.at) <= now && !(event.type === 'call' && Date.parse(event.call.ended_at) > now),
  );
}

/** The users the traffic names, in the connectors' user caches: the demo has no Zendesk API to ask. */
export async function rememberDemoUsers(redis: Redis, traffic: DemoTraffic): Promise<void> {
  for (const { source, id, user } of traffic.users) await new UserCache(redis, 'demo', source).set(id, user);
}

/**
 * Post a run's traffic through the real webhook endpoints of the server at `url`, each signed as
 * its provider signs (the demo's tenant and secrets): what `deskpulse demo` sends, and what the
 * connectors' fidelity test sends (test/pipeline/demo-fidelity.test.ts).
 */
export async function postDemoTraffic(url: string, traffic: DemoTraffic, demo: DemoSecrets): Promise<void> {
  await postAll(`${url}/webhooks/zendesk/demo`, traffic.zendesk, (body) => {
    const timestamp = new Date().toISOString();
    return {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature-timestamp': timestamp,
      'x-zendesk-webhook-signature': signZendesk(demo.zendeskSecret, timestamp, body),
    };
  });
  await postAll(`${url}/webhooks/intercom/demo`, traffic.intercom, (body) => ({
    'content-type': 'application/json',
    'x-hub-signature': signIntercom(demo.intercomSecret, body),
  }));
  await postAll(`${url}/webhooks/aircall/demo`, traffic.aircall, () => ({
    'content-type': 'application/json',
  }));
  const twilioBodies = traffic.twilio.map((params) => new URLSearchParams(params).toString());
  await postAll(`${url}/webhooks/twilio/demo`, twilioBodies, (body) => ({
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': signTwilio(demo.twilioToken, DEMO_TWILIO_URL, [...new URLSearchParams(body)]),
  }));
  await postAll(`${url}/webhooks/freshdesk/demo`, traffic.freshdesk, () => ({
    'content-type': 'application/json',
    'x-deskpulse-secret': demo.freshdeskSecret,
  }));
  await postAll(`${url}/webhooks/liveagent/demo`, traffic.liveagent, () => ({
    'content-type': 'application/json',
    'x-deskpulse-secret': demo.liveagentSecret,
  }));
  await postAll(`${url}/webhooks/voipstudio/demo?key=${demo.voipstudioKey}`, traffic.voipstudio, () => ({
    'content-type': 'application/json',
  }));
  const batches: string[] = [];
  for (let i = 0; i < traffic.events.length; i += 100)
    batches.push(`${traffic.events.slice(i, i + 100).join('\n')}\n`);
  await postAll(
    `${url}/webhooks/events/demo`,
    batches,
    (body) => {
      const id = `msg_${randomBytes(8).toString('hex')}`;
      const timestamp = Math.floor(Date.now() / 1000);
      return {
        'content-type': 'application/x-ndjson',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signEvents(demo.eventsSecret, id, timestamp, body),
      };
    },
    4,
  );
}

async function runOfflineDemo(tickets: number, io: Io): Promise<number> {
  const folder = resolve('.deskpulse');
  mkdirSync(folder, { recursive: true });
  const events = join(folder, 'sample-events.ndjson');
  await runGenerate({ tickets: String(tickets), seed: '42', out: events }, io);
  io.stdout.write(`Sample data: ${tickets} tickets across e-mail, chat and phone → ${events}\n`);
  io.stdout.write(`Config: ${SAMPLE_CONFIG}; metrics as of ${SAMPLE_NOW}\n\n`);
  for (const groupBy of ['team', 'agent']) {
    io.stdout.write(`Per ${groupBy}\n`);
    const code = await runCompute(
      { events, config: SAMPLE_CONFIG, now: SAMPLE_NOW, groupBy, format: 'table' },
      io,
    );
    if (code !== 0) return code;
    io.stdout.write('\n');
  }
  io.stdout.write(
    `Try: ./bin/deskpulse.js compute --events ${events} --config ${SAMPLE_CONFIG} --now ${SAMPLE_NOW} --format json\n`,
  );
  return 0;
}

async function clearTenant(redis: Redis, tenant: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${tenantPrefix(tenant)}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
