import { describe, expect, it } from 'vitest';
import {
  sign as signStandard,
  verify as verifyStandard,
} from '../../src/connectors/events/standard-webhooks.js';
import { sign as signZendesk, verify as verifyZendesk } from '../../src/connectors/zendesk/signature.js';
import { signedUrl } from '../../src/connectors/twilio/index.js';
import {
  bodySha256,
  sign as signTwilio,
  verifySignature as verifyTwilio,
} from '../../src/connectors/twilio/signature.js';
import {
  sign as signIntercom,
  verifySignature as verifyIntercom,
} from '../../src/connectors/intercom/index.js';
import { tokenMatches } from '../../src/connectors/shared.js';

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

// Twilio's published request-validation examples (the same vectors in every Twilio helper library).
const TWILIO = {
  token: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  params: {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  },
  signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
  body: '{"property": "value", "boolean": true}',
  bodyHash: '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620',
  bodySignature: 'a9nBmqA0ju/hNViExpshrM61xv4=',
};
const form = (params: Record<string, string>) => Buffer.from(new URLSearchParams(params).toString());

describe('Twilio signatures', () => {
  it('reproduces the published form-parameter vector', () => {
    expect(signTwilio(TWILIO.token, TWILIO.url, Object.entries(TWILIO.params))).toBe(TWILIO.signature);
    expect(verifyTwilio([TWILIO.token], TWILIO.signature, TWILIO.url, form(TWILIO.params), false)).toEqual({
      ok: true,
    });
  });

  it('reproduces the published JSON-body vector (bodySHA256 in the URL, the URL alone signed)', () => {
    expect(bodySha256(TWILIO.body)).toBe(TWILIO.bodyHash);
    const url = `${TWILIO.url}&bodySHA256=${TWILIO.bodyHash}`;
    expect(signTwilio(TWILIO.token, url)).toBe(TWILIO.bodySignature);
    expect(verifyTwilio([TWILIO.token], TWILIO.bodySignature, url, Buffer.from(TWILIO.body), true)).toEqual({
      ok: true,
    });
    const tampered = Buffer.from(TWILIO.body.replace('value', 'other'));
    expect(verifyTwilio([TWILIO.token], TWILIO.bodySignature, url, tampered, true)).toMatchObject({
      ok: false,
    });
  });

  it('accepts the URL with the port removed or the default port added, as Twilio validators do', () => {
    const withPort = TWILIO.url.replace('.com', '.com:1234');
    expect(verifyTwilio([TWILIO.token], TWILIO.signature, withPort, form(TWILIO.params), false)).toEqual({
      ok: true,
    });
    // Published: the signature of the https URL with :443 written in.
    expect(
      verifyTwilio([TWILIO.token], 'kvajT1Ptam85bY51eRf/AJRuM3w=', TWILIO.url, form(TWILIO.params), false),
    ).toEqual({ ok: true });
  });

  it('refuses a tampered parameter, another token, another URL or no signature', () => {
    const body = form({ ...TWILIO.params, Digits: '9999' });
    expect(verifyTwilio([TWILIO.token], TWILIO.signature, TWILIO.url, body, false)).toMatchObject({
      ok: false,
    });
    expect(verifyTwilio(['54321'], TWILIO.signature, TWILIO.url, form(TWILIO.params), false)).toMatchObject({
      ok: false,
    });
    expect(
      verifyTwilio([TWILIO.token], TWILIO.signature, `${TWILIO.url}&x=1`, form(TWILIO.params), false),
    ).toMatchObject({ ok: false });
    expect(verifyTwilio([TWILIO.token], undefined, TWILIO.url, form(TWILIO.params), false)).toEqual({
      ok: false,
      reason: 'missing X-Twilio-Signature',
    });
  });

  it('signs the public URL with the query string of the request', () => {
    expect(
      signedUrl('https://dp.example.com/webhooks/twilio/acme', '/webhooks/twilio/acme?bodySHA256=ab'),
    ).toBe('https://dp.example.com/webhooks/twilio/acme?bodySHA256=ab');
    expect(signedUrl('https://dp.example.com/webhooks/twilio/acme', '/webhooks/twilio/acme')).toBe(
      'https://dp.example.com/webhooks/twilio/acme',
    );
  });
});

describe('Intercom signatures', () => {
  it('is sha1=<hex HMAC-SHA1> of the body (checked against the well-known HMAC-SHA1 example)', () => {
    // HMAC_SHA1("key", "The quick brown fox jumps over the lazy dog") = de7c9b85…
    const body = 'The quick brown fox jumps over the lazy dog';
    expect(signIntercom('key', body)).toBe('sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9');
    expect(
      verifyIntercom(['old', 'key'], 'sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9', Buffer.from(body)),
    ).toEqual({ ok: true });
    expect(
      verifyIntercom(['key'], 'sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d8', Buffer.from(body)),
    ).toMatchObject({ ok: false });
    expect(
      verifyIntercom(['key'], 'de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9', Buffer.from(body)),
    ).toMatchObject({
      ok: false,
      reason: 'missing or malformed X-Hub-Signature',
    });
  });
});

describe('Aircall tokens', () => {
  it('compares the body token with each configured one', () => {
    expect(tokenMatches('aircall-token', ['rotated-out', 'aircall-token'])).toBe(true);
    expect(tokenMatches('aircall-tokem', ['aircall-token'])).toBe(false);
    expect(tokenMatches('', ['aircall-token'])).toBe(false);
    expect(tokenMatches(undefined, ['aircall-token'])).toBe(false);
  });
});
