import { z } from 'zod';
import { secretListSchema, pollSchema } from '../../model/config.js';

export const zendeskSettingsSchema = z.strictObject({
  /** Scheduled pulls of the history (`every: 5m`), beside or instead of webhooks. */
  poll: pollSchema.optional(),
  // Only the subdomain is configurable: requests go to https://<subdomain>.zendesk.com and nowhere else.
  subdomain: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be the subdomain only (acme for acme.zendesk.com)' }),
  email: z.email({ error: 'must be the e-mail of the API user' }),
  api_token: z.string().min(1),
  signing_secret: secretListSchema,
  /**
   * Metrics written back onto tickets: Zendesk custom field ids per metric (Admin Center →
   * Objects and rules → Tickets → Fields), and/or tags (`deskpulse_fcr`, `deskpulse_sla_breached`).
   */
  push_back: z
    .strictObject({
      fields: z
        .strictObject({
          first_response_minutes: z.number().int().positive().optional(),
          resolution_minutes: z.number().int().positive().optional(),
          contacts: z.number().int().positive().optional(),
          calls_to_resolution: z.number().int().positive().optional(),
          fcr: z.number().int().positive().optional(),
          sla_state: z.number().int().positive().optional(),
        })
        .default({}),
      tags: z.boolean().default(false),
    })
    .optional(),
  /**
   * The deskpulse sidebar app (manifests/zendesk): its requests carry a JWT that deskpulse
   * verifies — HS256 with the app's shared secret (a secure app setting), or RS256 with the public
   * key whose private half signs them. `iss` must be this account (`acme.zendesk.com`), `aud` the
   * deskpulse URL the app is configured with.
   */
  app: z
    .strictObject({
      audience: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of deskpulse the app calls' }),
      shared_secret: secretListSchema.optional(),
      public_key: z
        .string()
        .regex(/-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----/, {
          error: 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)',
        })
        .optional(),
    })
    .refine((app) => app.shared_secret !== undefined || app.public_key !== undefined, {
      error: 'needs shared_secret (HS256) or public_key (RS256)',
    })
    .optional(),
});
export type ZendeskSettings = z.output<typeof zendeskSettingsSchema>;

export const baseUrl = (settings: Pick<ZendeskSettings, 'subdomain'>): string =>
  `https://${settings.subdomain}.zendesk.com`;

export function authorization(settings: Pick<ZendeskSettings, 'email' | 'api_token'>): string {
  return `Basic ${Buffer.from(`${settings.email}/token:${settings.api_token}`).toString('base64')}`;
}
