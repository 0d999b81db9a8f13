import { describe, expect, it } from 'vitest';
import { formatCsv } from '../../src/metrics/csv.js';
import { buildReport, type Group } from '../../src/metrics/report.js';

describe('the report as CSV', () => {
  const empty = buildReport([], { groupBy: 'none', from: null, to: null })[0] as Group;
  const rows = (groups: Group[]) => formatCsv(groups).split('\n');

  it('quotes a name with commas or quotes, and keeps a name a spreadsheet would run as text', () => {
    const groups = [
      { ...empty, key: 'Support, "Tier 1"' },
      { ...empty, key: '=HYPERLINK("http://x","y")' },
      { ...empty, key: '+14155550100' },
      { ...empty, key: '-team' },
      { ...empty, key: '@SUM(A1)' },
      { ...empty, key: 'maria' },
    ];
    expect(
      rows(groups)
        .slice(1)
        .map((row) => row.slice(0, row.indexOf(',0,'))),
    ).toEqual([
      '"Support, ""Tier 1"""',
      `"'=HYPERLINK(""http://x"",""y"")"`,
      "'+14155550100",
      "'-team",
      "'@SUM(A1)",
      'maria',
    ]);
  });

  it('writes numbers as numbers, negative ones too, and nothing for null', () => {
    const group = { ...empty, key: null, nps: { responses: 2, promoters: 0, detractors: 2, score: -100 } };
    const [header, row] = rows([group]);
    const columns = header?.split(',') ?? [];
    const values = row?.split(',') ?? [];
    expect(values[columns.indexOf('key')]).toBe('');
    expect(values[columns.indexOf('nps.score')]).toBe('-100');
    expect(values[columns.indexOf('nps.detractors')]).toBe('2');
  });
});
