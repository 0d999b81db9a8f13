import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { instantIn } from '../model/period.js';
import { wasRemoved } from '../store/timelines.js';

/** A query parameter the API cannot use: answered 400 with the parameter's name and the reason. */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * Refuse parameters an endpoint does not take: a misspelt filter (`teams=billing`) would
 * otherwise answer with everyone's figures, which look like an answer.
 */
export function onlyParameters(request: Request, allowed: readonly string[]): void {
  for (const name of Object.keys(request.query)) {
    if (!allowed.includes(name)) {
      throw new BadRequest(
        name,
        allowed.length === 0
          ? 'unknown parameter: this endpoint takes none'
          : `unknown parameter: this endpoint takes ${allowed.join(', ')}`,
      );
    }
  }
}

/** A parameter's one string value, `null` when absent or empty. */
function single(request: Request, name: string): string | null {
  const value = request.query[name];
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string') throw new BadRequest(name, 'must be given once');
  return value;
}

/** An instant parameter; a date or a time without an offset is on the wall clock of `zone` (the tenant's). */
export function instant(request: Request, name: string, zone: string): number | null {
  const value = single(request, name);
  if (value === null) return null;
  const ms = instantIn(value, zone);
  if (ms === null) throw new BadRequest(name, `${JSON.stringify(value)} is not an ISO-8601 date or instant`);
  return ms;
}

/** `from` and `to`, the period `[from, to)`: `to` must come after `from` when both are given. */
export function period(request: Request, zone: string): { from: number | null; to: number | null } {
  const from = instant(request, 'from', zone);
  const to = instant(request, 'to', zone);
  if (from !== null && to !== null && to <= from)
    throw new BadRequest(
      'to',
      `must be later than from (${new Date(from).toISOString()}); the period is [from, to)`,
    );
  return { from, to };
}

/** An optional parameter that must be one of `allowed`. */
export function oneOf<T extends string>(request: Request, name: string, allowed: readonly T[]): T | null {
  const value = single(request, name);
  if (value === null) return null;
  if (!(allowed as readonly string[]).includes(value))
    throw new BadRequest(name, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** An optional free-text parameter (a team name). */
export const text = single;

/** The 404 of a ticket not stored: not seen yet, or removed by the retention (`removed: true`). */
export async function missingTicket(
  redis: Redis,
  tenant: string,
  ticket: string,
  notSeen: string,
): Promise<{ error: 'not found'; reason: string; removed?: true }> {
  if (await wasRemoved(redis, tenant, ticket))
    return {
      error: 'not found',
      reason: `ticket ${ticket} was removed by the tenant's retention (resolved, and older)`,
      removed: true,
    };
  return { error: 'not found', reason: notSeen };
}
