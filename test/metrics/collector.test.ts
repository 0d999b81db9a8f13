import { describe, expect, it } from 'vitest';
import { generateSample } from '../../src/cli/sample-data.js';
import { EventCollector } from '../../src/metrics/collector.js';
import type { NormalizedEvent } from '../../src/model/events.js';
import { validateEvent } from '../../src/model/validate.js';

function sample(): NormalizedEvent[] {
  return [...generateSample({ tickets: 120, seed: 9 })].map((input) => {
    const result = validateEvent(JSON.parse(JSON.stringify(input)));
    if (!result.ok) throw new Error(result.error);
    return result.value;
  });
}

describe('EventCollector.absorb', () => {
  it('holds exactly what one collector holds after the same events in the same order', () => {
    const events = sample();
    // Copies of earlier events in the later part: the first copy must still win — also a call
    // that came without its ticket and comes again with it, and the other way round.
    const calls = events.filter((event) => event.type === 'call' && event.ticket === undefined);
    const looseFirst = calls.find((event) => events.indexOf(event) < 400) as NormalizedEvent;
    const looseLater = calls.find((event) => events.indexOf(event) >= 400) as NormalizedEvent;
    const later = [...events.slice(400), ...events.slice(0, 40), { ...looseFirst, ticket: 'sample:1' }];
    const early = [...events.slice(0, 400), { ...looseLater, ticket: 'sample:2' }];
    const one = new EventCollector();
    for (const event of [...early, ...later]) one.add(structuredClone(event));
    const first = new EventCollector();
    const second = new EventCollector();
    for (const event of early) first.add(structuredClone(event));
    for (const event of later) second.add(structuredClone(event));
    first.absorb(structuredClone(second.shard()));
    expect(contents(first)).toEqual(contents(one));
  });

  it('a collector that absorbed a shard hands on the same events in a shard of its own', () => {
    const events = sample();
    const one = new EventCollector();
    for (const event of events) one.add(structuredClone(event));
    // Three parts, absorbed in a chain: the second collector's shard has unused slots and
    // dropped copies in it, which must reach no ticket.
    const parts = [
      events.slice(0, 300),
      [...events.slice(300, 700), ...events.slice(0, 30)],
      events.slice(700),
    ];
    const collectors = parts.map((part) => {
      const collector = new EventCollector();
      for (const event of part) collector.add(structuredClone(event));
      return collector;
    });
    const [a, b, c] = collectors as [EventCollector, EventCollector, EventCollector];
    b.absorb(structuredClone(c.shard()));
    a.absorb(structuredClone(b.shard()));
    const all = new EventCollector();
    for (const event of [...parts[0]!, ...parts[1]!, ...parts[2]!]) all.add(structuredClone(event));
    const absorbed = contents(a);
    expect(absorbed).toEqual(contents(all));
    expect(absorbed.tickets).toEqual(contents(one).tickets);
  });

  it('events added after absorbing land on their tickets with their own ids', () => {
    const events = sample();
    const first = new EventCollector();
    const second = new EventCollector();
    const one = new EventCollector();
    for (const event of events.slice(0, 123)) first.add(structuredClone(event));
    for (const event of events.slice(123, 600)) second.add(structuredClone(event));
    first.absorb(structuredClone(second.shard()));
    for (const event of events.slice(600)) first.add(structuredClone(event));
    for (const event of events) one.add(structuredClone(event));
    expect(contents(first)).toEqual(contents(one));
  });

  it('room made ahead (expect) changes nothing it holds, whether too little, enough or too much', () => {
    const events = sample();
    const one = new EventCollector();
    for (const event of events) one.add(structuredClone(event));
    const held = contents(one);
    for (const room of [10, 1024, events.length, 5000, 70_000]) {
      const first = new EventCollector();
      const second = new EventCollector();
      first.expect(room);
      second.expect(Math.floor(room / 3));
      for (const event of events.slice(0, 500)) first.add(structuredClone(event));
      for (const event of events.slice(500)) second.add(structuredClone(event));
      first.absorb(structuredClone(second.shard()));
      expect(contents(first), `expect(${room})`).toEqual(held);
    }
  });
});

/** Everything a collector gives the engine, taken: each ticket's timeline, the loose events, duplicates. */
function contents(collector: EventCollector) {
  const tickets = collector
    .tickets()
    .sort()
    .map((ticket) => [ticket, collector.takeTimeline(ticket)]);
  return {
    tickets,
    looseCalls: collector.looseCalls,
    looseSurveys: collector.looseSurveys,
    duplicates: collector.duplicates,
  };
}

describe('EventCollector.customersIn', () => {
  const event = (fields: Record<string, unknown>): NormalizedEvent => {
    const result = validateEvent({ at: '2026-03-02T14:00:00Z', source: 'test', ...fields });
    if (!result.ok) throw new Error(result.error);
    return result.value;
  };
  it("finds a ticket's customer keys among those asked about, however each was kept", () => {
    const collector = new EventCollector();
    const keys = new Set(['phone:+14155550101', 'email:a@example.com', 'phone:+14155550103']);
    collector.add(event({ id: 'e1', type: 'ticket.created', ticket: 't1', customer: 'phone:+14155550101' }));
    collector.add(
      event({
        id: 'e2',
        type: 'message',
        ticket: 't1',
        author: 'customer',
        customer: ['email:a@example.com', 'phone:+14155550102'],
      }),
    );
    const call = {
      id: 'c3',
      direction: 'inbound',
      started_at: '2026-03-02T14:00:00Z',
      ended_at: '2026-03-02T14:01:00Z',
      outcome: 'missed',
    };
    collector.add(event({ id: 'e3', type: 'call', ticket: 't1', customer: 'phone:+14155550103', call }));
    collector.add(
      event({ id: 'e4', type: 'message', ticket: 't1', author: 'customer', customer: 'phone:+14155550101' }),
    );
    expect(collector.customersIn('t1', keys)).toEqual([
      'phone:+14155550101',
      'email:a@example.com',
      'phone:+14155550103',
    ]);
    expect(collector.customersIn('t2', keys)).toEqual([]);
    // Asked again about the same keys once more events came: their new strings are looked at too.
    collector.add(event({ id: 'e5', type: 'ticket.created', ticket: 't2', customer: 'phone:+14155550103' }));
    expect(collector.customersIn('t2', keys)).toEqual(['phone:+14155550103']);
    expect(collector.customersIn('t1', new Set(['phone:+14155550102']))).toEqual(['phone:+14155550102']);
  });
});
