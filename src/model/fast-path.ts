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
import { instantMs } from './instant.js';

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
const isInstant = (value: unknown): boolean => typeof value === 'string' && instantPattern.test(value);
const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

/**
 * A field every type has (`ticket` too: required or optional, it is a key in all five), checked
 * as its schema would; `'other'` for a field of the type's own (the caller checks those).
 * `nullable` is ticket.updated's agent/team (null unassigns).
 */
function commonField(name: string, value: unknown, nullable: boolean): boolean | 'other' {
  switch (name) {
    case 'id':
    case 'source':
    case 'tenant':
    case 'ticket':
      return isKey(value);
    case 'type':
      return true;
    case 'at':
      return isInstant(value);
    case 'agent':
    case 'team':
      return isKey(value) || (nullable && value === null);
    case 'channel':
      return channels.has(value);
    case 'customer':
      return isKey(value) || (Array.isArray(value) && value.length > 0 && value.every(isKey));
    default:
      return 'other';
  }
}

/** Every field checked by `commonField` or `own`; the required ones present. */
function fields(
  value: Record<string, unknown>,
  required: readonly string[],
  own: (name: string, field: unknown) => boolean,
  nullable = false,
): boolean {
  for (const name in value) {
    const field = value[name];
    // An explicit undefined never comes out of JSON; zod would treat it as absent.
    if (field === undefined) return false;
    const common = commonField(name, field, nullable);
    if (common === false) return false;
    if (common === 'other' && !own(name, field)) return false;
  }
  for (const name of required) if (value[name] === undefined) return false;
  return true;
}

const MESSAGE_REQUIRED = ['id', 'at', 'source', 'ticket', 'author'];
function message(value: Record<string, unknown>): NormalizedEvent | undefined {
  const ok = fields(value, MESSAGE_REQUIRED, (name, field) => {
    if (name === 'author') return authors.has(field);
    if (name === 'public') return typeof field === 'boolean';
    return false;
  });
  if (!ok) return undefined;
  if (value.public === undefined) value.public = true;
  return value as NormalizedEvent;
}

const TICKET_REQUIRED = ['id', 'at', 'source', 'ticket'];
const isTags = (field: unknown): boolean =>
  Array.isArray(field) && field.every((tag) => typeof tag === 'string');

function ticketUpdated(value: Record<string, unknown>): NormalizedEvent | undefined {
  const ok = fields(
    value,
    TICKET_REQUIRED,
    (name, field) => {
      if (name === 'status') return statuses.has(field);
      if (name === 'priority') return priorities.has(field);
      if (name === 'tags') return isTags(field);
      return false;
    },
    true,
  );
  return ok ? (value as NormalizedEvent) : undefined;
}

function ticketCreated(value: Record<string, unknown>): NormalizedEvent | undefined {
  const ok = fields(value, TICKET_REQUIRED, (name, field) => {
    if (name === 'priority') return priorities.has(field);
    if (name === 'tags') return isTags(field);
    if (name === 'outbound') return typeof field === 'boolean';
    return false;
  });
  return ok ? (value as NormalizedEvent) : undefined;
}

const CALL_REQUIRED = ['id', 'at', 'source', 'call'];
const DETAIL_REQUIRED = ['id', 'direction', 'started_at', 'ended_at', 'outcome'];
function call(value: Record<string, unknown>): NormalizedEvent | undefined {
  const ok = fields(value, CALL_REQUIRED, (name, field) => {
    if (name === 'call') return callDetail(field);
    return false;
  });
  if (!ok) return undefined;
  const detail = value.call as Record<string, unknown>;
  if (instantMs(value.at as string) !== instantMs(detail.started_at as string)) return undefined;
  if (detail.hold_seconds === undefined) detail.hold_seconds = 0;
  return value as NormalizedEvent;
}

function callDetail(detail: unknown): boolean {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return false;
  const record = detail as Record<string, unknown>;
  for (const name in record) {
    const field = record[name];
    let ok: boolean;
    switch (name) {
      case 'id':
        ok = isKey(field);
        break;
      case 'direction':
        ok = field === 'inbound' || field === 'outbound';
        break;
      case 'started_at':
      case 'answered_at':
      case 'ended_at':
        ok = isInstant(field);
        break;
      case 'hold_seconds':
        ok = isNumber(field) && (field as number) >= 0;
        break;
      case 'outcome':
        ok = outcomes.has(field);
        break;
      default:
        ok = false;
    }
    if (!ok) return false;
  }
  for (const name of DETAIL_REQUIRED) if (record[name] === undefined) return false;
  if (record.outcome === 'answered' && record.answered_at === undefined) return false;
  return instantMs(record.ended_at as string) >= instantMs(record.started_at as string);
}

const SURVEY_REQUIRED = ['id', 'at', 'source', 'kind', 'score'];
function survey(value: Record<string, unknown>): NormalizedEvent | undefined {
  const ok = fields(value, SURVEY_REQUIRED, (name, field) => {
    if (name === 'kind') return surveyKinds.has(field);
    if (name === 'score') return isNumber(field);
    if (name === 'scale_max') return isNumber(field) && (field as number) > 0;
    return false;
  });
  if (!ok) return undefined;
  const event = value as { kind: 'csat' | 'nps' | 'ces'; score: number; scale_max?: number };
  if (event.score < 0 || event.score > surveyScaleMax(event)) return undefined;
  return value as NormalizedEvent;
}
