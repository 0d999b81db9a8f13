import { z } from 'zod';
import { secretListSchema, pollSchema } from '../../model/config.js';

export const twilioSettingsSchema = z.strictObject({
  /** Scheduled pulls of the history (`every: 5m`), beside or instead of webhooks. */
  poll: pollSchema.optional(),
  /** The account's auth token (Console → Account info): signs every callback. */
  auth_token: secretListSchema,
  /**
   * This tenant's Twilio endpoint as Twilio calls it (`https://deskpulse.example.com/webhooks/twilio/acme`),
   * since the signature covers the URL; the request's query string is added to it.
   */
  public_url: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL Twilio posts to' }),
  /**
   * How long after a call ends to wait for its TaskRouter events before deciding it as known
   * (a call that never queued has none). Calls whose task settled are decided at once.
   */
  settle_seconds: z.number().int().min(0).max(3600).default(60),
  /** Account SID, for `deskpulse backfill twilio`. */
  account_sid: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/, { error: 'must be an account SID (AC…)' })
    .optional(),
});
export type TwilioSettings = z.output<typeof twilioSettingsSchema>;
