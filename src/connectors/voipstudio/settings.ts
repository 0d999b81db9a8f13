import { z } from 'zod';
import { issuedSecretSchema, pollSchema, timeZoneSchema } from '../../model/config.js';

export const voipstudioSettingsSchema = z.strictObject({
  /** An API key (Administration → Users → Advanced → API Keys), sent as `X-Auth-Token`. */
  api_key: z.string().min(1),
  /**
   * VoIPstudio's webhooks carry no signature and no custom header: the webhook URL carries this
   * deskpulse-issued key (`?key=…`), compared in constant time. Without it webhooks are refused
   * and only the (scheduled) pull brings calls in.
   */
  webhook_key: issuedSecretSchema.optional(),
  /** The zone of the account's CDR times (`calldate`, `event_time`), which carry no offset. */
  time_zone: timeZoneSchema.default('UTC'),
  /** How long after a hang-up webhook to read the CDRs (VoIPstudio writes a CDR when the call ends). */
  settle_seconds: z.number().int().min(0).max(600).default(60),
  /** Pull new CDRs on a schedule (`every: 5m`), beside or instead of webhooks. */
  poll: pollSchema.optional(),
});
export type VoipstudioSettings = z.output<typeof voipstudioSettingsSchema>;

export const ORIGIN = 'https://l7api.com';
export const API = '/v1.2/voipstudio';
