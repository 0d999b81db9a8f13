import { z } from 'zod';

/** The normalised event vocabulary of EVENTS.md, version 1. A public interface: change with care. */

export const CHANNELS = ['email', 'web', 'chat', 'phone', 'sms', 'social', 'api', 'other'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const AUTHORS = ['customer', 'agent', 'bot', 'system'] as const;
export const EVENT_TYPES = ['ticket.created', 'ticket.updated', 'message', 'call', 'survey'] as const;
export const CALL_OUTCOMES = ['answered', 'missed', 'abandoned', 'voicemail'] as const;
export const SURVEY_KINDS = ['csat', 'nps', 'ces'] as const;

export type Channel = (typeof CHANNELS)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Status = (typeof STATUSES)[number];
export type EventType = (typeof EVENT_TYPES)[number];
export type SurveyKind = (typeof SURVEY_KINDS)[number];

const key = z.string().min(1);
const instant = z.iso.datetime({ offset: true, local: false });
/** The pattern zod checks instants against, for the in-place fast path (model/fast-path.ts). */
export const instantPattern: RegExp = instant._zod.pattern;
const customer = z.union([key, z.array(key).min(1)]);

const common = {
  id: key,
  at: instant,
  source: key,
  tenant: key.optional(),
  customer: customer.optional(),
  agent: key.optional(),
  team: key.optional(),
  channel: z.enum(CHANNELS).optional(),
};

export const ticketCreatedSchema = z.object({
  ...common,
  type: z.literal('ticket.created'),
  ticket: key,
  priority: z.enum(PRIORITIES).optional(),
  tags: z.array(z.string()).optional(),
  outbound: z.boolean().optional(),
});

export const ticketUpdatedSchema = z.object({
  ...common,
  type: z.literal('ticket.updated'),
  ticket: key,
  status: z.enum(STATUSES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  // null unassigns
  agent: key.nullable().optional(),
  team: key.nullable().optional(),
  tags: z.array(z.string()).optional(),
});

export const messageSchema = z.object({
  ...common,
  type: z.literal('message'),
  ticket: key,
  author: z.enum(AUTHORS),
  public: z.boolean().default(true),
});

export const callDetailSchema = z
  .object({
    id: key,
    direction: z.enum(['inbound', 'outbound']),
    started_at: instant,
    answered_at: instant.optional(),
    ended_at: instant,
    hold_seconds: z.number().min(0).default(0),
    outcome: z.enum(CALL_OUTCOMES),
  })
  .check((ctx) => {
    const call = ctx.value;
    if (call.outcome === 'answered' && call.answered_at === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: call,
        path: ['answered_at'],
        message: 'is required when outcome is answered',
      });
    }
    if (Date.parse(call.ended_at) < Date.parse(call.started_at)) {
      ctx.issues.push({ code: 'custom', input: call, path: ['ended_at'], message: 'is before started_at' });
    }
  });

export const callSchema = z
  .object({
    ...common,
    type: z.literal('call'),
    ticket: key.optional(),
    call: callDetailSchema,
  })
  .check((ctx) => {
    const event = ctx.value;
    if (Date.parse(event.at) !== Date.parse(event.call.started_at)) {
      ctx.issues.push({ code: 'custom', input: event, path: ['at'], message: 'must equal call.started_at' });
    }
  });

const DEFAULT_SCALE: Record<SurveyKind, number> = { csat: 5, nps: 10, ces: 7 };

export const surveySchema = z
  .object({
    ...common,
    type: z.literal('survey'),
    ticket: key.optional(),
    kind: z.enum(SURVEY_KINDS),
    score: z.number(),
    scale_max: z.number().positive().optional(),
  })
  .check((ctx) => {
    const survey = ctx.value;
    const max = survey.scale_max ?? DEFAULT_SCALE[survey.kind];
    if (survey.score < 0 || survey.score > max) {
      ctx.issues.push({
        code: 'custom',
        input: survey,
        path: ['score'],
        message: `must be between 0 and ${max}`,
      });
    }
  });

export const eventSchema = z.discriminatedUnion('type', [
  ticketCreatedSchema,
  ticketUpdatedSchema,
  messageSchema,
  callSchema,
  surveySchema,
]);

export type TicketCreatedEvent = z.infer<typeof ticketCreatedSchema>;
export type TicketUpdatedEvent = z.infer<typeof ticketUpdatedSchema>;
export type MessageEvent = z.infer<typeof messageSchema>;
export type CallEvent = z.infer<typeof callSchema>;
export type CallDetail = z.infer<typeof callDetailSchema>;
export type SurveyEvent = z.infer<typeof surveySchema>;
/** An event as written on the wire (EVENTS.md). */
export type NormalizedEvent = z.infer<typeof eventSchema>;
export type NormalizedEventInput = z.input<typeof eventSchema>;

export function surveyScaleMax(survey: Pick<SurveyEvent, 'kind' | 'scale_max'>): number {
  return survey.scale_max ?? DEFAULT_SCALE[survey.kind];
}

export function customerKeys(event: { customer?: string | string[] | undefined }): string[] {
  const value = event.customer;
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}
