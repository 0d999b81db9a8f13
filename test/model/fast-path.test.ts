import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSample } from '../../src/cli/sample-data.js';
import { eventSchema } from '../../src/model/events.js';
import { acceptAsIs } from '../../src/model/fast-path.js';

// The in-place path may only say "exactly what zod returns" or "ask zod" (undefined).
function agreesWithZod(input: Record<string, unknown>): 'fast' | 'zod' {
  const copy = structuredClone(input);
  const fast = acceptAsIs(copy);
  const zod = eventSchema.safeParse(input);
  if (fast === undefined) return 'zod';
  expect(zod.success, `zod rejects what the fast path accepted: ${JSON.stringify(input)}`).toBe(true);
  expect(fast).toStrictEqual(zod.data);
  return 'fast';
}

// Well-formed values mostly, so that most events pass and a mutation is the one flaw; the
// ill-formed ones are the cases zod's pattern decides.
const badInstants = fc.constantFrom(
  '2026-03-02T14:00:00+0200',
  '2026-03-02T14:00:00',
  '2026-02-29T10:00:00Z',
  '2026-02-30T10:00:00Z',
  '2026-03-02 14:00:00Z',
  '2026-03-02T24:00:00Z',
  '',
);
const instants = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2026-03-02T14:00:00.123Z',
      '2026-03-02T16:00:00+02:00',
      '2024-02-29T10:00:00Z',
    ),
  },
  {
    weight: 8,
    arbitrary: fc
      .date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
      .map((date) => date.toISOString()),
  },
  { weight: 1, arbitrary: badInstants },
);
const keys = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('a', 'maria', 'sample:1') },
  { weight: 4, arbitrary: fc.string({ minLength: 1 }) },
  { weight: 1, arbitrary: fc.constant('') },
);
const anything = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 12 }),
  fc.double({ min: -1, max: 20, noNaN: true }),
  keys,
  fc.array(keys, { maxLength: 3 }),
  fc.constant({}),
);

const optional = <T>(good: fc.Arbitrary<T>) => fc.option(good, { nil: undefined, freq: 3 });

const common = {
  id: keys,
  at: instants,
  source: keys,
  tenant: optional(keys),
  customer: optional(fc.oneof(keys, fc.array(keys, { maxLength: 3 }))),
  agent: optional(keys),
  team: optional(keys),
  channel: optional(fc.constantFrom('email', 'chat', 'phone')),
};

const callDetail = fc.record({
  id: keys,
  direction: fc.constantFrom('inbound', 'outbound'),
  started_at: instants,
  answered_at: optional(instants),
  ended_at: instants,
  hold_seconds: optional(
    fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 9, noNaN: true })),
  ),
  outcome: fc.constantFrom('answered', 'missed', 'abandoned', 'voicemail'),
});

const typed = fc.oneof(
  fc.record({
    type: fc.constant('message'),
    ticket: keys,
    author: fc.constantFrom('customer', 'agent', 'bot', 'system'),
    public: optional(fc.boolean()),
  }),
  fc.record({
    type: fc.constant('ticket.updated'),
    ticket: keys,
    agent: optional(fc.oneof(keys, fc.constant(null))),
    team: optional(fc.oneof(keys, fc.constant(null))),
    status: optional(fc.constantFrom('open', 'pending', 'solved', 'closed')),
    priority: optional(fc.constantFrom('low', 'high', 'urgent')),
    tags: optional(fc.array(fc.string(), { maxLength: 3 })),
  }),
  fc.record({
    type: fc.constant('ticket.created'),
    ticket: keys,
    priority: optional(fc.constantFrom('normal', 'urgent')),
    tags: optional(fc.array(fc.string(), { maxLength: 3 })),
    outbound: optional(fc.boolean()),
  }),
  fc.record({ type: fc.constant('call'), ticket: optional(keys), call: callDetail }),
  fc.record({
    type: fc.constant('survey'),
    ticket: optional(keys),
    kind: fc.constantFrom('csat', 'nps', 'ces'),
    score: fc.oneof(fc.integer({ min: -1, max: 11 }), fc.double({ min: -1, max: 11, noNaN: true })),
    scale_max: optional(
      fc.oneof(fc.integer({ min: -1, max: 10 }), fc.double({ min: 0, max: 3, noNaN: true })),
    ),
  }),
);

// Every name an event or its call may hold, and a few they must not.
const EVENT_NAMES = [
  ...['id', 'type', 'at', 'source', 'tenant', 'customer', 'agent', 'team', 'channel', 'ticket'],
  ...['author', 'public', 'status', 'priority', 'tags', 'outbound', 'call', 'kind', 'score', 'scale_max'],
  ...['extra', '__proto__', 'constructor'],
];
const CALL_NAMES = [
  'id',
  'direction',
  'started_at',
  'answered_at',
  'ended_at',
  'hold_seconds',
  'outcome',
  'extra',
];
const DELETE = Symbol('delete');
const value = fc.oneof(
  fc.constant(DELETE),
  fc.constantFrom('inbound', 'csat', 'agent', 'open', 'email', '', -1, 0, 2.5, null),
  instants,
  anything,
);
const mutation = fc.oneof(
  fc.tuple(fc.constant(false), fc.constantFrom(...EVENT_NAMES), value),
  fc.tuple(fc.constant(true), fc.constantFrom(...CALL_NAMES), value),
);

/** A well-formed event, then none, one or two of its fields (or its call's) changed or dropped. */
const events = fc
  .tuple(
    fc.record(common),
    typed,
    fc.integer({ min: 0, max: 9 }),
    fc.boolean(),
    fc.array(mutation, { maxLength: 2 }),
  )
  .map(([base, own, dice, keep, mutations]) => {
    const event: Record<string, unknown> = JSON.parse(JSON.stringify({ ...base, ...own }));
    const call = event.call as Record<string, unknown> | undefined;
    // A call's start is its instant, as in real ones; sometimes not, which zod refuses.
    if (call && dice < 8) {
      call.started_at = event.at;
      const started = Date.parse(event.at as string);
      if (dice < 6 && Number.isFinite(started)) call.ended_at = new Date(started + 60_000).toISOString();
    }
    if (keep) mutations.length = 0;
    for (const [inCall, name, value] of mutations) {
      const target = inCall && call ? call : event;
      if (value === DELETE) delete target[name];
      // As JSON.parse would make it: an own property even for __proto__.
      else
        Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return event;
  });

describe('the in-place fast path of event validation', () => {
  it('returns what zod returns, or leaves the event to zod (property)', () => {
    const seen = { fast: 0, zod: 0 };
    fc.assert(
      fc.property(events, (event) => {
        seen[agreesWithZod(event)] += 1;
      }),
      { numRuns: 30_000 },
    );
    // The generator reaches both sides, or the property proves little.
    expect(seen.fast).toBeGreaterThan(500);
    expect(seen.zod).toBeGreaterThan(500);
  });

  it('takes every event of the sample data set (the common case is the fast one)', () => {
    let count = 0;
    for (const event of generateSample({ tickets: 300, seed: 3 })) {
      const decoded = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
      expect(agreesWithZod(decoded), JSON.stringify(event)).toBe('fast');
      count += 1;
    }
    expect(count).toBeGreaterThan(1000);
  });

  it.each([
    ['unknown field (zod strips it)', { extra: 1 }],
    ['offset without a colon', { at: '2026-03-02T14:00:00+0200' }],
    ['a day February lacks', { at: '2026-02-29T10:00:00Z' }],
    ['null tenant', { tenant: null }],
    ['null agent on a message', { agent: null }],
    ['empty customer list', { customer: [] }],
  ])('leaves to zod: %s', (_name, change) => {
    const event = {
      id: 'm',
      type: 'message',
      at: '2026-03-02T14:00:00Z',
      source: 'zendesk',
      ticket: '1',
      author: 'agent',
      ...change,
    };
    expect(acceptAsIs(structuredClone(event))).toBeUndefined();
  });

  it('fills the defaults zod fills: message.public, call.hold_seconds', () => {
    const message = {
      id: 'm',
      type: 'message',
      at: '2026-03-02T14:00:00Z',
      source: 'z',
      ticket: '1',
      author: 'agent',
    };
    expect(acceptAsIs(message)).toMatchObject({ public: true });
    const call = {
      id: 'c',
      type: 'call',
      at: '2026-03-02T14:00:00Z',
      source: 'a',
      call: {
        id: 'c',
        direction: 'inbound',
        started_at: '2026-03-02T14:00:00Z',
        ended_at: '2026-03-02T14:01:00Z',
        outcome: 'missed',
      },
    };
    expect(acceptAsIs(call)).toMatchObject({ call: { hold_seconds: 0 } });
  });
});
