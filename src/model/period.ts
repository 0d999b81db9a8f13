import { DateTime } from 'luxon';

/**
 * An instant a person typed (a report period's bound, `--now`): ISO-8601 starting with a date. One
 * with an offset (`2026-03-04T09:00:00Z`, `…+01:00`) is that instant; a date (`2026-03-04`) or a
 * date and time without an offset is read on the wall clock of `zone` — the tenant's, so that
 * "March" is the tenant's March, and never the machine's. `null` when it is not such a text.
 */
export function instantIn(text: string, zone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}(?:$|T)/.test(text)) return null;
  // Luxon keeps an offset written in the text and uses `zone` only when there is none.
  const read = DateTime.fromISO(text, { zone });
  return read.isValid ? read.toMillis() : null;
}
