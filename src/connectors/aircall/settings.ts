import { z } from 'zod';
import { secretListSchema, pollSchema } from '../../model/config.js';

export const aircallSettingsSchema = z.strictObject({
  /** Scheduled pulls of the history (`every: 5m`), beside or instead of webhooks. */
  poll: pollSchema.optional(),
  /** The token Aircall shows when the webhook is created; every delivery carries it. */
  webhook_token: secretListSchema,
  /** API ID and token (Company settings → Integrations & API) for `deskpulse backfill aircall`. */
  api_id: z.string().min(1).optional(),
  api_token: z.string().min(1).optional(),
});
export type AircallSettings = z.output<typeof aircallSettingsSchema>;

export const ORIGIN = 'https://api.aircall.io';

export function authorization(settings: AircallSettings): string {
  if (!settings.api_id || !settings.api_token)
    throw new Error('the aircall connector needs api_id and api_token to read the API');
  return `Basic ${Buffer.from(`${settings.api_id}:${settings.api_token}`).toString('base64')}`;
}
