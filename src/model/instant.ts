/**
 * Epoch milliseconds of an instant, exactly as `Date.parse` gives them. The form every
 * connector writes, `YYYY-MM-DDTHH:MM:SS.sssZ`, is read straight from its digits — a third of
 * `Date.parse`'s time, which at a million events was a tenth of `deskpulse compute`'s reading;
 * anything else (an offset, no fraction, a day past the 28th, a year before 100) goes to
 * `Date.parse`. A property test holds the two equal (test/model/instant.test.ts).
 */
export function instantMs(text: string): number {
  const ms = usualInstantMs(text);
  return Number.isNaN(ms) ? Date.parse(text) : ms;
}

/**
 * The epoch milliseconds of an instant in the usual form with a year from 100 and a day up to
 * the 28th (then it is a valid ISO-8601 instant and `Date.parse` gives the same), else NaN.
 */
export function usualInstantMs(text: string): number {
  if (
    text.length !== 24 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46 || // .
    text.charCodeAt(23) !== 90 // Z
  ) {
    return Number.NaN;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const ms = digits(text, 20, 3);
  // Date.UTC reads years 0–99 as 1900–1999; days past the 28th may not exist: Date.parse says.
  if (
    !(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 28) ||
    !(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && ms >= 0)
  ) {
    return Number.NaN;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The number written by `length` ASCII digits from `start`, or -1 if any is not a digit. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
