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
});
export type ZendeskSettings = z.output<typeof zendeskSettingsSchema>;

export const baseUrl = (settings: Pick<ZendeskSettings, 'subdomain'>): string =>
  `https://${settings.subdomain}.zendesk.com`;

export function authorization(settings: Pick<ZendeskSettings, 'email' | 'api_token'>): string {
  return `Basic ${Buffer.from(`${settings.email}/token:${settings.api_token}`).toString('base64')}`;
}
