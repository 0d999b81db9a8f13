import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSample } from '../../src/cli/sample-data.js';
import { compute, EventCollector, type TicketResult } from '../../src/metrics/compute.js';
import { InOrder } from '../../src/metrics/in-order.js';
import { ticketJson } from '../../src/metrics/output.js';
import type { SlaTarget } from '../../src/metrics/sla.js';
import { TicketLineWriter, TicketPacker } from '../../src/metrics/ticket-lines.js';
import type { Measured } from '../../src/metrics/ticket.js';
import { loadConfig } from '../../src/cli/compute-command.js';
import { eventSchema } from '../../src/model/events.js';

/** Pack `results` in batches of the given sizes (the rest in one), write them back: the lines by rank. */
function roundTrip(results: TicketResult[], sizes: number[] = []): string[] {
  const packer = new TicketPacker(64);
  const writer = new TicketLineWriter();
  const lines: string[] = [];
  const write = () =>
    writer.write(packer.take(), (line, rank) => (lines[rank] = Buffer.from(line).toString('utf8')));
  let sizeAt = 0;
  results.forEach((result, rank) => {
    packer.pack(result, rank);
    if (packer.size === sizes[sizeAt]) {
      write();
      sizeAt += 1;
    }
  });
  write();
  return lines;
}

// Any string (quotes, backslashes, control characters, lone surrogates, emoji), null or absent.
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  // What JSON escapes, or writes in more than one byte, mixed with plain ASCII.
  fc.string({
    unit: fc.constantFrom(
      '"',
      '\\',
      '\n',
      '\u0000',
      '\u001f',
      '\u007f',
      'a',
      '~',
      'é',
      '😀',
      '\ud800',
      '\u2028',
    ),
    maxLength: 8,
  }),
);
const orNull = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
// Seconds as the engine makes them, and the doubles JSON.stringify writes oddly (-0, NaN, ∞, 1e21).
const seconds = fc.oneof(
  fc.integer({ min: 0, max: 10_000_000 }).map((ms) => ms / 1000),
  // Up to and past 10⁹ s, where thousandths stop being written from their digits.
  fc.integer({ min: 999_990_000_000, max: 1_000_010_000_000 }).map((ms) => ms / 1000),
  fc.integer({ min: -10_000_000, max: 1e15 }).map((ms) => ms / 1000),
  fc.double(),
);
// Instants within Date's range, years 0–9999 (written from digits) and beyond (left to toISOString).
const instant = fc.oneof(
  fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }),
  fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }),
);
const measured: fc.Arbitrary<Measured> = fc.record({
  calendar: seconds,
  business: seconds,
  at: orNull(instant),
  agent: orNull(text),
  team: orNull(text),
});
const target = fc.record({
  policy: text,
  metric: fc.constantFrom('first_response', 'next_response', 'resolution'),
  targetSeconds: fc.integer({ min: 1, max: 10_000_000 }),
  status: fc.constantFrom('achieved', 'breached', 'active', 'paused'),
  atRisk: fc.boolean(),
  breachAt: orNull(instant),
  breachedAt: orNull(instant),
}) as fc.Arbitrary<Partial<SlaTarget>>;
const result: fc.Arbitrary<TicketResult> = fc
  .record({
    ticket: text,
    tenant: text,
    partial: fc.boolean(),
    status: fc.constantFrom('new', 'open', 'pending', 'on_hold', 'solved', 'closed'),
    agent: orNull(text),
    team: orNull(text),
    priority: orNull(fc.constantFrom('low', 'normal', 'high', 'urgent')),
    channel: orNull(fc.constantFrom('email', 'chat', 'phone')),
    outbound: fc.boolean(),
    firstResponse: orNull(measured),
    nextResponse: fc.array(measured, { maxLength: 3 }),
    firstResolution: orNull(measured),
    fullResolution: orNull(measured),
    requesterWait: measured,
    agentWait: measured,
    onHold: measured,
    replies: fc.nat(),
    reopens: fc.nat(),
    contacts: fc.nat(),
    callsToResolution: fc.nat(),
    fcr: orNull(fc.boolean()),
    touches: orNull(fc.constantFrom('zero_touch', 'one_touch', 'two_touch', 'multi_touch')),
  })
  .chain((metrics) =>
    fc.array(target, { maxLength: 3 }).map((sla) => ({ metrics, sla }) as unknown as TicketResult),
  );

describe('tickets packed into numbers and written back as JSON lines', () => {
  it('writes each line as JSON.stringify(ticketJson(result)), across batches', () => {
    fc.assert(
      fc.property(
        fc.array(result, { maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 4 })),
        (results, sizes) => {
          expect(roundTrip(results, sizes)).toEqual(results.map((r) => JSON.stringify(ticketJson(r))));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes the engine results of the sample data set as ticketJson does', () => {
    const collector = new EventCollector();
    for (const event of generateSample({ tickets: 400, seed: 3 })) collector.add(eventSchema.parse(event));
    const results: TicketResult[] = [];
    const tenant = loadConfig('samples/deskpulse.yaml').tenants[0];
    if (!tenant) throw new Error('samples/deskpulse.yaml: no tenant');
    compute(collector, tenant, Date.parse('2026-03-20T12:00:00Z'), (ticket) => results.push(ticket));
    expect(results.length).toBe(400);
    expect(results.some((r) => r.sla.some((t) => t.breachedAt !== null))).toBe(true);
    expect(roundTrip(results, [1, 100, 7])).toEqual(results.map((r) => JSON.stringify(ticketJson(r))));
  });

  it('refuses a batch that does not hold what it names', () => {
    const packer = new TicketPacker();
    const [one] = fc.sample(result, { seed: 1, numRuns: 1 }) as [TicketResult];
    packer.pack(one, 0);
    const batch = packer.take();
    const writer = () => new TicketLineWriter();
    expect(() => writer().write({ ...batch, length: batch.length - 1 }, () => {})).toThrow(/no number at/);
    expect(() => writer().write({ ...batch, count: batch.count + 1 }, () => {})).toThrow(/no number at/);
    expect(() => writer().write({ ...batch, ids: `${batch.ids}x` }, () => {})).toThrow(/id characters/);
    expect(() => writer().write({ ...batch, ids: batch.ids.slice(1) }, () => {})).toThrow(/no id at/);
    expect(() => writer().write({ ...batch, length: batch.length + 1 }, () => {})).toThrow(/read /);
    // Strings are sent once: a writer that missed the batch naming them cannot write the next.
    packer.pack(one, 1);
    expect(() => writer().write(packer.take(), () => {})).toThrow(/no string/);
  });
});

describe('InOrder', () => {
  it('takes a permutation of 0..n-1 in order, each once, as soon as it can', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 60 })
          .chain((n) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n })),
        (ranks) => {
          const taken: number[] = [];
          const order = new InOrder<string>((value, rank) => {
            expect(value).toBe(`v${rank}`);
            taken.push(rank);
          });
          for (const rank of ranks) {
            order.put(rank, `v${rank}`);
            // Nothing waits that could have been taken.
            expect(taken).toEqual([...Array(order.taken).keys()]);
            expect(order.taken + order.waiting).toBe(ranks.indexOf(rank) + 1);
          }
          expect(taken).toEqual([...Array(ranks.length).keys()]);
          expect(order.waiting).toBe(0);
        },
      ),
    );
  });

  it('refuses a rank put twice', () => {
    const order = new InOrder<number>(() => {});
    order.put(0, 0);
    order.put(2, 2);
    expect(() => order.put(0, 0)).toThrow(/came twice/);
    expect(() => order.put(2, 2)).toThrow(/came twice/);
  });
});
