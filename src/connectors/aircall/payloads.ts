import { z } from 'zod';

/**
 * Aircall webhooks (developer.aircall.io, "Webhooks"): `{ resource, event, timestamp, token, data }`
 * with the token issued when the webhook was created, and `data` the Call object of the REST API.
 * Times are Unix seconds. Only the fields deskpulse reads are checked; the rest pass through.
 */
const id = z.union([z.number().int(), z.string().min(1)]).transform(String);
const unix = z.number().int().nonnegative();

export const aircallUserSchema = z.object({ id, email: z.string().nullable().optional() });

export const aircallCallSchema = z.object({
  id,
  direction: z.enum(['inbound', 'outbound']),
  status: z.string().optional(),
  started_at: unix,
  answered_at: unix.nullable().optional(),
  ended_at: unix.nullable().optional(),
  missed_call_reason: z.string().nullable().optional(),
  voicemail: z.string().nullable().optional(),
  raw_digits: z.string().nullable().optional(),
  user: aircallUserSchema.nullable().optional(),
  number: z.object({ id }).nullable().optional(),
  teams: z.array(z.object({ id })).nullable().optional(),
  contact: z
    .object({
      emails: z
        .array(z.object({ value: z.string() }))
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
});
export type AircallCall = z.output<typeof aircallCallSchema>;

export const webhookSchema = z.object({
  resource: z.string(),
  event: z.string(),
  timestamp: unix.optional(),
  token: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type AircallWebhook = z.output<typeof webhookSchema>;

/** The topic deskpulse uses: one call event once the call is over and its data is final. */
export const CALL_ENDED = 'call.ended';
