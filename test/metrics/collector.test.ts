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
    // Copies of earlier events in the later part: the first copy must still win.
    const later = [...events.slice(400), ...events.slice(0, 40)];
    const one = new EventCollector();
    for (const event of [...events.slice(0, 400), ...later]) one.add(structuredClone(event));
    const first = new EventCollector();
    const second = new EventCollector();
    for (const event of events.slice(0, 400)) first.add(structuredClone(event));
    for (const event of later) second.add(structuredClone(event));
    first.absorb(structuredClone(second.shard()));
    expect(first.shard()).toEqual(one.shard());
    expect(first.duplicates).toBe(one.duplicates);
  });
});
