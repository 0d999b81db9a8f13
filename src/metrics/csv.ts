import { buildReport, type Group } from './report.js';

/** Flatten each group into dotted columns (`first_response.business.median`) for spreadsheets. */
export function formatCsv(groups: Group[]): string {
  const flat = groups.map((group) => flatten(group));
  const shape = buildReport([], { groupBy: 'none', from: null, to: null })[0] as Group;
  const columns = Object.keys(flatten(shape));
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    // A name a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1…`, `@SUM(…)`) is kept
    // as text with a leading apostrophe (OWASP "CSV injection"); numbers are written as numbers.
    const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [columns.join(','), ...flat.map((row) => columns.map((column) => cell(row[column])).join(','))].join(
    '\n',
  );
}

function flatten(value: object, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (inner !== null && typeof inner === 'object') flatten(inner, name, into);
    else into[name] = inner;
  }
  return into;
}
