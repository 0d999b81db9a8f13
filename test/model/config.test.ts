import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/model/config.js';
import { ConfigError, parseConfigText } from '../../src/model/config-text.js';

const problems = (text: string): string[] => {
  try {
    parseConfigText(text, 'test.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('durations', () => {
  it.each([
    [90, 90],
    ['90', 90],
    ['90m', 5400],
    ['8h', 28800],
    ['7d', 604800],
    ['1h30m', 5400],
    ['1x', null],
    ['-5', null],
    [-5, null],
    ['', null],
  ])('%j → %j', (input, seconds) => expect(parseDuration(input)).toBe(seconds));
});

describe('the tenants file', () => {
  it('reads the example of METRICS.md', () => {
    const config = parseConfigText(
      `tenants:
  - id: default
    business_hours:
      timezone: America/New_York
      weekly: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]] }
      holidays: ["2026-12-25"]
    teams:
      emea: { business_hours: { timezone: Europe/Madrid, weekly: { mon: [["08:00", "16:00"]] } } }
    sla_policies:
      - name: urgent
        when: { priority: [urgent] }
        targets: { first_response: 1h, next_response: 2h, resolution: 8h }
        business_hours: true
        warn_at: 0.75
    call_linking: { link_before: 60m, repeat_window: 7d }
`,
      'example.yaml',
    );
    const [tenant] = config.tenants;
    expect(tenant?.sla_policies[0]?.targets).toEqual({
      first_response: 3600,
      next_response: 7200,
      resolution: 28800,
    });
    expect(tenant?.call_linking).toEqual({ link_before: 3600, repeat_window: 604800 });
  });

  it('reads JSON too and fills in defaults', () => {
    const config = parseConfigText(
      '{"tenants":[{"id":"acme","sla_policies":[{"name":"all","targets":{"first_response":600}}]}]}',
      'x.json',
    );
    expect(config.tenants[0]?.sla_policies[0]).toMatchObject({
      business_hours: false,
      warn_at: 0.75,
      pause_on_hold: false,
      when: {},
    });
  });

  it.each([
    [
      'tenants: [{ id: a, business_hours: { timezone: UTC, weekly: { mon: [["25:00", "26:00"]] } } }]',
      'tenants[0].business_hours.weekly.mon[0]: "25:00" is not a time',
    ],
    [
      'tenants: [{ id: a, business_hours: { timezone: UTC, weekly: { mon: [["17:00", "09:00"]] } } }]',
      'tenants[0].business_hours.weekly.mon[0]: "17:00" is not before "09:00"',
    ],
    [
      'tenants: [{ id: a, business_hours: { timezone: Mars/Olympus, weekly: { mon: [["09:00", "17:00"]] } } }]',
      'tenants[0].business_hours.timezone: "Mars/Olympus" is not an IANA time zone',
    ],
    [
      'tenants: [{ id: a, business_hours: { timezone: UTC, weekly: {} } }]',
      'tenants[0].business_hours.weekly: has no open hours',
    ],
    [
      'tenants: [{ id: a, business_hours: { timezone: UTC, weekly: { mon: [["09:00", "17:00"]] }, holidays: ["2026-02-30"] } }]',
      'tenants[0].business_hours.holidays[0]: "2026-02-30" is not a date (YYYY-MM-DD)',
    ],
    [
      'tenants: [{ id: a, sla_policies: [{ name: p, targets: {} }, { name: q, targets: { first_response: 1x } }] }]',
      'tenants[0].sla_policies[1].targets.first_response: "1x" is not a duration',
    ],
    [
      'tenants: [{ id: a, sla_policies: [{ name: p, when: { priority: [asap] }, targets: {} }] }]',
      'tenants[0].sla_policies[0].when.priority[0]: must be one of low, normal, high, urgent',
    ],
    [
      'tenants: [{ id: a, sla_policies: [{ name: p, targets: { first_response: 1h, resolution: 0 } }] }]',
      'tenants[0].sla_policies[0].targets.resolution: must be more than 0',
    ],
    [
      // The timers find a target's policy by name: two of one name would mix their clocks.
      'tenants: [{ id: a, sla_policies: [{ name: p, targets: {} }, { name: q, targets: {} }, { name: p, targets: {} }] }]',
      'tenants[0].sla_policies[2].name: "p" is the name of an earlier policy',
    ],
    [
      'tenants: [{ id: a, sla_policies: [{ name: "", targets: {} }] }]',
      'tenants[0].sla_policies[0].name: must not be empty',
    ],
    [
      'tenants: [{ id: a, sla_policies: [{ name: p, targets: {}, warn_at: 1.5 }] }]',
      'tenants[0].sla_policies[0].warn_at: must be at most 1',
    ],
    [
      'tenants: [{ id: a, people: { maria: { zendesk: [] } } }]',
      'tenants[0].people.maria.zendesk: must list at least 1',
    ],
    [
      'tenants: [{ id: a, teams: { emea: { zendesk: 5 } } }]',
      'tenants[0].teams.emea.zendesk: must be an id, or a list of ids',
    ],
    [
      'tenants: [{ id: a, slack: { digest: { hour: 24 } } }]',
      'tenants[0].slack.digest.hour: must be at most 23',
    ],
    // A bound of our own keeps its own words.
    ['tenants: [{ id: a, api_tokens: [short] }]', 'tenants[0].api_tokens[0]: must be at least 16 characters'],
    ['tenants: [{ id: a, bussiness_hours: {} }]', 'tenants[0]: unknown key "bussiness_hours"'],
    ['tenants: [{ id: a }, { id: a }]', 'tenants[1].id: "a" is listed twice'],
    ['tenants: []', 'tenants: '],
    ['tenants: [{ id: a\n', 'line 2'],
  ])('%s', (text, expected) => {
    expect(problems(text).join('\n')).toContain(expected);
  });
});
