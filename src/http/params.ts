import type { Request } from 'express';
import { instantIn } from '../model/period.js';

/** A query parameter the API cannot use: answered 400 with the parameter's name and the reason. */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** An instant parameter; a date or a time without an offset is on the wall clock of `zone` (the tenant's). */
export function instant(request: Request, name: string, zone: string): number | null {
  const value = request.query[name];
  if (value === undefined || value === '') return null;
  const ms = typeof value === 'string' ? instantIn(value, zone) : null;
  if (ms === null) throw new BadRequest(name, `${JSON.stringify(value)} is not an ISO-8601 date or instant`);
  return ms;
}

/** An optional parameter that must be one of `allowed`. */
export function oneOf<T extends string>(request: Request, name: string, allowed: readonly T[]): T | null {
  const value = request.query[name];
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new BadRequest(name, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** An optional free-text parameter (a team name). */
export function text(request: Request, name: string): string | null {
  const value = request.query[name];
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string') throw new BadRequest(name, 'must be given once');
  return value;
}
