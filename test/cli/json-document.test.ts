import { Writable } from 'node:stream';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/cli/sample-data.js';
import type { ComputeResult, TicketResult } from '../../src/metrics/compute.js';
import { defaultTenant } from '../../src/model/config.js';
import { eventSchema } from '../../src/model/events.js';

// The lines' thread runs the built module (dist/cli/lines-worker.js), so this test does too:
// `npm test` builds first.
const dist = (path: string) => pathToFileURL(resolve('dist', path)).href;
const { writeJsonDocument } = (await import(
  dist('cli/json-document.js')
)) as typeof import('../../src/cli/json-document.js');
const { compute, EventCollector } = (await import(
  dist('metrics/compute.js')
)) as typeof import('../../src/metrics/compute.js');
const { ticketJson } = (await import(
  dist('metrics/output.js')
)) as typeof import('../../src/metrics/output.js');

const NOW = Date.parse('2026-03-20T12:00:00Z');

const results: TicketResult[] = [];
const collector = new EventCollector();
for (const event of generateSample({ tickets: 3000, seed: 11 })) collector.add(eventSchema.parse(event));
const computed = compute(collector, defaultTenant(), NOW, (ticket) => results.push(ticket));
const report = () => ({ group_by: 'agent' as const, from: null, to: null, groups: [] });

/** A stream that keeps what is written, as text. */
function sink() {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** The document of `results` sent in the order of `ranks` (a permutation), with the thread at `threshold` tickets. */
async function document(ranks: number[], threshold: string, tickets = ranks.length): Promise<string> {
  process.env.DESKPULSE_LINES_THREAD_TICKETS = threshold;
  const { out, text } = sink();
  await writeJsonDocument(
    out,
    NOW,
    tickets,
    (onTicket): ComputeResult => {
      for (const rank of ranks) onTicket(results[rank] as TicketResult, rank);
      return { ...computed, measures: [] };
    },
    report,
  );
  return text();
}

describe('the JSON document, ticket lines made on a thread of their own or not', () => {
  const saved = process.env.DESKPULSE_LINES_THREAD_TICKETS;
  afterEach(() => {
    if (saved === undefined) delete process.env.DESKPULSE_LINES_THREAD_TICKETS;
    else process.env.DESKPULSE_LINES_THREAD_TICKETS = saved;
  });

  it('puts tickets sent in any order back in key order, the same bytes either way', async () => {
    const n = results.length;
    expect(n).toBe(3000);
    // Every third ticket early, in reverse, the others after in order: what the engine does
    // with tickets a call may link to, across many batches.
    const early = [...Array(n).keys()].filter((rank) => rank % 3 === 1).reverse();
    const ranks = [...early, ...[...Array(n).keys()].filter((rank) => rank % 3 !== 1)];
    const threaded = await document(ranks, '0');
    expect(await document(ranks, '1000000')).toBe(threaded);
    expect(await document([...Array(n).keys()], '0')).toBe(threaded);
    const parsed = JSON.parse(threaded);
    expect(parsed.now).toBe('2026-03-20T12:00:00.000Z');
    expect(parsed.tickets).toEqual(results.map((result) => JSON.parse(JSON.stringify(ticketJson(result)))));
    expect(parsed.call_cases.length).toBe(computed.callCases.length);
    // Indented as before: a ticket a line.
    expect(threaded.split('\n').filter((line) => line.startsWith('    {"ticket":')).length).toBe(n);
  });

  it('fails, and stops the thread, when a ticket comes twice or one is missing', async () => {
    await expect(document([0, 1, 1, 2], '0', 4)).rejects.toThrow(/InOrder: 1 came twice/);
    await expect(document([0, 1, 1, 2], '1000000', 4)).rejects.toThrow(/InOrder: 1 came twice/);
    await expect(document([0, 2], '0', 3)).rejects.toThrow(/2 tickets computed of 3/);
  });
});
