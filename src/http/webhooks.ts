import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceConfig } from '../config/service-config.js';
import { CONNECTORS } from '../connectors/registry.js';
import type { DeliveryBatcher } from './batcher.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

export class BodyTooLarge extends Error {}

/** Read the raw bytes, refusing more than `limit` (by Content-Length first, then while reading). */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        fail(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    request.once('error', fail);
  });
}

const UNAUTHORIZED = { error: 'unauthorized', reason: 'the signature, timestamp or tenant is not valid' };

export interface WebhookOptions {
  config: ServiceConfig;
  batcher: DeliveryBatcher;
  bodyLimit?: number;
  now?: () => number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * `POST /webhooks/<connector>/<tenant>`: verify on the raw bytes, check the payload is what the
 * provider sends, and answer 202 only once the delivery is in Redis. The tenant comes from the
 * URL only to find the secret; an unknown tenant gets the same 401 as a bad signature.
 */
export async function handleWebhook(
  request: IncomingMessage,
  response: ServerResponse,
  connectorId: string,
  tenantId: string,
  options: WebhookOptions,
): Promise<void> {
  const now = options.now ?? Date.now;
  let body: Buffer;
  try {
    body = await readBody(request, options.bodyLimit ?? DEFAULT_BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      sendJson(
        response,
        413,
        { error: 'payload too large', limit_bytes: options.bodyLimit ?? DEFAULT_BODY_LIMIT },
        { connection: 'close' },
      );
      return;
    }
    throw error;
  }
  const connector = CONNECTORS[connectorId];
  const settings = options.config.tenants.get(tenantId)?.connectors.get(connectorId);
  if (!connector || settings === undefined) {
    // Same work and the same answer as a wrong signature, so tenants cannot be enumerated.
    createHmac('sha256', 'no-such-tenant').update(body).digest();
    sendJson(response, 401, UNAUTHORIZED);
    return;
  }
  const verdict = connector.verify({ body, headers: request.headers, url: request.url }, settings, now());
  if (!verdict.ok) {
    options.log?.('webhook refused', { connector: connectorId, tenant: tenantId, reason: verdict.reason });
    sendJson(response, 401, UNAUTHORIZED);
    return;
  }
  const parsed = connector.parse(body);
  if (!parsed.ok) {
    sendJson(response, 400, { error: 'bad payload', reason: parsed.reason });
    return;
  }
  try {
    await options.batcher.submit({
      tenant: tenantId,
      connector: connectorId,
      body: body.toString('utf8'),
      receivedAt: now(),
    });
  } catch (error) {
    options.log?.('could not enqueue a delivery', { error: (error as Error).message });
    sendJson(
      response,
      503,
      { error: 'unavailable', reason: 'the queue is unreachable; retry later' },
      { 'retry-after': '5' },
    );
    return;
  }
  sendJson(response, 202, { status: 'accepted' });
}
