import { z } from 'zod';
import { CHANNELS, PRIORITIES } from './events.js';
import { boundReason } from './validate.js';

/** The tenants file of METRICS.md "Configuration": calendars, SLA policies, linking windows. */

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `90` (seconds), `"90m"`, `"8h"`, `"7d"`, `"1h30m"` → seconds; `null` when it is not a duration. */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(text)) return null;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) {
    seconds += Number(amount) * (UNITS[unit as string] as number);
  }
  return seconds;
}

export const duration = z.unknown().transform((value, ctx) => {
  const seconds = parseDuration(value);
  if (seconds === null) {
    ctx.issues.push({ code: 'custom', input: value, message: `${JSON.stringify(value)} is not a duration` });
    return z.NEVER;
  }
  return seconds;
});

/**
 * A connector's scheduled pull (`poll: { every: 5m }`): its history read incrementally at that
 * interval, for systems without webhooks (or as a safety net beside them). At least a minute.
 */
export const pollSchema = z.strictObject({
  every: duration.refine((seconds) => seconds >= 60, { error: 'must be at least 1m' }),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Minutes since local midnight of "HH:MM"; "24:00" only where `allowEnd`. */
export function parseClock(text: string, allowEnd: boolean): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > 24 * 60 || (minutes === 24 * 60 && !allowEnd)) return null;
  return minutes;
}

const openInterval = z.tuple([z.string(), z.string()]).check((ctx) => {
  const [start, end] = ctx.value;
  const from = parseClock(start, false);
  const to = parseClock(end, true);
  if (from === null) ctx.issues.push({ code: 'custom', input: start, message: `"${start}" is not a time` });
  if (to === null) ctx.issues.push({ code: 'custom', input: end, message: `"${end}" is not a time` });
  if (from !== null && to !== null && from >= to) {
    ctx.issues.push({ code: 'custom', input: ctx.value, message: `"${start}" is not before "${end}"` });
  }
});

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const localDate = z.string().check((ctx) => {
  const text = ctx.value;
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(text) &&
    !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) &&
    new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
  if (!valid)
    ctx.issues.push({ code: 'custom', input: text, message: `"${text}" is not a date (YYYY-MM-DD)` });
});

export const businessHoursSchema = z
  .strictObject({
    timezone: z
      .string()
      .refine(isTimeZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone` }),
    weekly: z.strictObject(
      Object.fromEntries(WEEKDAYS.map((day) => [day, z.array(openInterval).optional()])),
    ),
    holidays: z.array(localDate).default([]),
  })
  .check((ctx) => {
    const open = Object.values(ctx.value.weekly).some((intervals) => (intervals?.length ?? 0) > 0);
    if (!open)
      ctx.issues.push({ code: 'custom', input: ctx.value, path: ['weekly'], message: 'has no open hours' });
  });

export type BusinessHours = {
  timezone: string;
  weekly: Partial<Record<Weekday, Array<[string, string]>>>;
  holidays: string[];
};

export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

/** An SLA target: a duration of more than nothing (a target of 0 would be missed as it starts). */
const target = duration.refine((seconds) => seconds > 0, { error: 'must be more than 0' });

export const slaPolicySchema = z.strictObject({
  name: z.string().min(1),
  when: z
    .strictObject({
      priority: z.array(z.enum(PRIORITIES)).optional(),
      channel: z.array(z.enum(CHANNELS)).optional(),
      team: z.array(z.string()).optional(),
      tags: z.array(z.string()).optional(),
    })
    .default({}),
  targets: z.strictObject({
    first_response: target.optional(),
    next_response: target.optional(),
    resolution: target.optional(),
  }),
  business_hours: z.boolean().default(false),
  warn_at: z.number().gt(0).lte(1).default(0.75),
  pause_on_hold: z.boolean().default(false),
});
export type SlaPolicy = z.output<typeof slaPolicySchema>;

export const DEFAULT_LINK_BEFORE = 3600;
export const DEFAULT_REPEAT_WINDOW = 7 * 86400;

const providerIds = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'must be an id, or a list of ids',
});

/** A secret: a non-empty string, or several while one is being rotated out. */
export const secretListSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'must be a secret (a non-empty string), or a list of them while rotating',
});

/**
 * A secret deskpulse issues (`deskpulse secret`) for providers whose webhooks carry no signature:
 * long, and URL-safe so that it may ride in a webhook URL. Several while one is rotated out.
 */
const issuedSecret = z
  .string()
  .min(24, { error: 'must be at least 24 characters (deskpulse secret makes one)' })
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'must be URL-safe (letters, digits, - and _)' });
export const issuedSecretSchema = z.union([issuedSecret, z.array(issuedSecret).min(1)]);

/** Seconds to wait after a webhook that names a ticket before reading it (bursts share one read). */
export const settleSecondsSchema = z.number().int().min(0).max(600);

/** An IANA time zone, for providers whose API times carry no offset. */
export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone` });

/** Only Slack's own incoming-webhook host: deskpulse never posts alerts to an arbitrary URL. */
const slackWebhookUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (
        url.protocol === 'https:' && url.host === 'hooks.slack.com' && url.pathname.startsWith('/services/')
      );
    } catch {
      return false;
    }
  },
  { error: 'must be a Slack incoming-webhook URL (https://hooks.slack.com/services/…)' },
);

export const ALERT_KINDS = ['at_risk', 'breached', 'digest'] as const;

const slackDestinationSchema = z
  .strictObject({
    webhook_url: slackWebhookUrl.optional(),
    bot_token: z
      .string()
      .regex(/^xoxb-/, { error: 'must be a bot token (xoxb-…)' })
      .optional(),
    channel: z.string().min(1).optional(),
    /** Routing: only alerts of these teams, priorities and kinds (absent: all). */
    teams: z.array(z.string()).optional(),
    priorities: z.array(z.enum(PRIORITIES)).optional(),
    kinds: z.array(z.enum(ALERT_KINDS)).optional(),
  })
  .check((ctx) => {
    const { webhook_url: webhook, bot_token: token, channel } = ctx.value;
    const valid = webhook ? !token && !channel : Boolean(token && channel);
    if (!valid) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: 'give either webhook_url, or bot_token and channel',
      });
    }
  });
export type SlackDestination = z.output<typeof slackDestinationSchema>;

export const tenantSchema = z.strictObject({
  // Tenant ids appear in URLs and Redis keys: keep them plain.
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1–64 letters, digits, - or _' }),
  /** Bearer tokens for the REST API; each one identifies this tenant. */
  api_tokens: z.array(z.string().min(16, { error: 'must be at least 16 characters' })).default([]),
  /** Per provider (`zendesk`, `events`, …): validated by that connector's own schema. */
  connectors: z.record(z.string(), z.unknown()).default({}),
  business_hours: businessHoursSchema.optional(),
  /** ISO 3166-1 country of national phone numbers (`0612345678` with `FR` is +33612345678). */
  default_country: z
    .string()
    .regex(/^[A-Z]{2}$/, { error: 'must be an ISO 3166-1 alpha-2 country code such as US or FR' })
    .optional(),
  /** Per team: its own calendar, and its id in each connected system (`zendesk: "360001"`). */
  teams: z
    .record(z.string(), z.object({ business_hours: businessHoursSchema.optional() }).catchall(providerIds))
    .default({}),
  /**
   * One person across systems: `maria: { email: "maria@acme.com", zendesk: "1001", aircall: "77" }`.
   * Provider users whose e-mail matches `email` are mapped to the person without listing their ids.
   */
  people: z.record(z.string(), z.record(z.string(), providerIds)).default({}),
  // Names identify a ticket's targets in its output, its SLA timers and alerts: one per policy.
  sla_policies: z
    .array(slaPolicySchema)
    .default([])
    .check((ctx) => {
      const seen = new Set<string>();
      ctx.value.forEach((policy, index) => {
        if (seen.has(policy.name)) {
          ctx.issues.push({
            code: 'custom',
            input: policy.name,
            path: [index, 'name'],
            message: `"${policy.name}" is the name of an earlier policy`,
          });
        }
        seen.add(policy.name);
      });
    }),
  /** Where SLA alerts go, and the app's signing secret for its buttons (`POST /slack/actions`). */
  slack: z
    .strictObject({
      signing_secret: secretListSchema.optional(),
      /** Link to a ticket in the helpdesk; `{id}` is the ticket's id without its source. */
      ticket_url: z
        .string()
        .regex(/^https:\/\/[^\s]*\{id\}/, { error: 'must be an https URL with {id}' })
        .optional(),
      destinations: z.array(slackDestinationSchema).default([]),
      /** A daily digest per team at this local hour (the tenant's business-hours time zone, else UTC). */
      digest: z.strictObject({ hour: z.number().int().min(0).max(23) }).optional(),
    })
    .optional(),
  /**
   * How long resolved tickets, ticketless calls and surveys are kept by the service (unset: for
   * ever). At least 30 days, so that no open call case or linking window reaches past it.
   */
  retention: duration
    .refine((seconds) => seconds >= 30 * 86_400, { error: 'must be at least 30d' })
    .optional(),
  call_linking: z
    .strictObject({
      link_before: duration.default(DEFAULT_LINK_BEFORE),
      repeat_window: duration.default(DEFAULT_REPEAT_WINDOW),
    })
    .default({ link_before: DEFAULT_LINK_BEFORE, repeat_window: DEFAULT_REPEAT_WINDOW }),
});
export type TenantConfig = z.output<typeof tenantSchema>;

export const configSchema = z.strictObject({ tenants: z.array(tenantSchema).min(1) }).check((ctx) => {
  const seen = new Set<string>();
  ctx.value.tenants.forEach((tenant, index) => {
    if (seen.has(tenant.id)) {
      ctx.issues.push({
        code: 'custom',
        input: tenant.id,
        path: ['tenants', index, 'id'],
        message: `"${tenant.id}" is listed twice`,
      });
    }
    seen.add(tenant.id);
  });
});
export type Config = z.output<typeof configSchema>;

/** A tenant with nothing configured: calendar time only, no SLA policies, default windows. */
export function defaultTenant(id = 'default'): TenantConfig {
  return tenantSchema.parse({ id });
}

/** `tenants[0].business_hours.weekly.mon[0]` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text;
}

export function describeConfigError(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = formatPath(issue.path) || '(top level)';
    let reason = issue.message;
    // A missing key reads "is required", whatever it would have had to be (a union's alternatives too).
    if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined)
      reason = 'is required';
    else if (issue.code === 'invalid_type') reason = `must be ${issue.expected}`;
    // zod's own wording for bounds ("Too small: expected array to have >=1 items"), ours kept.
    else if (issue.code === 'too_small' && issue.message.startsWith('Too small')) reason = boundReason(issue);
    else if (issue.code === 'too_big' && issue.message.startsWith('Too big')) reason = boundReason(issue);
    else if (issue.code === 'invalid_value') reason = `must be one of ${issue.values.map(String).join(', ')}`;
    else if (issue.code === 'unrecognized_keys')
      reason = `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${where}: ${reason}`;
  });
}

/** The tenant's local time zone: its business-hours zone, else UTC (days of reports and digests). */
export const tenantZone = (tenant: Pick<TenantConfig, 'business_hours'>): string =>
  tenant.business_hours?.timezone ?? 'UTC';

/** The helpdesk link of a ticket from a `ticket_url` template (`{id}`: the id without its source). */
export function ticketUrl(ticket: string, template: string | undefined): string | null {
  if (!template) return null;
  const id = ticket.includes(':') ? ticket.slice(ticket.indexOf(':') + 1) : ticket;
  return template.replace('{id}', encodeURIComponent(id));
}
