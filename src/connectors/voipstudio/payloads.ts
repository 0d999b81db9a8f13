import { z } from 'zod';

const id = z.union([z.number(), z.string().min(1)]).transform(String);
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, {
  error: 'must be a time as YYYY-MM-DD HH:MM:SS',
});

/**
 * A call detail record (`GET /cdrs`): `calldate` when the call began (account time, no offset),
 * `duration` its length and `billsec` the connected part, in seconds; `type` I inbound, O outbound,
 * M missed; `disposition` how it ended (CONNECTED, NO ANSWER, BUSY, …); `user_id` the user on it.
 */
export const cdrSchema = z.looseObject({
  id,
  calldate: localTime,
  type: z.string(),
  src: z.string().nullish(),
  dst: z.string().nullish(),
  duration: z.coerce.number().nonnegative(),
  billsec: z.coerce.number().nonnegative().default(0),
  disposition: z.string().default(''),
  user_id: id.nullish(),
});
export type VoipstudioCdr = z.output<typeof cdrSchema>;

/** A collection page: `{ data: [...], total }`. */
export const cdrPageSchema = z.object({ data: z.array(z.unknown()), total: z.coerce.number() });

/** A webhook's call event: `call.ringing`, `call.connected`, `call.hangup`, `call.missed`, … */
export const webhookSchema = z.looseObject({
  id: z.string().min(1),
  event_time: localTime,
  event_name: z.string().min(1),
  call_id: id.optional(),
  state: z.string().optional(),
});
export type VoipstudioWebhook = z.output<typeof webhookSchema>;

/** The events after which a call has a CDR. */
export const CALL_FINISHED = new Set(['call.hangup', 'call.missed']);

/** A user (`GET /users/{id}`): `{ data: { id, email, … } }`. */
export const userSchema = z.object({ data: z.looseObject({ id, email: z.string().nullish() }) });
