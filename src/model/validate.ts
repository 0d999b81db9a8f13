import type { z } from 'zod';
import { EVENT_TYPES, eventSchema, type NormalizedEvent } from './events.js';
import { acceptAsIs } from './fast-path.js';

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

/** One zod issue as a sentence a person can act on: `message.author must be one of customer, agent`. */
export function describeIssue(issue: z.core.$ZodIssue, prefix = ''): string {
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  const where = path ? `${path} ` : '';
  switch (issue.code) {
    case 'invalid_value':
      return `${where}must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_type':
      return issue.input === undefined ? `${where}is required` : `${where}must be ${article(issue.expected)}`;
    case 'invalid_format':
      if (issue.format === 'datetime') return `${where}must be an ISO-8601 instant with an offset`;
      return `${where}must be ${issue.format}`;
    case 'too_small':
      return `${where}${boundReason(issue)}`;
    case 'invalid_union':
      return 'input' in issue && issue.input === undefined
        ? `${where}is required`
        : `${where}${issue.message}`;
    default:
      return `${where}${issue.message}`;
  }
}

/** A bound zod checked, in plain words: `must list at least 1`, `must not be empty`, `must be at most 23`. */
export function boundReason(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  if (issue.code === 'too_small') {
    if (issue.origin === 'array') return `must list at least ${issue.minimum}`;
    if (issue.origin === 'string')
      return Number(issue.minimum) === 1
        ? 'must not be empty'
        : `must be at least ${issue.minimum} characters`;
    return `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}`;
  }
  if (issue.origin === 'array' || issue.origin === 'string') return `must have at most ${issue.maximum}`;
  return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

export function describeError(error: z.ZodError, prefix = ''): string {
  return error.issues.map((issue) => describeIssue(issue, prefix)).join('; ');
}

/** Validate one decoded JSON value as a normalised event. */
export function validateEvent(value: unknown): Validated<NormalizedEvent> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'an event must be a JSON object' };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    const got = type === undefined ? 'missing' : JSON.stringify(type);
    return { ok: false, error: `type must be one of ${EVENT_TYPES.join(', ')} (got ${got})` };
  }
  const plain = acceptAsIs(value as Record<string, unknown>);
  if (plain !== undefined) return { ok: true, value: plain };
  const result = eventSchema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  // Only now ask zod for the offending inputs: asking on every parse leaves its fast path.
  const detailed = eventSchema.safeParse(value, { reportInput: true });
  return { ok: false, error: describeError(detailed.error ?? result.error, type) };
}

/** Decode and validate one NDJSON line. */
export function parseEventLine(line: string): Validated<NormalizedEvent> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  return validateEvent(value);
}
