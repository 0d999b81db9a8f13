import { z } from 'zod';

/** Zendesk sends ids as strings in event payloads and as numbers in the REST API. */
const id = z.union([z.string().min(1), z.number().int()]).transform(String);
const optionalId = z.union([id, z.null()]).optional();

/** An event-subscription webhook (`zen:event-type:ticket.*`), as Zendesk documents it. */
export const ticketEventSchema = z.object({
  type: z.string().regex(/^zen:event-type:/, { error: 'is not a zen:event-type' }),
  id: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().optional(),
  detail: z.object({
    id,
    created_at: z.iso.datetime({ offset: true }).optional(),
    status: z.string().optional(),
    priority: z.string().nullable().optional(),
    assignee_id: optionalId,
    group_id: optionalId,
    requester_id: optionalId,
    tags: z.array(z.string()).nullable().optional(),
    via: z.object({ channel: z.string().nullable().optional() }).nullable().optional(),
  }),
  event: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type ZendeskTicketEvent = z.output<typeof ticketEventSchema>;

export const commentEventSchema = z.object({
  comment: z.object({
    id,
    is_public: z.boolean(),
    author: z.object({ id, is_staff: z.boolean().optional() }),
  }),
});

/** The JSON body of the trigger or automation whose template README.md gives. */
export const triggerBodySchema = z.object({
  deskpulse: z.literal('zendesk-trigger/1'),
  ticket: z.object({
    id,
    created_at: z.iso.datetime({ offset: true }),
    updated_at: z.iso.datetime({ offset: true }),
    status: z.string(),
    priority: z.string().optional(),
    via: z.string().optional(),
    assignee_id: z.string().optional(),
    group_id: z.string().optional(),
    requester_id: z.string().optional(),
    requester_email: z.string().optional(),
    requester_phone: z.string().optional(),
    tags: z.string().optional(),
    latest_comment: z
      .object({
        id: z.string(),
        author_id: z.string(),
        is_public: z.string(),
        created_at: z.iso.datetime({ offset: true }).optional(),
      })
      .optional(),
  }),
});
export type ZendeskTriggerBody = z.output<typeof triggerBodySchema>;

export type ZendeskPayload =
  { kind: 'event'; event: ZendeskTicketEvent } | { kind: 'trigger'; body: ZendeskTriggerBody };
