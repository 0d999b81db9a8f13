/**
 * Epoch milliseconds of an instant, exactly as `Date.parse` gives them. The form every
 * connector writes, `YYYY-MM-DDTHH:MM:SS.sssZ`, is read straight from its digits — a quarter of
 * `Date.parse`'s time, which at a million events was a tenth of `deskpulse compute`'s reading;
 * anything else (an offset, no fraction, a year before 100, a day the month lacks) goes to
 * `Date.parse`. A property test holds the two equal (test/model/instant.test.ts).
 */
export function instantMs(text: string): number {
  const ms = usualInstantMs(text);
  return Number.isNaN(ms) ? Date.parse(text) : ms;
}

/**
 * The epoch milliseconds of an instant in the usual form with a year from 100 and a day its
 * month has (then it is a valid ISO-8601 instant and `Date.parse` gives the same), else NaN.
 */
export function usualInstantMs(text: string): number {
  // Validation reads an event's instant and the collector again right after: the last one's
  // value is kept.
  if (text === lastText) return lastMs;
  lastText = text;
  lastMs = readUsual(text);
  return lastMs;
}

let lastText = '';
let lastMs = Number.NaN;

function readUsual(text: string): number {
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
  let year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  const ms = twoDigits(text, 20) * 10 + digit(text, 22);
  if (
    !(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= monthDays(year, month)) ||
    !(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && ms >= 0)
  ) {
    return Number.NaN;
  }
  // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): the
  // year counted from March, so that a leap day ends it.
  if (month <= 2) year -= 1;
  const era = (year / 400) | 0;
  const yearOfEra = year - era * 400;
  const dayOfYear = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear;
  const days = era * 146_097 + dayOfEra - 719_468;
  return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

function monthDays(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/**
 * The number written by the two characters from `start` if both are ASCII digits, else a
 * negative number (as is any sum with one): `digit`'s -1e9 outweighs every digit.
 */
function twoDigits(text: string, start: number): number {
  return digit(text, start) * 10 + digit(text, start + 1);
}

function digit(text: string, at: number): number {
  const value = text.charCodeAt(at) - 48;
  return value >= 0 && value <= 9 ? value : -1e9;
}
