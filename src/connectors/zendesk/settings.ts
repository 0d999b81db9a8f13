import { z } from 'zod';
import { secretListSchema } from '../../model/config.js';

export const zendeskSettingsSchema = z.strictObject({
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
});
export type ZendeskSettings = z.output<typeof zendeskSettingsSchema>;

export const baseUrl = (settings: Pick<ZendeskSettings, 'subdomain'>): string =>
  `https://${settings.subdomain}.zendesk.com`;

export function authorization(settings: Pick<ZendeskSettings, 'email' | 'api_token'>): string {
  return `Basic ${Buffer.from(`${settings.email}/token:${settings.api_token}`).toString('base64')}`;
}
