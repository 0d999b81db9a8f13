import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Group } from '../../src/metrics/report.js';
import { freePort } from '../../src/store/embedded-redis.js';
import { deskpulse as run } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'deskpulse-cli-'));

/** The command run in this file's folder, where relative paths resolve. */
const deskpulse = (args: string[], stdin?: string, env: Record<string, string> = {}) =>
  run(args, { stdin, env, cwd: dir });

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const EVENTS = [
  '{"id":"z-1","type":"ticket.created","at":"2026-03-02T14:00:00Z","source":"zendesk","ticket":"4521","channel":"email","customer":["email:ana@example.com","phone:+14155550100"],"priority":"high","team":"billing"}',
  '{"id":"z-2","type":"message","at":"2026-03-02T14:00:00Z","source":"zendesk","ticket":"4521","author":"customer","public":true}',
  '{"id":"z-3","type":"ticket.updated","at":"2026-03-02T14:10:00Z","source":"zendesk","ticket":"4521","agent":"maria","status":"open"}',
  '{"id":"z-4","type":"message","at":"2026-03-02T14:25:00Z","source":"zendesk","ticket":"4521","author":"agent","agent":"maria","public":true}',
  '{"id":"a-9","type":"call","at":"2026-03-02T15:00:00Z","source":"aircall","customer":"phone:+14155550100","agent":"maria","team":"billing","call":{"id":"c-9","direction":"inbound","started_at":"2026-03-02T15:00:00Z","answered_at":"2026-03-02T15:00:40Z","ended_at":"2026-03-02T15:06:40Z","hold_seconds":30,"outcome":"answered"}}',
  '{"id":"z-5","type":"ticket.updated","at":"2026-03-02T15:07:00Z","source":"zendesk","ticket":"4521","status":"solved"}',
];
const CONFIG = `tenants:
  - id: default
    business_hours:
      timezone: America/New_York
      weekly: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]] }
    sla_policies:
      - name: high
        when: { priority: [high] }
        targets: { first_response: 1h, resolution: 8h }
        business_hours: true
`;

describe('deskpulse compute', () => {
  const events = file('events.ndjson', `${EVENTS.join('\n')}\n`);
  const config = file('deskpulse.yaml', CONFIG);
  const now = '2026-03-03T00:00:00Z';

  it('--format json prints the documented shapes for the EVENTS.md example', async () => {
    const { code, stdout, stderr } = await deskpulse([
      'compute',
      '--events',
      events,
      '--config',
      config,
      '--now',
      now,
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['now', 'tickets', 'call_cases', 'report']);
    expect(out.now).toBe('2026-03-03T00:00:00.000Z');
    const [ticket] = out.tickets;
    expect(ticket).toMatchObject({
      ticket: '4521',
      tenant: 'default',
      partial: false,
      status: 'solved',
      agent: 'maria',
      team: 'billing',
      priority: 'high',
      channel: 'email',
      first_response: { calendar: 1500, business: 1500, at: '2026-03-02T14:25:00.000Z', agent: 'maria' },
      full_resolution: { calendar: 4020, business: 4020 },
      replies: 1,
      reopens: 0,
      contacts: 2,
      calls_to_resolution: 1,
      fcr: false,
      touches: 'one_touch',
    });
    expect(ticket.sla.map((t: { metric: string; status: string }) => [t.metric, t.status])).toEqual([
      ['first_response', 'achieved'],
      ['resolution', 'achieved'],
    ]);
    expect(out.report.group_by).toBe('agent');
    expect(out.report.groups[0]).toMatchObject({
      key: 'maria',
      resolved: 1,
      calls: { inbound: 1, answered: 1 },
    });
  });

  it('reads standard input with --events -', async () => {
    const { code, stdout } = await deskpulse(
      ['compute', '--events', '-', '--now', now, '--format', 'json', '--group-by', 'team'],
      `${EVENTS.join('\n')}\n`,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).report.groups.map((g: { key: string }) => g.key)).toEqual(['billing']);
  });

  it('--format table is one readable row per agent with humanised durations', async () => {
    const { stdout } = await deskpulse([
      'compute',
      '--events',
      events,
      '--config',
      config,
      '--now',
      now,
      '--format',
      'table',
    ]);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^AGENT\s+RESOLVED\s+FRT MEDIAN/);
    expect(lines[1]).toMatch(
      /^maria\s+1\s+25m 00s\s+25m 00s\s+1h 07m\s+0% \(0\/1\)\s+1\.0\s+—\s+100% \(2\/2\)$/,
    );
    expect(stdout).toContain('Durations in business time');
  });

  it('--format csv has a header of dotted columns and one row per group', async () => {
    const { stdout } = await deskpulse([
      'compute',
      '--events',
      events,
      '--now',
      now,
      '--format',
      'csv',
      '--group-by',
      'none',
    ]);
    const [header, row, ...rest] = stdout.trim().split('\n');
    const columns = header?.split(',') ?? [];
    expect(columns).toContain('first_response.business.median');
    expect(columns).toContain('fcr.eligible');
    expect(rest).toEqual([]);
    const values = row?.split(',') ?? [];
    expect(values[columns.indexOf('resolved')]).toBe('1');
    expect(values[columns.indexOf('key')]).toBe('');
  });

  it('reports bad lines with their numbers and computes the good ones', async () => {
    const mixed = file(
      'mixed.ndjson',
      [
        EVENTS[0],
        '{"id":"x","type":"message","at":"2026-03-02T14:00:00Z","source":"z","ticket":"1","author":"robot"}',
        'not json',
        ...EVENTS.slice(1),
      ].join('\n'),
    );
    const { code, stdout, stderr } = await deskpulse([
      'compute',
      '--events',
      mixed,
      '--now',
      now,
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain('line 2: message.author must be one of customer, agent, bot, system');
    expect(stderr).toContain('line 3: not valid JSON');
    expect(stderr).toContain('2 bad line(s) of 8, skipped');
    expect(JSON.parse(stdout).tickets).toHaveLength(1);
  });

  it('--strict makes a bad line fatal with exit code 2 and no output', async () => {
    const mixed = file('strict.ndjson', `${EVENTS[0]}\n{"type":"nope"}\n`);
    const { code, stdout, stderr } = await deskpulse([
      'compute',
      '--events',
      mixed,
      '--strict',
      '--format',
      'json',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('line 2: type must be one of');
  });

  it('reads with a second thread started before the config is loaded; a usage error after still ends the command', async () => {
    // Every file is "large" here: the reading thread starts before the config is read.
    const split = { DESKPULSE_SPLIT_BYTES: '1' };
    const args = ['compute', '--events', events, '--format', 'json', '--now', '2026-03-20T12:00:00Z'];
    const one = await deskpulse(args);
    const two = await deskpulse(args, undefined, split);
    expect(two).toEqual(one);
    expect(JSON.parse(two.stdout).tickets).toHaveLength(1);
    // A usage error after the thread started: the command still ends, with the error.
    const bad = await deskpulse(
      [...args, '--tenant', 'acme', '--config', 'deskpulse.yaml'],
      undefined,
      split,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--tenant: no tenant "acme" in the config');
  });

  it('a file or input opened by a byte-order mark reads as without it, on one thread or two', async () => {
    const args = ['--format', 'json', '--now', '2026-03-20T12:00:00Z'];
    const plain = await deskpulse(['compute', '--events', events, ...args]);
    expect(JSON.parse(plain.stdout).tickets).toHaveLength(1);
    const marked = file('marked.ndjson', `\uFEFF${EVENTS.join('\r\n')}\r\n`);
    for (const env of [{}, { DESKPULSE_SPLIT_BYTES: '1' }] as Array<Record<string, string>>) {
      expect(await deskpulse(['compute', '--events', marked, ...args], undefined, env)).toEqual(plain);
    }
    const piped = await deskpulse(['compute', '--events', '-', ...args], `\uFEFF${EVENTS.join('\n')}`);
    expect(piped).toEqual(plain);
  });

  it('a bad config stops with the path and the reason, and no stack trace', async () => {
    const bad = file(
      'bad.yaml',
      'tenants:\n  - id: default\n    business_hours: { timezone: UTC, weekly: { mon: [["25:00", "26:00"]] } }\n',
    );
    const { code, stderr } = await deskpulse(['compute', '--events', events, '--config', bad]);
    expect(code).toBe(2);
    expect(stderr).toContain('tenants[0].business_hours.weekly.mon[0]: "25:00" is not a time');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("a period's dates and times are the tenant's wall clock, whatever the machine's time zone", async () => {
    // The config's tenant keeps New York hours: 2 March 09:30 there is 14:30Z, after the reply
    // (14:25Z) and before the resolution (15:07Z).
    const args = ['compute', '--events', events, '--config', config, '--now', now, '--format', 'json'];
    const period = ['--from', '2026-03-02', '--to', '2026-03-02T09:30'];
    for (const TZ of ['UTC', 'Asia/Tokyo']) {
      const { code, stdout } = await deskpulse([...args, ...period], undefined, { TZ });
      expect(code).toBe(0);
      const { report } = JSON.parse(stdout);
      expect([report.from, report.to]).toEqual(['2026-03-02T05:00:00.000Z', '2026-03-02T14:30:00.000Z']);
      expect(report.groups.map((g: Group) => [g.first_response.calendar.count, g.resolved])).toEqual([
        [1, 0],
      ]);
    }
  });

  it.each([
    [['--events', 'missing.ndjson'], '--events: cannot read missing.ndjson (ENOENT)'],
    [
      ['--events', 'events.ndjson', '--now', 'yesterday'],
      '--now: "yesterday" is not an ISO-8601 date or instant',
    ],
    [
      ['--events', 'events.ndjson', '--from', '2026-03-10', '--to', '2026-03-01T12:00:00Z'],
      '--to: must be later than --from (2026-03-10T00:00:00.000Z); the period is [from, to)',
    ],
    [
      ['--events', 'events.ndjson', '--tenant', 'acme', '--config', 'deskpulse.yaml'],
      '--tenant: no tenant "acme" in the config (it has default)',
    ],
    [['--events', 'events.ndjson', '--group-by', 'queue'], "argument 'queue' is invalid"],
    [['--events', 'events.ndjson', '--bogus'], "unknown option '--bogus'"],
    [['--format', 'json'], "required option '--events <file>' not specified"],
  ])('usage errors: %j', async (args, message) => {
    const { code, stderr } = await deskpulse(['compute', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('computes only the chosen tenant and says how many events it skipped', async () => {
    const tenants = file(
      'tenants.ndjson',
      [...EVENTS, EVENTS[0]?.replace('"id":"z-1"', '"id":"o-1","tenant":"acme"')].join('\n'),
    );
    const { stdout, stderr } = await deskpulse(['compute', '--events', tenants, '--format', 'json']);
    expect(stderr).toContain('1 event(s) of other tenants skipped');
    expect(JSON.parse(stdout).tickets).toHaveLength(1);
  });
});

describe('deskpulse generate and demo', () => {
  it('generate is deterministic and every line is a valid event', async () => {
    const first = await deskpulse(['generate', '--tickets', '50']);
    const second = await deskpulse(['generate', '--tickets', '50']);
    expect(first.stdout).toBe(second.stdout);
    const path = file('generated.ndjson', first.stdout);
    const { stderr, stdout } = await deskpulse([
      'compute',
      '--events',
      path,
      '--strict',
      '--format',
      'json',
      '--now',
      '2026-04-01T00:00:00Z',
    ]);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout).tickets).toHaveLength(50);
  });

  it('demo --offline computes the sample without Redis', async () => {
    const { code, stdout } = await deskpulse(['demo', '--offline', '--tickets', '100']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Per team\nTEAM\s+RESOLVED/);
  });

  it('demo runs the live pipeline: signed webhooks in, tables from the API out', async () => {
    const port = await freePort();
    const { code, stdout } = await deskpulse(['demo', '--once', '--tickets', '200', '--port', String(port)]);
    expect(stdout).toMatch(
      /Posted signed webhooks — [1-9]\d* Zendesk, [1-9]\d* Intercom, [1-9]\d* Aircall, [1-9]\d* Twilio, [1-9]\d* Freshdesk, [1-9]\d* LiveAgent, [1-9]\d* VoIPstudio — and \d+ normalised events .* all processed/,
    );
    // Agents and teams of every system are mapped to one person or team each: no provider ids left as rows.
    expect(stdout).not.toMatch(/\n(zendesk|intercom|aircall|twilio|freshdesk|liveagent|voipstudio):/);
    expect(stdout).not.toMatch(/\n\(unassigned\)\s+[1-9]/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Per team\nTEAM\s+RESOLVED/);
    expect(stdout).toMatch(/\nbilling\s+\d+/);
    expect(stdout).toMatch(/Per agent\nAGENT\s+RESOLVED/);

    // A second run starts from a clean slate: the first run's timers and debounced jobs, left in
    // the demo's Redis, once kept half of its tickets from being computed.
    const again = await deskpulse(['demo', '--once', '--tickets', '200', '--port', String(port)]);
    const resolved = (out: string) =>
      [...out.split('Per agent')[0]!.matchAll(/\n(?:billing|emea|technical|\(unassigned\))\s+(\d+)/g)].reduce(
        (sum, match) => sum + Number(match[1]),
        0,
      );
    expect(resolved(stdout)).toBeGreaterThan(0);
    // Equal unless an event of the sample crossed "now" between the runs.
    expect(Math.abs(resolved(again.stdout) - resolved(stdout))).toBeLessThanOrEqual(2);
  });
});
