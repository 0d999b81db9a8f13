import { describe, expect, it } from 'vitest';
import { parseEventsBody } from '../../src/connectors/events/index.js';

const created = {
  id: 'e-1',
  type: 'ticket.created',
  at: '2026-03-03T09:00:00Z',
  source: 'custom',
  ticket: 't',
};
const reply = {
  id: 'e-2',
  type: 'message',
  at: '2026-03-03T09:05:00Z',
  source: 'custom',
  ticket: 't',
  author: 'agent',
  agent: 'lee',
};

describe('the normalised events body', () => {
  const ids = (body: string) => {
    const result = parseEventsBody(Buffer.from(body));
    return result.ok ? result.payload.map((event) => event.id) : result.reason;
  };

  it('is NDJSON or a JSON array, the same events either way', () => {
    expect(ids(`${JSON.stringify(created)}\r\n\n${JSON.stringify(reply)}\n`)).toEqual(['e-1', 'e-2']);
    expect(ids(`  ${JSON.stringify([created, reply])}`)).toEqual(['e-1', 'e-2']);
  });

  it('passes over a byte-order mark before either form', () => {
    expect(ids(`\uFEFF${JSON.stringify(created)}\n${JSON.stringify(reply)}`)).toEqual(['e-1', 'e-2']);
    expect(ids(`\uFEFF${JSON.stringify([created, reply])}`)).toEqual(['e-1', 'e-2']);
  });

  it('names the bad items by index or line, and refuses the delivery whole', () => {
    const bad = { ...reply, id: 'e-3', author: 'robot' };
    expect(ids(JSON.stringify([created, bad]))).toMatch(/^\[1\]: message\.author must be one of/);
    expect(ids(`${JSON.stringify(created)}\nnot json`)).toMatch(/^line 2: /);
    expect(ids(`[${JSON.stringify(created)},`)).toMatch(/^not valid JSON \(/);
    expect(ids('[]')).toBe('no events');
    expect(ids('\n\n')).toBe('no events');
  });
});
