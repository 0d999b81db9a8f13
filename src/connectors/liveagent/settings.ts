import { z } from 'zod';
import { issuedSecretSchema, pollSchema, settleSecondsSchema, timeZoneSchema } from '../../model/config.js';

const fieldCode = z
  .string()
  .regex(/^[A-Za-z0-9_]+$/, { error: 'must be the field code (letters, digits, _)' });

/** What a message group of a ticket is to deskpulse (see `message_group_types`). */
export const GROUP_KINDS = ['email', 'web', 'chat', 'social', 'call', 'internal', 'ignore'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export const liveagentSettingsSchema = z.strictObject({
  // Only the subdomain is configurable: requests go to https://<domain>.ladesk.com and nowhere else.
  domain: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    error: 'must be the subdomain only (acme for acme.ladesk.com)',
  }),
  /** An API v3 key (Configuration → System → API), sent in the `apikey` header. */
  api_key: z.string().min(1),
  /**
   * The secret deskpulse issues for this tenant (`deskpulse secret`): the rule's HTTP request sends
   * it in `X-Deskpulse-Secret`, as the password of basic auth, or as `?key=` in the URL.
   */
  webhook_secret: issuedSecretSchema.optional(),
  /** The zone of the account's API times (`2026-03-05 10:00:00`, no offset); LiveAgent's API answers in UTC. */
  time_zone: timeZoneSchema.default('UTC'),
  /** Seconds after a webhook before the ticket is read: every webhook of a burst in that time shares one read. */
  settle_seconds: settleSecondsSchema.default(5),
  /** Pull changed tickets on a schedule (`every: 5m`), beside or instead of rule webhooks. */
  poll: pollSchema.optional(),
  /** Message group `type` codes read differently from deskpulse's defaults (README, "LiveAgent"). */
  message_group_types: z.record(z.string().regex(/^[A-Za-z0-9]$/), z.enum(GROUP_KINDS)).optional(),
  /** Metrics written back onto tickets, into these ticket fields (Configuration → Tickets → Ticket fields: their codes). */
  push_back: z
    .strictObject({
      fields: z.strictObject({
        first_response_minutes: fieldCode.optional(),
        resolution_minutes: fieldCode.optional(),
        contacts: fieldCode.optional(),
        calls_to_resolution: fieldCode.optional(),
        fcr: fieldCode.optional(),
        sla_state: fieldCode.optional(),
      }),
    })
    .optional(),
});
export type LiveagentSettings = z.output<typeof liveagentSettingsSchema>;

export const origin = (settings: Pick<LiveagentSettings, 'domain'>): string =>
  `https://${settings.domain}.ladesk.com`;
