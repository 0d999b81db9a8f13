import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Customer keys (EVENTS.md): e-mail lower-cased, phone numbers in E.164. A number that cannot be
 * parsed keeps a raw key scoped to the record it came from (`phone-raw:<scope>:<as given>`), so
 * two different callers shown as "anonymous" or "+0" never link to the same ticket or call case.
 */
export function emailKey(raw: string | null | undefined): string | undefined {
  const email = raw?.trim().toLowerCase();
  return email && /^[^\s@]+@[^\s@]+$/.test(email) ? `email:${email}` : undefined;
}

export function e164(raw: string | null | undefined, defaultCountry?: string): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  const parsed = parsePhoneNumberFromString(text, {
    defaultCountry: defaultCountry as CountryCode | undefined,
  });
  return parsed?.isValid() ? parsed.number : undefined;
}

export function phoneKey(
  raw: string | null | undefined,
  scope: string,
  defaultCountry?: string,
): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  const number = e164(text, defaultCountry);
  return number ? `phone:${number}` : `phone-raw:${scope}:${text.replace(/\s+/g, '')}`;
}

/** The non-empty keys, in order, without repeats; undefined when there are none. */
export function customerKeys(...keys: Array<string | undefined>): string[] | undefined {
  const unique = [...new Set(keys.filter((key): key is string => Boolean(key)))];
  return unique.length === 0 ? undefined : unique;
}
