import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventsOf, namespaced, REFERENCE_TENANT, scenario } from '../metrics/reference-scenarios.js';
import { run, tenant } from '../helpers.js';
import { deskpulse } from './run-cli.js';

/**
 * `deskpulse compute --format json` on the reference scenarios, read by one thread and by two
 * (`DESKPULSE_SPLIT_BYTES` forces the split), the tickets' lines made on the computing thread
 * or on one of their own (`DESKPULSE_LINES_THREAD_TICKETS`), must print what the engine gives
 * in process: the file path (reading, the worker's part absorbed, tickets packed into numbers,
 * their lines made and put back in key order, the report counted as measures are made) adds
 * nothing and loses nothing.
 */

const NOW = '2026-10-05T12:00:00Z';

/** The command's standard output; it must succeed. */
async function compute(args: string[], env: Record<string, string>): Promise<string> {
  const { code, stdout, stderr } = await deskpulse(['compute', ...args], { env });
  expect(code, stderr).toBe(0);
  return stdout;
}

describe('deskpulse compute on the reference scenarios', () => {
  it('prints, on one thread or two, what the engine gives in process', async () => {
    const events = fc
      .sample(scenario, { seed: 7, numRuns: 60 })
      .flatMap((s, n) => namespaced(eventsOf(s), n));
    const dir = mkdtempSync(join(tmpdir(), 'deskpulse-reference-'));
    const path = join(dir, 'events.ndjson');
    // A third of the events again, the copies spread over both halves of the file.
    const lines = events.map((event) => JSON.stringify(event));
    const copies = lines.filter((_, i) => i % 3 === 0);
    const mixed = lines.flatMap((line, i) =>
      i % 2 === 0 && copies[i / 2] ? [line, copies[i / 2] as string] : [line],
    );
    writeFileSync(path, `${mixed.join('\n')}\n`);
    const config = join(dir, 'deskpulse.json');
    writeFileSync(config, JSON.stringify({ tenants: [{ id: 'default', ...REFERENCE_TENANT }] }));

    const expected = run(events, { tenant: tenant(REFERENCE_TENANT), now: NOW, groupBy: 'team' });
    const byKey = <T extends { ticket: string }>(list: T[]) =>
      [...list].sort((a, b) => (a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1 : 0));
    const args = [
      '--events',
      path,
      '--config',
      config,
      '--now',
      NOW,
      '--group-by',
      'team',
      '--format',
      'json',
    ];
    const outputs = new Set<string>();
    for (const split of ['1000000000', '1'])
      for (const lines of ['1000000000', '0']) {
        const env = { DESKPULSE_SPLIT_BYTES: split, DESKPULSE_LINES_THREAD_TICKETS: lines };
        outputs.add(await compute(args, env));
      }
    // The same bytes every way.
    expect(outputs.size).toBe(1);
    for (const output of outputs) {
      const printed = JSON.parse(output);
      expect(printed.tickets).toEqual(byKey(printed.tickets));
      expect(printed.tickets).toEqual(JSON.parse(JSON.stringify(byKey(expected.tickets))));
      expect(printed.call_cases).toEqual(JSON.parse(JSON.stringify(expected.call_cases)));
      expect(printed.report).toEqual(JSON.parse(JSON.stringify(expected.report)));
    }
    expect(expected.tickets.length).toBeGreaterThan(60);
  });
});
