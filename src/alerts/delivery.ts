import type { SlackDestination } from '../model/config.js';

export type SendResult =
  | { ok: true; ts?: string; channel?: string }
  | { ok: false; retryAfterMs: number; reason: string }
  | { ok: false; retryAfterMs?: undefined; reason: string };

const API = 'https://slack.com/api/chat.postMessage';

/**
 * Post one message to a destination: an incoming webhook (its URL was checked to be Slack's at
 * configuration) or `chat.postMessage` with a bot token. A 429 comes back with Slack's
 * `Retry-After`; other failures with their reason, for the queue to retry.
 */
export async function sendSlack(
  destination: SlackDestination,
  message: { text: string; blocks: unknown[]; thread_ts?: string },
  fetchImpl: typeof fetch,
): Promise<SendResult> {
  const viaWebhook = destination.webhook_url !== undefined;
  const url = viaWebhook ? (destination.webhook_url as string) : API;
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(viaWebhook ? {} : { authorization: `Bearer ${destination.bot_token}` }),
    },
    body: JSON.stringify(viaWebhook ? message : { channel: destination.channel, ...message }),
    redirect: 'error',
  });
  const text = await response.text();
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    return {
      ok: false,
      retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 30_000,
      reason: 'rate limited',
    };
  }
  if (!response.ok) return { ok: false, reason: `HTTP ${response.status}: ${text.slice(0, 200)}` };
  if (viaWebhook) return { ok: true };
  const reply = JSON.parse(text) as { ok: boolean; error?: string; ts?: string; channel?: string };
  if (!reply.ok) return { ok: false, reason: reply.error ?? 'not ok' };
  return { ok: true, ts: reply.ts, channel: reply.channel };
}

/** The destinations an alert goes to: routed by team, priority and kind (absent: any). */
export function routes(
  destinations: readonly SlackDestination[],
  alert: { team: string | null; priority: string | null; kind: string },
): number[] {
  const chosen: number[] = [];
  destinations.forEach((destination, index) => {
    if (destination.teams && !(alert.team !== null && destination.teams.includes(alert.team))) return;
    if (
      destination.priorities &&
      !(alert.priority !== null && destination.priorities.includes(alert.priority as never))
    )
      return;
    if (destination.kinds && !destination.kinds.includes(alert.kind as never)) return;
    chosen.push(index);
  });
  return chosen;
}
