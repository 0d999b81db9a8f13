import { humanizeSeconds } from '../metrics/humanize.js';
import type { Group, Rate } from '../metrics/report.js';
import { escapeMrkdwn } from './messages.js';

const percent = (rate: Rate): string => (rate.rate === null ? '—' : `${Math.round(rate.rate)}%`);
const oneDecimal = (value: number | null): string => (value === null ? '—' : value.toFixed(1));

/**
 * A team's day against the week before: FRT and resolution medians, FCR, calls-to-resolution and
 * SLA attainment, in business time when the tenant has business hours.
 */
export function digestMessage(
  team: string | null,
  day: string,
  yesterday: Group | undefined,
  weekBefore: Group | undefined,
  business: boolean,
): { text: string; blocks: unknown[] } {
  const clock = business ? 'business' : 'calendar';
  const name = team === null ? 'unassigned' : team;
  // Medians and rates compare as they are; a count of the day against the week's daily mean
  // (12 resolved yesterday against 80 in seven days would read as a collapse).
  const rows: Array<[string, (group: Group) => string, ((group: Group) => string)?]> = [
    ['First response (median)', (g) => humanizeSeconds(g.first_response[clock].median)],
    ['Resolution (median)', (g) => humanizeSeconds(g.full_resolution[clock].median)],
    ['First-contact resolution', (g) => percent(g.fcr)],
    ['Calls to resolution (mean)', (g) => oneDecimal(g.calls_to_resolution.mean)],
    ['SLA attainment', (g) => percent(g.sla)],
    ['Resolved', (g) => String(g.resolved), (g) => `${(g.resolved / 7).toFixed(1)} a day`],
  ];
  const cell = (group: Group | undefined, read: (g: Group) => string) => (group ? read(group) : '—');
  const lines = rows.map(
    ([label, read, readWeek = read]) =>
      `*${label}*: ${cell(yesterday, read)}  (week before: ${cell(weekBefore, readWeek)})`,
  );
  const text = `Daily digest for ${name}, ${day}`;
  return {
    text,
    blocks: [
      {
        type: 'header',
        text: { type: 'plain_text', text: `:bar_chart: ${text}`.slice(0, 150), emoji: true },
      },
      { type: 'section', text: { type: 'mrkdwn', text: lines.map(escapeMrkdwnLabels).join('\n') } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Durations in ${clock} time; the week before is the 7 days before ${day} (its resolved count a daily mean).`,
          },
        ],
      },
    ],
  };
}

/** Labels are ours; only values could carry team text, and they are numbers: escape anyway. */
const escapeMrkdwnLabels = (line: string): string => line.replace(/[&<>]/g, (c) => escapeMrkdwn(c));
