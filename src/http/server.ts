import { createServer, type Server } from 'node:http';
import type { Redis } from 'ioredis';
import type { ServiceConfig } from '../config/service-config.js';
import type { JobContext } from '../jobs/context.js';
import type { Queues } from '../jobs/queues.js';
import { createApi } from './api.js';
import { DeliveryBatcher } from './batcher.js';
import { handleSlackAction } from './slack-actions.js';
import { handleWebhook, sendJson } from './webhooks.js';

const WEBHOOK = /^\/webhooks\/([a-z]+)\/([A-Za-z0-9_-]{1,64})\/?(?:\?.*)?$/;

export interface ServerOptions {
  config: ServiceConfig;
  /** Fails fast when Redis is down, so webhooks get 503 and providers retry. */
  receiverRedis: Redis;
  receiverQueues: Queues;
  context: JobContext;
  bodyLimit?: number;
  verifyNow?: () => number;
}

/**
 * Webhooks take a lean path on `node:http` (raw bytes, no body parser, micro-batched enqueue);
 * everything else goes to the Express API.
 */
export function createDeskpulseServer(options: ServerOptions): Server {
  const batcher = new DeliveryBatcher(options.receiverQueues.ingest);
  const api = createApi({
    config: options.config,
    redis: options.context.redis,
    context: options.context,
    queueCounts: async () => {
      const entries = await Promise.all(
        (['ingest', 'compute', 'link', 'sla', 'notify'] as const).map(async (name) => {
          const queue = options.context.queues[name];
          const [counts, workers] = await Promise.all([
            // Prioritized: the recomputes queued by a change of a tenant's settings (reconfigure.ts).
            queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
            queue.getWorkersCount(),
          ]);
          return [name, { ...counts, workers }] as const;
        }),
      );
      return Object.fromEntries(entries);
    },
  });
  return createServer((request, response) => {
    if (request.method === 'POST' && /^\/slack\/actions\/?(\?.*)?$/.test(request.url ?? '')) {
      handleSlackAction(request, response, {
        config: options.config,
        context: options.context,
        now: options.verifyNow ?? Date.now,
      }).catch((error: Error) => {
        options.context.log('slack action error', { error: error.message });
        if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      });
      return;
    }
    const match = request.method === 'POST' ? WEBHOOK.exec(request.url ?? '') : null;
    if (!match) {
      api(request, response);
      return;
    }
    handleWebhook(request, response, match[1] as string, match[2] as string, {
      config: options.config,
      batcher,
      bodyLimit: options.bodyLimit,
      // Signatures are judged against the real clock, whatever instant metrics are computed at.
      now: options.verifyNow ?? Date.now,
      log: options.context.log,
    }).catch((error: Error) => {
      options.context.log('webhook error', { error: error.message });
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    });
  });
}
