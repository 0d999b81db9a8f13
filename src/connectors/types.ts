import type { z } from 'zod';
import type { NormalizedEvent, Status } from '../model/events.js';

/** What a webhook request looks like once the HTTP layer has read it: raw bytes and headers. */
export interface RawDelivery {
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** The request's path and query as received (`/webhooks/twilio/acme?bodySHA256=…`). */
  url?: string;
}

/** The verdict on a delivery's authenticity: the HTTP layer answers 401 for every `false`. */
export type Verdict = { ok: true } | { ok: false; reason: string };

/** A payload checked against the provider's documented shape, or why it is not one (HTTP 400). */
export type Parsed<T> =
  | {
      ok: true;
      payload: T;
      /** a topic deskpulse does not use: acknowledged, counted, not normalised */ ignored?: string;
    }
  | { ok: false; reason: string };

/** Looks up what a provider's id stands for (an agent or an end user, their e-mail), cached by the caller. */
export interface UserDirectory {
  user(id: string): Promise<DirectoryUser | null>;
  /** Record what a payload already says about a user (an agent's e-mail), sparing a look-up. */
  remember(id: string, user: DirectoryUser): Promise<void>;
}

/**
 * Short-lived per-tenant records for providers that report one thing in several deliveries
 * (Twilio: a call's status callbacks and its TaskRouter task), kept two days.
 */
export interface ScratchPad {
  /** Set these fields of record `key` (atomically, field by field) and return all of its fields. */
  merge(key: string, fields: Record<string, string>): Promise<Record<string, string>>;
  /** True for the first caller only: whoever claims `key` emits the combined event. */
  claim(key: string): Promise<boolean>;
}

export interface NormalizeContext {
  tenant: string;
  /** For connectors whose webhooks only say what changed (Freshdesk): read the rest from the API. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  users: UserDirectory;
  scratch?: ScratchPad;
  /** Come back to record `key` in `delayMs` through the connector's `finalize` (once per key). */
  defer?(key: string, delayMs: number): Promise<void>;
  /** The tenant's country for national phone numbers (ISO 3166-1 alpha-2). */
  defaultCountry?: string;
}

/** One page of a provider's history, normalised. */
export interface HistoryPage {
  events: NormalizedEvent[];
  /** Tickets, conversations or calls on the page. */
  items: number;
  /** Where a later backfill resumes (kept after the last page too, for incremental runs), if anywhere. */
  cursor: string | null;
  done: boolean;
}

export interface HistoryContext extends NormalizeContext {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** `deskpulse backfill <provider>`: history pages from `since`, or from a saved cursor. */
export interface HistorySource<Settings> {
  /** What a page's `items` counts, for the progress bar. */
  unit: string;
  pages(
    settings: Settings,
    from: { since: Date; cursor: string | null },
    context: HistoryContext,
  ): AsyncIterable<HistoryPage>;
}

/**
 * A connector is data plus a few small functions (STYLE.md): the schema of its per-tenant
 * settings, `verify` on the raw bytes, `parse` against the provider's documented payloads and
 * `normalize` into EVENTS.md. Nothing outside its folder knows the provider's field names.
 */
export interface Connector<Settings, Payload> {
  id: string;
  kind: 'helpdesk' | 'chat' | 'calls' | 'events';
  settingsSchema: z.ZodType<Settings>;
  verify(delivery: RawDelivery, settings: Settings, nowMs: number): Verdict;
  parse(body: Buffer): Parsed<Payload>;
  normalize(payload: Payload, context: NormalizeContext, settings: Settings): Promise<NormalizedEvent[]>;
  /** Who a provider user id is (agent or end user, e-mail, phone), for `UserDirectory`; uncached. */
  lookupUser?(settings: Settings, id: string, fetchImpl: typeof fetch): Promise<DirectoryUser | null>;
  history?: HistorySource<Settings>;
  /** A decision `normalize` deferred (see `NormalizeContext.defer`): the events it now makes, if any. */
  finalize?(key: string, context: NormalizeContext, settings: Settings): Promise<NormalizedEvent[]>;
  /** The `lookupUser` id of an agent key's id, where the provider keeps agents apart (`admin:<id>`). */
  agentUserId?(id: string): string;
  /** Whether the tenant's settings ask for metrics on the tickets (`push_back`). */
  pushesBack?(settings: Settings): boolean;
  /** Whether the provider lets a ticket in this status be written at all (absent: any status). */
  writableIn?(status: Status): boolean;
  /** Write metrics onto tickets (ids without the source), as the settings say; which were written. */
  pushBack?(
    settings: Settings,
    tickets: ReadonlyArray<{ id: string; values: TicketValues }>,
    io: { fetch: typeof fetch; sleep: (ms: number) => Promise<void> },
  ): Promise<{ updated: string[]; failed: Array<{ id: string; error: string }> }>;
}

/** What deskpulse writes on one ticket: the values of the configured fields, and tags where supported. */
export interface TicketValues {
  first_response_minutes: number | null;
  resolution_minutes: number | null;
  contacts: number;
  calls_to_resolution: number;
  fcr: boolean | null;
  sla_state: 'met' | 'at_risk' | 'breached' | 'active' | 'none';
}

export interface DirectoryUser {
  role: 'agent' | 'end-user';
  email?: string;
  phone?: string;
}

export function header(headers: RawDelivery['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export const asList = (secret: string | string[]): string[] => (Array.isArray(secret) ? secret : [secret]);
