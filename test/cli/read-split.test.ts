import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/cli/sample-data.js';
import { defaultTenant } from '../../src/model/config.js';

// The worker thread runs the built module (dist/cli/read-worker.js), so this test does too:
// `npm test` builds first.
const dist = (path: string) => pathToFileURL(resolve('dist', path)).href;
const { collectEvents } = (await import(
  dist('cli/read-split.js')
)) as typeof import('../../src/cli/read-split.js');
const { compute, EventCollector } = (await import(
  dist('metrics/compute.js')
)) as typeof import('../../src/metrics/compute.js');
const { ticketJson, callCaseJson, reportJson } = (await import(
  dist('metrics/output.js')
)) as typeof import('../../src/metrics/output.js');

const NOW = Date.parse('2026-03-20T12:00:00Z');

const { startSecondPart } = (await import(
  dist('cli/read-ahead.js')
)) as typeof import('../../src/cli/read-ahead.js');

async function read(path: string, started?: Awaited<ReturnType<typeof startSecondPart>>) {
  const collector = new EventCollector();
  const errors: string[] = [];
  const summary = await collectEvents(
    { path },
    'default',
    collector,
    (error) => errors.push(`line ${error.line}: ${error.reason}`),
    started,
  );
  const tickets: unknown[] = [];
  const result = compute(collector, defaultTenant(), NOW, (ticket) => tickets.push(ticketJson(ticket)));
  const output = {
    tickets,
    callCases: result.callCases.map(callCaseJson),
    report: reportJson(result, { groupBy: 'agent', from: null, to: null }),
    duplicates: collector.duplicates,
  };
  return { summary, errors, output };
}

describe('reading a large events file on two threads', () => {
  const saved = process.env.DESKPULSE_SPLIT_BYTES;
  afterEach(() => {
    if (saved === undefined) delete process.env.DESKPULSE_SPLIT_BYTES;
    else process.env.DESKPULSE_SPLIT_BYTES = saved;
  });

  it('gives what one thread gives: events, duplicates across the parts, bad lines and their numbers, other tenants', async () => {
    const sample = [...generateSample({ tickets: 150, seed: 5 })].map((event) => JSON.stringify(event));
    const byType = (type: string, withTicket: boolean) =>
      sample.find(
        (line) => line.includes(`"type":"${type}"`) && line.includes('"ticket"') === withTicket,
      ) as string;
    const message = byType('message', true);
    const update = byType('ticket.updated', true);
    const looseCall = byType('call', false);
    // A call named with its ticket, in the first part and again in the second.
    const ticketCall = looseCall.replace(/"id":"([^"]+)"/, '"id":"$1-t","ticket":"sample:2"');
    const survey = byType('survey', true);
    const half = Math.floor(sample.length / 2);
    const lines = [
      'not json',
      ticketCall,
      ...sample.slice(0, half),
      '',
      `${sample[half]}\r`,
      '{"id":"x","type":"note","at":"2026-03-02T14:00:00Z","source":"t"}',
      ...sample.slice(half + 1),
      // Copies of events of the first part in the second: the first copy received wins,
      // even when the copy differs (a later status, a call now named with a ticket).
      message,
      update.replace(/"status":"[a-z_]+"/, '"status":"closed"'),
      looseCall.replace('"type":"call"', '"ticket":"sample:1","type":"call"'),
      ticketCall,
      survey,
      '{"id":"o-1","type":"message","at":"2026-03-02T14:00:00Z","source":"t","tenant":"other","ticket":"9","author":"agent"}',
      '{"id":"b","type":"message","at":"2026-03-02T14:00:00Z","source":"t","ticket":"9","author":"robot"}',
    ];
    const path = join(mkdtempSync(join(tmpdir(), 'deskpulse-split-')), 'events.ndjson');
    writeFileSync(path, `${lines.join('\n')}\n`);

    process.env.DESKPULSE_SPLIT_BYTES = String(Number.MAX_SAFE_INTEGER);
    const one = await read(path);
    process.env.DESKPULSE_SPLIT_BYTES = '1';
    const two = await read(path);

    expect(one.summary.parts).toBe(1);
    expect(two.summary.parts).toBe(2);
    expect(two.summary).toEqual({ ...one.summary, parts: 2 });
    expect(one.summary).toMatchObject({ lines: lines.length, errors: 3, otherTenants: 1 });
    expect(two.errors).toEqual(one.errors);
    expect(one.errors.map((error) => error.split(':')[0])).toEqual([
      'line 1',
      `line ${half + 5}`,
      `line ${lines.length}`,
    ]);
    expect(one.output.duplicates).toBe(5);
    expect(two.output).toEqual(one.output);
    expect(one.output.tickets.length).toBeGreaterThan(100);

    // The second part's thread started ahead (as `deskpulse compute` does) gives the same; one
    // started for another tenant is stopped and the part read again for this one.
    const ahead = await read(path, await startSecondPart(path, 'default'));
    expect(ahead.summary).toEqual(two.summary);
    expect(ahead.output).toEqual(one.output);
    const otherTenant = await startSecondPart(path, 'other');
    expect(otherTenant).not.toBeNull();
    const wrong = await read(path, otherTenant);
    expect(wrong.output).toEqual(one.output);
    expect(wrong.errors).toEqual(one.errors);
    await expect(otherTenant?.result).rejects.toThrow(/stopped/);
  });

  it("returns only once the second part's thread has ended, so that its heap is freed before the engine runs", async () => {
    const lines = [...generateSample({ tickets: 400, seed: 9 })].map((event) => JSON.stringify(event));
    const path = join(mkdtempSync(join(tmpdir(), 'deskpulse-split-')), 'events.ndjson');
    writeFileSync(path, `${lines.join('\n')}\n`);
    process.env.DESKPULSE_SPLIT_BYTES = '1';
    for (let run = 0; run < 3; run += 1) {
      const started = await startSecondPart(path, 'default');
      let ended = false;
      void started?.exited.then(() => {
        ended = true;
      });
      const summary = await collectEvents({ path }, 'default', new EventCollector(), () => {}, started);
      expect(summary.parts).toBe(2);
      // A synchronous engine run starting now would keep an unhandled exit (and the thread's
      // heap) until it ends.
      expect(ended).toBe(true);
    }
  });
});
