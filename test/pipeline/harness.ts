import type { Redis } from 'ioredis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Service, startService, type ServiceOptions } from '../../src/cli/service.js';
import { waitUntilIdle } from '../../src/jobs/queues.js';
import { buildServiceConfig, type ServiceConfig } from '../../src/config/service-config.js';
import { sign as signStandard } from '../../src/connectors/events/standard-webhooks.js';
import { configSchema } from '../../src/model/config.js';
import { type EmbeddedRedis, startEmbeddedRedis } from '../../src/store/embedded-redis.js';

export const EVENTS_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
export const ZENDESK_SECRET = 'zendesk-signing-secret-for-tests';
export const TOKEN = 'test-token-acme-0123456789';
export const OTHER_TOKEN = 'test-token-globex-0123456789';

export function testConfig(
  extra: Record<string, unknown> = {},
  connectors: Record<string, unknown> = {},
): ServiceConfig {
  const config = configSchema.parse({
    tenants: [
      {
        id: 'acme',
        api_tokens: [TOKEN],
        connectors: {
          events: { secret: EVENTS_SECRET },
          zendesk: {
            subdomain: 'acme',
            email: 'api@acme.test',
            api_token: 'zd-token',
            signing_secret: ZENDESK_SECRET,
          },
          ...connectors,
        },
        ...extra,
      },
      { id: 'globex', api_tokens: [OTHER_TOKEN], connectors: { events: { secret: EVENTS_SECRET } } },
    ],
  });
  return buildServiceConfig(config, 'test');
}

export async function startRedis(): Promise<EmbeddedRedis> {
  return startEmbeddedRedis(mkdtempSync(join(tmpdir(), 'deskpulse-redis-')));
}

export async function startTestService(
  redis: EmbeddedRedis,
  options: Partial<ServiceOptions> = {},
): Promise<Service> {
  return startService({
    config: testConfig(),
    redisUrl: redis.url,
    port: 0,
    workers: { lockDurationMs: 5_000, stalledIntervalMs: 1_000 },
    queuePrefix: `{dp-test-${randomBytes(4).toString('hex')}}`,
    log: () => {},
    ...options,
  });
}

let serial = 0;
export function signedEvents(body: string, secret = EVENTS_SECRET, at = Date.now()): Record<string, string> {
  serial += 1;
  const id = `msg_${serial}_${randomBytes(4).toString('hex')}`;
  const timestamp = Math.floor(at / 1000);
  return {
    'content-type': 'application/x-ndjson',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signStandard(secret, id, timestamp, body),
  };
}

export async function postEvents(service: Service, tenant: string, lines: string[]): Promise<Response> {
  const body = `${lines.join('\n')}\n`;
  return fetch(`${service.url}/webhooks/events/${tenant}`, {
    method: 'POST',
    headers: signedEvents(body),
    body,
  });
}

/** A maker of NDJSON event lines whose ids are unique within the test file (`<prefix>-<n>`). */
export function eventLines(prefix: string, source = 'zendesk') {
  let serial = 0;
  return (ticket: string, at: number, fields: Record<string, unknown>): string => {
    serial += 1;
    return JSON.stringify({
      id: `${prefix}-${serial}`,
      at: new Date(at).toISOString(),
      source,
      ticket,
      ...fields,
    });
  };
}

/** Post events (objects) to the tenant's events webhook, expect them accepted, and wait until they are worked. */
export async function ingested(service: Service, tenant: string, events: readonly object[]): Promise<void> {
  const response = await postEvents(
    service,
    tenant,
    events.map((event) => JSON.stringify(event)),
  );
  expect(response.status).toBe(202);
  await drained(service);
}

/** Wait until the service's queues have no work left (delayed timers may remain). */
export function drained(service: Service, timeoutMs = 60_000): Promise<void> {
  return waitUntilIdle(service.context.queues, timeoutMs);
}

export async function api(
  service: Service,
  path: string,
  token = TOKEN,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of whatever shape is under test
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

/**
 * For one test file: a real redis-server and the service on it, with outbound HTTP refused
 * except to this machine (nock fakes the providers); `onReady` receives the service.
 */
export function serviceForFile(
  options: () => Partial<ServiceOptions>,
  onReady: (service: Service, redis: EmbeddedRedis) => void,
): void {
  let redis: EmbeddedRedis | undefined;
  let service: Service | undefined;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    redis = await startRedis();
    service = await startTestService(redis, options());
    onReady(service, redis);
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await service?.close();
    await redis?.stop();
  });
}

/** Wait until nock has seen every request `scope` expects (push-back is debounced 2 s), or give up. */
export async function nockDone(scope: nock.Scope, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!scope.isDone() && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
}

/** The items in an order fixed by `seed` (a linear congruential generator): deliveries out of order, reproducibly. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Business hours the same Monday to Friday (`weekly` of a calendar). */
export const weekdays = (hours: [string, string]) =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [hours]]));

/** Every key of a tenant's data and everything in it, as text (to look for what must be gone). */
export async function tenantContents(redis: Redis, tenant: string): Promise<string> {
  const parts: string[] = [];
  for await (const page of redis.scanStream({ match: `dp:{${tenant}}:*`, count: 1000 }) as AsyncIterable<
    string[]
  >) {
    for (const key of page) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push(String(await redis.get(key)));
      if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    }
  }
  return parts.join('\n');
}
