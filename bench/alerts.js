// How late SLA alerts fire against their instants: N tickets whose first-response targets
// become at risk and breached over the next seconds, with the real clock, one service
// (receiver + workers) on the embedded Redis.   npm run bench:alerts -- [--tickets 300]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { startService } from '../dist/cli/service.js';
import { buildServiceConfig } from '../dist/config/service-config.js';
import { configSchema } from '../dist/model/config.js';
import { startEmbeddedRedis } from '../dist/store/embedded-redis.js';
import { postSignedEvents } from './post-events.js';

const { values } = parseArgs({ options: { tickets: { type: 'string', default: '300' } } });
const tickets = Number(values.tickets);
const dir = mkdtempSync(join(tmpdir(), 'deskpulse-alerts-'));
const secret = `whsec_${randomBytes(24).toString('base64')}`;
const token = `bench-${randomBytes(16).toString('hex')}`;
const config = buildServiceConfig(
  configSchema.parse({
    tenants: [
      {
        id: 'acme',
        api_tokens: [token],
        connectors: { events: { secret } },
        // At risk after 10 s, breached after 20 s.
        sla_policies: [{ name: 'fast', targets: { first_response: 20 }, warn_at: 0.5 }],
      },
    ],
  }),
  'bench',
);
const redis = await startEmbeddedRedis(join(dir, 'redis'));
const service = await startService({ config, redisUrl: redis.url, port: 0, workers: true, log: () => {} });
const now = Date.now();
const lines = [];
for (let n = 0; n < tickets; n += 1) {
  // Created over the last 5 s: the instants spread over 5 s.
  const at = new Date(now - Math.floor((n / tickets) * 5000)).toISOString();
  lines.push(JSON.stringify({ id: `a-${n}`, type: 'ticket.created', at, source: 'bench', ticket: `t-${n}` }));
  lines.push(
    JSON.stringify({
      id: `m-${n}`,
      type: 'message',
      at,
      source: 'bench',
      ticket: `t-${n}`,
      author: 'customer',
    }),
  );
}
for (let i = 0; i < lines.length; i += 500) {
  const body = `${lines.slice(i, i + 500).join('\n')}\n`;
  await postSignedEvents(`${service.url}/webhooks/events/acme`, secret, body);
}
await new Promise((done) => setTimeout(done, 25_000));
const { alerts } = await (
  await fetch(`${service.url}/api/v1/alerts`, { headers: { authorization: `Bearer ${token}` } })
).json();
const stats = await service.context.redis.hgetall('dp:{acme}:stats');
await service.close();
await redis.stop();
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
console.log(`SLA alert lateness — node ${process.version}, ${tickets} tickets, real clock`);
for (const kind of ['at_risk', 'breached']) {
  const lags = alerts
    .filter((alert) => alert.kind === kind)
    .map((alert) => alert.lag_ms)
    .sort((a, b) => a - b);
  console.log(
    `  ${kind.padEnd(8)} ${String(stats[`alerts_${kind}`] ?? 0).padStart(5)} alerts (expected ${tickets}); lateness of the ${lags.length} kept: p50 ${pct(lags, 0.5)} ms, p99 ${pct(lags, 0.99)} ms, max ${lags.at(-1)} ms`,
  );
}
