import type { z } from 'zod';
import type { NormalizedEvent } from '../model/events.js';

/** What a webhook request looks like once the HTTP layer has read it: raw bytes and headers. */
export interface RawDelivery {
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** The verdict on a delivery's authenticity: the HTTP layer answers 401 for every `false`. */
export type Verdict = { ok: true } | { ok: false; reason: string };

/** A payload checked against the provider's documented shape, or why it is not one (HTTP 400). */
export type Parsed<T> = { ok: true; payload: T } | { ok: false; reason: string };

/** Looks up what a provider's id stands for (an agent or an end user, their e-mail), cached by the caller. */
export interface UserDirectory {
  user(id: string): Promise<DirectoryUser | null>;
}

export interface NormalizeContext {
  tenant: string;
  users: UserDirectory;
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
