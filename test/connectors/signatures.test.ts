import { describe, expect, it } from 'vitest';
import {
  sign as signStandard,
  verify as verifyStandard,
} from '../../src/connectors/events/standard-webhooks.js';
import { sign as signZendesk, verify as verifyZendesk } from '../../src/connectors/zendesk/signature.js';

// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signatures', () => {
  it('reproduces the published test vector', () => {
    expect(signStandard(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('verifies the vector, among several signatures and with a rotated-out secret first', () => {
    const body = Buffer.from(VECTOR.body);
    const header = `v1,bm90LXRoaXMtb25l ${VECTOR.signature}`;
    expect(
      verifyStandard(
        ['whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0', VECTOR.secret],
        VECTOR.id,
        String(VECTOR.timestamp),
        header,
        body,
        VECTOR.timestamp + 10,
      ),
    ).toEqual({ ok: true });
  });

  it.each([
    [
      'a changed body',
      VECTOR.id,
      String(VECTOR.timestamp),
      VECTOR.signature,
      '{"test": 2432232315}',
      VECTOR.timestamp,
    ],
    ['a changed id', 'msg_other', String(VECTOR.timestamp), VECTOR.signature, VECTOR.body, VECTOR.timestamp],
    [
      'a stale timestamp',
      VECTOR.id,
      String(VECTOR.timestamp),
      VECTOR.signature,
      VECTOR.body,
      VECTOR.timestamp + 301,
    ],
    ['no signature header', VECTOR.id, String(VECTOR.timestamp), undefined, VECTOR.body, VECTOR.timestamp],
    [
      'a truncated signature',
      VECTOR.id,
      String(VECTOR.timestamp),
      'v1,g0hM9SsE',
      VECTOR.body,
      VECTOR.timestamp,
    ],
  ])('refuses %s', (_name, id, timestamp, signature, body, now) => {
    expect(verifyStandard([VECTOR.secret], id, timestamp, signature, Buffer.from(body), now).ok).toBe(false);
  });
});

describe('Zendesk signatures: base64(HMAC-SHA256(timestamp + body))', () => {
  const secret = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
  const timestamp = '2026-03-03T14:00:00Z';
  const body = Buffer.from('{"type":"zen:event-type:ticket.created"}');
  const now = Date.parse(timestamp) + 1000;

  it('matches an independent computation and verifies', () => {
    const signature = signZendesk(secret, timestamp, body);
    expect(signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(verifyZendesk([secret], signature, timestamp, body, now)).toEqual({ ok: true });
  });

  it('accepts either secret while one is rotated', () => {
    expect(
      verifyZendesk(['old-secret', secret], signZendesk(secret, timestamp, body), timestamp, body, now).ok,
    ).toBe(true);
  });

  it.each([
    ['another body', signZendesk(secret, timestamp, body), timestamp, Buffer.from('{}'), now],
    [
      'a timestamp older than 5 minutes',
      signZendesk(secret, timestamp, body),
      timestamp,
      body,
      now + 5 * 60_000,
    ],
    [
      'a signature for another timestamp',
      signZendesk(secret, '2026-03-03T14:00:01Z', body),
      timestamp,
      body,
      now,
    ],
    ['a missing timestamp', signZendesk(secret, timestamp, body), undefined, body, now],
  ])('refuses %s', (_name, signature, stamp, payload, at) => {
    expect(verifyZendesk([secret], signature, stamp, payload, at).ok).toBe(false);
  });
});
