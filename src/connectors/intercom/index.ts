import { createHmac, timingSafeEqual } from 'node:crypto';
import { describeError } from '../../model/validate.js';
import { getJson, HttpError } from '../http.js';
import { emailKey } from '../customer.js';
import { finish, isoFromUnix, parseJson } from '../shared.js';
import { asList, type Connector, type DirectoryUser, header, type Parsed } from '../types.js';
import { apiOptions, intercomHistory } from './history.js';
import { normalizeConversation } from './normalize.js';
import type { NormalizedEvent } from '../../model/events.js';
import {
  CONVERSATION_TOPICS,
  conversationSchema,
  deletedItemSchema,
  type IntercomConversation,
  notificationSchema,
} from './payloads.js';
import { intercomSettingsSchema, type IntercomSettings } from './settings.js';

export type IntercomPayload =
  | { kind: 'conversation'; topic: string; conversation: IntercomConversation }
  | { kind: 'deleted'; conversation: string; at: number }
  | { kind: 'ignored'; topic: string };

/** `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the raw body, keyed with the app's client secret>`. */
export function sign(secret: string, body: Buffer | string): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
}

export function verifySignature(secrets: readonly string[], signature: string | undefined, body: Buffer) {
  const match = /^sha1=([0-9a-f]{40})$/i.exec(signature?.trim() ?? '');
  if (!match) return { ok: false as const, reason: 'missing or malformed X-Hub-Signature' };
  const offered = Buffer.from((match[1] as string).toLowerCase(), 'hex');
  for (const secret of secrets) {
    const expected = createHmac('sha1', secret).update(body).digest();
    if (timingSafeEqual(offered, expected)) return { ok: true as const };
  }
  return { ok: false as const, reason: 'the signature does not match' };
}

function parse(body: Buffer): Parsed<IntercomPayload> {
  const envelope = parseJson(body, notificationSchema);
  if (!envelope.ok) return envelope;
  const { topic, data, created_at: createdAt } = envelope.payload;
  if (topic === 'conversation.deleted') {
    // A minimal item (`{type|object: conversation, id}`), at the notification's instant.
    const deleted = deletedItemSchema.safeParse(data.item, { reportInput: true });
    if (!deleted.success) return { ok: false, reason: describeError(deleted.error, 'data.item') };
    if (createdAt === undefined) return { ok: false, reason: 'created_at is required' };
    return { ok: true, payload: { kind: 'deleted', conversation: deleted.data.id, at: createdAt } };
  }
  if (!CONVERSATION_TOPICS.has(topic))
    return { ok: true, payload: { kind: 'ignored', topic }, ignored: topic };
  const conversation = conversationSchema.safeParse(data.item, { reportInput: true });
  if (!conversation.success) return { ok: false, reason: describeError(conversation.error, 'data.item') };
  return { ok: true, payload: { kind: 'conversation', topic, conversation: conversation.data } };
}

/**
 * A deleted conversation is closed (the normalised statuses have no "deleted"; Zendesk's deleted
 * and spam tickets are closed too), so it stops waiting and alerting.
 */
function deletedEvents(payload: { conversation: string; at: number }, tenant: string): NormalizedEvent[] {
  return finish([
    {
      id: `intercom:${payload.conversation}:deleted`,
      type: 'ticket.updated',
      at: isoFromUnix(payload.at),
      source: 'intercom',
      tenant,
      ticket: `intercom:${payload.conversation}`,
      status: 'closed',
    },
  ]);
}

/** Contacts (`contact:<id>`) and teammates (`admin:<id>`) through the REST API. */
async function lookupUser(
  settings: IntercomSettings,
  id: string,
  fetchImpl: typeof fetch,
): Promise<DirectoryUser | null> {
  if (!settings.access_token) return null;
  const [kind, raw] = id.split(/:(.*)/s) as [string, string | undefined];
  if (!raw || (kind !== 'contact' && kind !== 'admin')) return null;
  const api = apiOptions(settings, { fetch: fetchImpl, sleep: async () => {}, now: Date.now });
  try {
    const found = await getJson<{ email?: string | null; phone?: string | null }>(
      `/${kind === 'contact' ? 'contacts' : 'admins'}/${encodeURIComponent(raw)}`,
      { ...api, maxWaits: 0 },
    );
    return {
      role: kind === 'admin' ? 'agent' : 'end-user',
      ...(emailKey(found.email) ? { email: (found.email as string).trim().toLowerCase() } : {}),
      ...(found.phone ? { phone: found.phone } : {}),
    };
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return null;
    throw error;
  }
}

export const intercomConnector: Connector<IntercomSettings, IntercomPayload> = {
  id: 'intercom',
  kind: 'chat',
  settingsSchema: intercomSettingsSchema,
  verify: (delivery, settings) =>
    verifySignature(
      asList(settings.client_secret),
      header(delivery.headers, 'x-hub-signature'),
      delivery.body,
    ),
  parse,
  normalize: (payload, context) => {
    if (payload.kind === 'conversation')
      return normalizeConversation(payload.conversation, context, {
        priorityChanged: payload.topic === 'conversation.priority.updated',
      });
    if (payload.kind === 'deleted') return Promise.resolve(deletedEvents(payload, context.tenant));
    return Promise.resolve([]);
  },
  lookupUser,
  agentUserId: (id) => `admin:${id}`,
  history: intercomHistory,
};
