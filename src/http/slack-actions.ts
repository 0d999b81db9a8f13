import type { IncomingMessage, ServerResponse } from 'node:http';
import { alertMessage } from '../alerts/messages.js';
import { verify } from '../alerts/signature.js';
import type { ServiceConfig } from '../config/service-config.js';
import { asList } from '../connectors/types.js';
import type { JobContext } from '../jobs/context.js';
import { readAlert } from '../jobs/notify.js';
import { tenantPrefix } from '../store/redis.js';
import { BodyTooLarge, readBody, sendJson } from './webhooks.js';

interface BlockActions {
  type: string;
  user?: { id?: string; name?: string; username?: string };
  actions?: Array<{ action_id?: string; value?: string }>;
  response_url?: string;
}

const isSlackHook = (url: string | undefined): url is string => {
  try {
    const parsed = new URL(url ?? '');
    return parsed.protocol === 'https:' && parsed.host === 'hooks.slack.com';
  } catch {
    return false;
  }
};

/**
 * `POST /slack/actions`: Slack's interactivity requests. The tenant is the one whose signing
 * secret verifies the request (never a field of it). "I'm on it" records who took the alert and
 * replaces the message through Slack's `response_url`.
 */
export async function handleSlackAction(
  request: IncomingMessage,
  response: ServerResponse,
  options: { config: ServiceConfig; context: JobContext; now?: () => number },
): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(request, 256 * 1024);
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendJson(response, 413, { error: 'payload too large' });
    throw error;
  }
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const signature = request.headers['x-slack-signature'] as string | undefined;
  const timestamp = request.headers['x-slack-request-timestamp'] as string | undefined;
  let tenant: string | undefined;
  for (const [id, runtime] of options.config.tenants) {
    const secret = runtime.config.slack?.signing_secret;
    if (!secret) continue;
    if (verify(asList(secret), signature, timestamp, body, nowSeconds).ok) {
      tenant = id;
      break;
    }
  }
  if (!tenant)
    return sendJson(response, 401, { error: 'unauthorized', reason: 'the Slack signature is not valid' });
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(new URLSearchParams(body.toString('utf8')).get('payload') ?? '');
  } catch {
    // Not JSON: refused below like any payload that is not an object.
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return sendJson(response, 400, { error: 'bad payload', reason: 'payload must be the JSON Slack sends' });
  const payload = parsed as BlockActions;
  const action = Array.isArray(payload.actions)
    ? payload.actions.find((candidate) => candidate?.action_id === 'deskpulse_on_it')
    : undefined;
  if (payload.type !== 'block_actions' || typeof action?.value !== 'string' || action.value === '')
    return sendJson(response, 200, {});
  const [alertTenant, alertId] = action.value.split('|');
  if (alertTenant !== tenant || !alertId) return sendJson(response, 403, { error: 'forbidden' });
  const alert = await readAlert(options.context, tenant, alertId);
  if (!alert) return sendJson(response, 404, { error: 'not found', reason: 'no such alert (expired?)' });
  alert.taken_by = payload.user?.name ?? payload.user?.username ?? payload.user?.id ?? 'someone';
  await options.context.redis.set(
    `${tenantPrefix(tenant)}alert:${alertId}`,
    JSON.stringify(alert),
    'KEEPTTL',
  );
  sendJson(response, 200, {});
  // Replace the message (buttons gone, who took it shown); Slack's response_url only.
  if (isSlackHook(payload.response_url)) {
    const ticketUrl = options.config.tenants.get(tenant)?.config.slack?.ticket_url;
    try {
      await options.context.fetch(payload.response_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ replace_original: true, ...alertMessage(alert, ticketUrl) }),
      });
    } catch (error) {
      options.context.log('could not update the Slack message', { error: (error as Error).message });
    }
  }
}
