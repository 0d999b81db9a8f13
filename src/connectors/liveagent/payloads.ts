import { z } from 'zod';

/**
 * The shapes of LiveAgent's API v3 we read (support.liveagent.com, "API v3"): a ticket, its
 * message groups (each with its messages), an agent, a contact; and the body of the rule's HTTP
 * request, which deskpulse defines (README). Times are `YYYY-MM-DD HH:MM:SS` without an offset.
 */
const id = z.union([z.number(), z.string().min(1)]).transform(String);
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, {
  error: 'must be a time as YYYY-MM-DD HH:MM:SS',
});

export const webhookSchema = z.object({ ticket_id: id, event: z.string().optional() });

export const liveagentTicketSchema = z.looseObject({
  id,
  code: z.string().optional(),
  /** I init, N new, T chatting, P calling, R resolved, X deleted, B spam, A answered, C open, W postponed, L closed. */
  status: z.string(),
  /** E e-mail, B contact button, M contact form, I invitation, C call, W call button, F/A Facebook, T Twitter, Q forum, S suggestion. */
  channel_type: z.string().optional(),
  departmentid: z.string().nullish(),
  agentid: z.string().nullish(),
  owner_contactid: z.string().nullish(),
  owner_email: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  date_created: localTime,
  date_changed: localTime,
  date_resolved: localTime.nullish(),
});
export type LiveagentTicket = z.output<typeof liveagentTicketSchema>;

export const messageSchema = z.looseObject({
  id,
  userid: z.string().nullish(),
  /** M message, Y legacy message, F file carry what was written; H header, Q quoted, I internal, S system and the rest do not. */
  type: z.string().optional(),
  datecreated: localTime,
});

export const messageGroupSchema = z.looseObject({
  id,
  userid: z.string().nullish(),
  type: z.string(),
  datecreated: localTime,
  datefinished: localTime.nullish(),
  messages: z.array(messageSchema).nullish(),
});
export type LiveagentMessageGroup = z.output<typeof messageGroupSchema>;

export const agentSchema = z.looseObject({ id, email: z.string().nullish() });
export const contactSchema = z.looseObject({
  id,
  emails: z.array(z.string()).nullish(),
  phones: z.array(z.string()).nullish(),
});

/** A row of `GET /tickets/{id}/history`: the ticket's status, agent and department from `date_from` on. */
export const historySchema = z.looseObject({
  id: id.optional(),
  status: z.string(),
  agent_id: z.string().nullish(),
  department_id: z.string().nullish(),
  date_from: localTime,
  date_to: localTime.nullish(),
});
export type LiveagentHistory = z.output<typeof historySchema>;
