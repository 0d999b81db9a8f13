import { describe, expect, it } from 'vitest';
import { customerKeys, e164, emailKey, phoneKey } from '../../src/connectors/customer.js';
import { customerOf } from '../../src/connectors/zendesk/normalize.js';

describe('customer keys', () => {
  it.each([
    ['+1 415-555-0100', undefined, 'phone:+14155550100'],
    ['(415) 555-0100', 'US', 'phone:+14155550100'],
    ['0612345678', 'FR', 'phone:+33612345678'],
    ['+33 6 12 34 56 78', 'US', 'phone:+33612345678'],
    ['00 33 6 12 34 56 78', 'FR', 'phone:+33612345678'],
  ])('%s (default country %s) is %s', (raw, country, key) => {
    expect(phoneKey(raw, 'aircall:1', country)).toBe(key);
  });

  it('keeps a raw key scoped to its record for a number that cannot be parsed, so it never links', () => {
    expect(phoneKey('anonymous', 'aircall:1', 'US')).toBe('phone-raw:aircall:1:anonymous');
    expect(phoneKey('anonymous', 'aircall:2', 'US')).not.toBe(phoneKey('anonymous', 'aircall:1', 'US'));
    // A national number without a default country is not guessed.
    expect(phoneKey('4155550100', 'twilio:CA1')).toBe('phone-raw:twilio:CA1:4155550100');
    expect(e164('+1 415 555')).toBeUndefined();
    expect(phoneKey('  ', 'x')).toBeUndefined();
  });

  it('lower-cases e-mails and refuses what is not one', () => {
    expect(emailKey(' Ana@Example.COM ')).toBe('email:ana@example.com');
    expect(emailKey('not an address')).toBeUndefined();
    expect(emailKey(null)).toBeUndefined();
  });

  it('lists keys once, in order, and nothing as undefined', () => {
    expect(customerKeys('email:a@b.c', undefined, 'phone:+14155550100', 'email:a@b.c')).toEqual([
      'email:a@b.c',
      'phone:+14155550100',
    ]);
    expect(customerKeys(undefined)).toBeUndefined();
  });
});

describe('Zendesk requesters use the same keys', () => {
  it('national numbers in the default country, e-mail lower-cased, else the Zendesk user', async () => {
    const context = (phone?: string, email?: string) => ({
      tenant: 'acme',
      defaultCountry: 'US',
      users: { user: async () => ({ role: 'end-user' as const, phone, email }), remember: async () => {} },
    });
    expect(await customerOf('7', context('(415) 555-0100', 'Ana@Example.com'))).toEqual([
      'email:ana@example.com',
      'phone:+14155550100',
    ]);
    expect(await customerOf('7', context('anonymous'))).toEqual(['phone-raw:zendesk-user:7:anonymous']);
    expect(await customerOf('7', context())).toEqual(['zendesk-user:7']);
  });
});
