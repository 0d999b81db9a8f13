import { z } from 'zod';

/**
 * The shapes of Freshdesk API v2 we read (developers.freshdesk.com/api): a ticket with
 * `include=stats,requester`, its conversations, an agent; and the body of the automation rule's
 * webhook, which deskpulse defines (README): the ticket id, and the triggering event for logs.
 */
const id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);
const instant = z.iso.datetime({ offset: true });
const optionalId = z.number().int().nullable().optional();

export const webhookSchema = z.object({
  ticket_id: id,
  event: z.string().optional(),
});

export const freshdeskTicketSchema = z.object({
  id: z.number().int().positive(),
  status: z.number().int(),
  priority: z.number().int().optional(),
  source: z.number().int().optional(),
  requester_id: optionalId,
  responder_id: optionalId,
  group_id: optionalId,
  tags: z.array(z.string()).optional(),
  created_at: instant,
  updated_at: instant,
  /** Marked as spam; in the trash (deleted, not yet for good). */
  spam: z.boolean().nullable().optional(),
  deleted: z.boolean().nullable().optional(),
  stats: z
    .object({
      resolved_at: instant.nullable().optional(),
      closed_at: instant.nullable().optional(),
      reopened_at: instant.nullable().optional(),
      pending_since: instant.nullable().optional(),
      status_updated_at: instant.nullable().optional(),
    })
    .optional(),
  requester: z
    .object({
      id: z.number().int().optional(),
      email: z.string().nullable().optional(),
      phone: z.string().nullable().optional(),
      mobile: z.string().nullable().optional(),
    })
    .optional(),
});
export type FreshdeskTicket = z.output<typeof freshdeskTicketSchema>;

export const conversationSchema = z.object({
  id: z.number().int().positive(),
  /** true: from the requester (or a customer); false: from an agent. */
  incoming: z.boolean(),
  /** Private notes. */
  private: z.boolean(),
  user_id: z.number().int(),
  created_at: instant,
});
export type FreshdeskConversation = z.output<typeof conversationSchema>;

export const agentSchema = z.object({
  id: z.number().int(),
  contact: z.object({ email: z.string().nullable().optional() }),
});
