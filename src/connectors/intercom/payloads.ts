import { z } from 'zod';

/**
 * Intercom webhooks (developers.intercom.com, "Webhooks"): a `notification_event` whose
 * `data.item` is the Conversation model, with the parts of the event in `conversation_parts`.
 * Times are Unix seconds. Only the fields deskpulse reads are checked.
 */
const id = z.union([z.string().min(1), z.number().int()]).transform(String);
const unix = z.number().int().nonnegative();

const author = z.object({
  type: z.string(),
  id: id.nullable().optional(),
  email: z.string().nullable().optional(),
});

export const partSchema = z.object({
  id,
  part_type: z.string(),
  body: z.string().nullable().optional(),
  created_at: unix,
  author: author.nullable().optional(),
  assigned_to: z.object({ type: z.string(), id: id.nullable().optional() }).nullable().optional(),
});
export type IntercomPart = z.output<typeof partSchema>;

export const conversationSchema = z.object({
  id,
  created_at: unix,
  updated_at: unix.optional(),
  source: z
    .object({
      type: z.string().nullable().optional(),
      delivered_as: z.string().nullable().optional(),
      author: author.nullable().optional(),
    })
    .nullable()
    .optional(),
  contacts: z
    .object({ contacts: z.array(z.object({ id })).default([]) })
    .nullable()
    .optional(),
  priority: z.string().nullable().optional(),
  conversation_rating: z
    .object({
      rating: z.number().nullable().optional(),
      created_at: unix.nullable().optional(),
      teammate: z.object({ id }).nullable().optional(),
    })
    .nullable()
    .optional(),
  conversation_parts: z
    .object({ conversation_parts: z.array(partSchema).default([]) })
    .nullable()
    .optional(),
});
export type IntercomConversation = z.output<typeof conversationSchema>;

export const notificationSchema = z.object({
  type: z.literal('notification_event'),
  id: z.string().optional(),
  topic: z.string(),
  created_at: unix.optional(),
  data: z.object({ item: z.record(z.string(), z.unknown()).nullable().optional() }),
});

/** The item of `conversation.deleted`: Intercom's `*.deleted` topics carry only the identifying fields. */
export const deletedItemSchema = z.object({
  id: z.union([z.string().min(1), z.number().int()]).transform(String),
});

/** Topics whose item is a conversation deskpulse reads; every other topic is acknowledged and ignored. */
export const CONVERSATION_TOPICS = new Set([
  'conversation.user.created',
  'conversation.user.replied',
  'conversation.admin.replied',
  'conversation.admin.single.created',
  'conversation.admin.assigned',
  'conversation.admin.open.assigned',
  'conversation.admin.noted',
  'conversation.admin.closed',
  'conversation.admin.opened',
  'conversation.admin.snoozed',
  'conversation.admin.unsnoozed',
  'conversation.operator.replied',
  'conversation.priority.updated',
  'conversation.rating.added',
]);
