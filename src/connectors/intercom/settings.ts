import { z } from 'zod';
import { secretListSchema, pollSchema } from '../../model/config.js';

export const intercomSettingsSchema = z.strictObject({
  /** Scheduled pulls of the history (`every: 5m`), beside or instead of webhooks. */
  poll: pollSchema.optional(),
  /** The app's client secret (Developer Hub → your app → Basic information): signs every webhook. */
  client_secret: secretListSchema,
  /** Access token (Developer Hub → Authentication) for contacts, admins and `deskpulse backfill intercom`. */
  access_token: z.string().min(1).optional(),
  /** Where the workspace is hosted: requests go to api.intercom.io, api.eu.intercom.io or api.au.intercom.io. */
  region: z.enum(['us', 'eu', 'au']).default('us'),
});
export type IntercomSettings = z.output<typeof intercomSettingsSchema>;

export const origin = (settings: Pick<IntercomSettings, 'region'>): string =>
  settings.region === 'us' ? 'https://api.intercom.io' : `https://api.${settings.region}.intercom.io`;

/** The API version whose shapes the fixtures follow. */
export const API_VERSION = '2.11';

export function apiHeaders(settings: IntercomSettings): Record<string, string> {
  if (!settings.access_token) throw new Error('the intercom connector needs access_token to read the API');
  return { authorization: `Bearer ${settings.access_token}`, 'intercom-version': API_VERSION };
}
