import { z } from 'zod';
import { issuedSecretSchema, pollSchema, settleSecondsSchema } from '../../model/config.js';

/** A custom field's API name in Freshdesk (Admin → Ticket Fields): `cf_` and lower-case letters. */
const customField = z
  .string()
  .regex(/^cf_[a-z0-9_]+$/, { error: 'must be the field name as the API shows it (cf_…)' });

export const freshdeskSettingsSchema = z.strictObject({
  // Only the subdomain is configurable: requests go to https://<domain>.freshdesk.com and nowhere else.
  domain: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    error: 'must be the subdomain only (acme for acme.freshdesk.com)',
  }),
  api_key: z.string().min(1),
  /**
   * The secret deskpulse issues for this tenant (`deskpulse secret`): the automation rule's
   * webhook sends it in the `X-Deskpulse-Secret` header, or as the password of basic auth.
   */
  webhook_secret: issuedSecretSchema,
  /** Seconds after a webhook before the ticket is read: every webhook of a burst in that time shares one read. */
  settle_seconds: settleSecondsSchema.default(5),
  /** Pull updated tickets on a schedule as well (`every: 5m`), for accounts without automation webhooks. */
  poll: pollSchema.optional(),
  /** Metrics written back onto tickets, into these custom fields (number, checkbox and text fields). */
  push_back: z
    .strictObject({
      fields: z.strictObject({
        first_response_minutes: customField.optional(),
        resolution_minutes: customField.optional(),
        contacts: customField.optional(),
        calls_to_resolution: customField.optional(),
        fcr: customField.optional(),
        sla_state: customField.optional(),
      }),
    })
    .optional(),
});
export type FreshdeskSettings = z.output<typeof freshdeskSettingsSchema>;

export const origin = (settings: Pick<FreshdeskSettings, 'domain'>): string =>
  `https://${settings.domain}.freshdesk.com`;

/** Freshdesk's basic auth: the API key as the user name, any password. */
export function authorization(settings: Pick<FreshdeskSettings, 'api_key'>): string {
  return `Basic ${Buffer.from(`${settings.api_key}:X`).toString('base64')}`;
}
