import { humanizeSeconds } from '../metrics/humanize.js';
import type { Group, Rate } from '../metrics/report.js';

export { formatCsv } from '../metrics/csv.js';

export { humanizeSeconds };

function percent(rate: Rate | { count: number; eligible: number; rate: number | null }): string {
  if (rate.rate === null) return '—';
  return `${Math.round(rate.rate)}% (${rate.count}/${rate.eligible})`;
}

const oneDecimal = (value: number | null): string => (value === null ? '—' : value.toFixed(1));

/** One row per group, the figures a team lead compares: FRT, resolution, FCR, calls, CSAT, SLA. */
export function formatTable(groups: Group[], groupBy: string, business: boolean): string {
  const clock = business ? 'business' : 'calendar';
  const header = [
    groupBy === 'none' ? 'ALL' : groupBy.toUpperCase(),
    'RESOLVED',
    'FRT MEDIAN',
    'FRT P90',
    'RESOLUTION MEDIAN',
    'FCR',
    'CALLS/RESOLUTION',
    'CSAT',
    'SLA',
  ];
  const rows = groups.map((group) => [
    group.key ?? (groupBy === 'none' ? 'all' : '(unassigned)'),
    String(group.resolved),
    humanizeSeconds(group.first_response[clock].median),
    humanizeSeconds(group.first_response[clock].p90),
    humanizeSeconds(group.full_resolution[clock].median),
    percent(group.fcr),
    oneDecimal(group.calls_to_resolution.mean),
    percent({ count: group.csat.positive, eligible: group.csat.responses, rate: group.csat.score }),
    percent(group.sla),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  const footer = `Durations in ${clock} time. FCR counts resolved tickets and call cases; CSAT is positive answers.`;
  return [line(header), ...rows.map(line), '', footer].join('\n');
}
