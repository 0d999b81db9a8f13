import {
  AUTHORS,
  CALL_OUTCOMES,
  CHANNELS,
  instantPattern,
  type NormalizedEvent,
  PRIORITIES,
  STATUSES,
  SURVEY_KINDS,
  surveyScaleMax,
} from './events.js';
import { instantMs, usualInstantMs } from './instant.js';

/**
 * The common case of event validation without a copy: a decoded JSON object that has only the
 * fields of its type, every one well formed, is checked where it lies and returned as the event
 * (with the schema's defaults filled in). Anything else — an unknown field that zod would strip,
 * a value zod would reject — returns `undefined`, and the caller asks zod, which is the
 * definition and words the errors. So this path may only ever say "exactly what zod would
 * return" or "ask zod"; a property test holds it to that (test/model/fast-path.test.ts).
 *
 * Why: zod builds a new object for every event, and at a million events the copies and their
 * garbage were a third of `deskpulse compute`'s time (README, Performance).
 */
export function acceptAsIs(value: Record<string, unknown>): NormalizedEvent | undefined {
  switch (value.type) {
    case 'message':
      return message(value);
    case 'ticket.updated':
      return ticketUpdated(value);
    case 'ticket.created':
      return ticketCreated(value);
    case 'call':
      return call(value);
    case 'survey':
      return survey(value);
    default:
      return undefined;
  }
}

const channels = new Set<unknown>(CHANNELS);
const priorities = new Set<unknown>(PRIORITIES);
const statuses = new Set<unknown>(STATUSES);
const authors = new Set<unknown>(AUTHORS);
const outcomes = new Set<unknown>(CALL_OUTCOMES);
const surveyKinds = new Set<unknown>(SURVEY_KINDS);

const isKey = (value: unknown): boolean => typeof value === 'string' && value.length > 0;
/** zod's pattern, the usual form read first (it implies the pattern: test/model/instant.test.ts). */
const isInstant = (value: unknown): boolean =>
  typeof value === 'string' && (!Number.isNaN(usualInstantMs(value)) || instantPattern.test(value));
const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

/**
 * The fields every type has, checked as their schema would (`nullable`: ticket.updated's agent
 * and team, where null unassigns); `ticket` too, required or optional (`ticketRequired`), a key
 * in all five types. The count of fields present, or -1 if one is ill formed or a required one
 * missing. Each field is read by name (one shape of object after another from JSON.parse),
 * and the count against the object's own (`fieldCount`) says whether it has any other.
 */
function commonFields(value: Record<string, unknown>, ticketRequired: boolean, nullable: boolean): number {
  if (!isKey(value.id) || !isInstant(value.at) || !isKey(value.source)) return -1;
  // type, id, at, source
  let count = 4;
  const { ticket, tenant, customer, agent, team, channel } = value;
  if (ticket !== undefined) {
    if (!isKey(ticket)) return -1;
    count += 1;
  } else if (ticketRequired) return -1;
  if (tenant !== undefined) {
    if (!isKey(tenant)) return -1;
    count += 1;
  }
  if (customer !== undefined) {
    if (!(isKey(customer) || (Array.isArray(customer) && customer.length > 0 && customer.every(isKey))))
      return -1;
    count += 1;
  }
  if (agent !== undefined) {
    if (!(isKey(agent) || (nullable && agent === null))) return -1;
    count += 1;
  }
  if (team !== undefined) {
    if (!(isKey(team) || (nullable && team === null))) return -1;
    count += 1;
  }
  if (channel !== undefined) {
    if (!channels.has(channel)) return -1;
    count += 1;
  }
  return count;
}

/** How many enumerable fields an object has (a field set to `undefined` counts: zod drops it). */
function fieldCount(value: object): number {
  let count = 0;
  for (const _ in value) count += 1;
  return count;
}

function message(value: Record<string, unknown>): NormalizedEvent | undefined {
  let count = commonFields(value, true, false);
  if (count < 0 || !authors.has(value.author)) return undefined;
  count += 1;
  if (value.public !== undefined) {
    if (typeof value.public !== 'boolean') return undefined;
    count += 1;
  }
  if (fieldCount(value) !== count) return undefined;
  if (value.public === undefined) value.public = true;
  return value as NormalizedEvent;
}

const isTags = (field: unknown): boolean =>
  Array.isArray(field) && field.every((tag) => typeof tag === 'string');

/** priority and tags, of ticket.created and ticket.updated: how many are present, or -1. */
function priorityAndTags(value: Record<string, unknown>): number {
  let count = 0;
  if (value.priority !== undefined) {
    if (!priorities.has(value.priority)) return -1;
    count += 1;
  }
  if (value.tags !== undefined) {
    if (!isTags(value.tags)) return -1;
    count += 1;
  }
  return count;
}

function ticketUpdated(value: Record<string, unknown>): NormalizedEvent | undefined {
  const common = commonFields(value, true, true);
  const own = priorityAndTags(value);
  if (common < 0 || own < 0) return undefined;
  let count = common + own;
  if (value.status !== undefined) {
    if (!statuses.has(value.status)) return undefined;
    count += 1;
  }
  return fieldCount(value) === count ? (value as NormalizedEvent) : undefined;
}

function ticketCreated(value: Record<string, unknown>): NormalizedEvent | undefined {
  const common = commonFields(value, true, false);
  const own = priorityAndTags(value);
  if (common < 0 || own < 0) return undefined;
  let count = common + own;
  if (value.outbound !== undefined) {
    if (typeof value.outbound !== 'boolean') return undefined;
    count += 1;
  }
  return fieldCount(value) === count ? (value as NormalizedEvent) : undefined;
}

function call(value: Record<string, unknown>): NormalizedEvent | undefined {
  const count = commonFields(value, false, false);
  if (count < 0 || !callDetail(value.call) || fieldCount(value) !== count + 1) return undefined;
  const detail = value.call as Record<string, unknown>;
  if (instantMs(value.at as string) !== instantMs(detail.started_at as string)) return undefined;
  if (detail.hold_seconds === undefined) detail.hold_seconds = 0;
  return value as NormalizedEvent;
}

function callDetail(detail: unknown): boolean {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return false;
  const record = detail as Record<string, unknown>;
  const { id, direction, started_at, answered_at, ended_at, hold_seconds, outcome } = record;
  if (!isKey(id) || (direction !== 'inbound' && direction !== 'outbound')) return false;
  if (!isInstant(started_at) || !isInstant(ended_at) || !outcomes.has(outcome)) return false;
  // id, direction, started_at, ended_at, outcome
  let count = 5;
  if (answered_at !== undefined) {
    if (!isInstant(answered_at)) return false;
    count += 1;
  } else if (outcome === 'answered') return false;
  if (hold_seconds !== undefined) {
    if (!(isNumber(hold_seconds) && (hold_seconds as number) >= 0)) return false;
    count += 1;
  }
  if (fieldCount(record) !== count) return false;
  return instantMs(ended_at as string) >= instantMs(started_at as string);
}

function survey(value: Record<string, unknown>): NormalizedEvent | undefined {
  let count = commonFields(value, false, false);
  if (count < 0 || !surveyKinds.has(value.kind) || !isNumber(value.score)) return undefined;
  count += 2;
  if (value.scale_max !== undefined) {
    if (!(isNumber(value.scale_max) && (value.scale_max as number) > 0)) return undefined;
    count += 1;
  }
  if (fieldCount(value) !== count) return undefined;
  const event = value as { kind: 'csat' | 'nps' | 'ces'; score: number; scale_max?: number };
  if (event.score < 0 || event.score > surveyScaleMax(event)) return undefined;
  return value as NormalizedEvent;
}
