import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Twilio-Signature`: base64(HMAC-SHA1(auth token, URL + every POST parameter sorted by name,
 * name then value)). A JSON body is signed through its hash instead: Twilio adds
 * `bodySHA256=<hex SHA-256 of the body>` to the URL and signs the URL alone. Twilio's own
 * validators accept the URL with and without the default port, and so do we.
 */
export function signatureBase(url: string, params: Array<[string, string]>): string {
  const sorted = [...params].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return url + sorted.map(([name, value]) => name + value).join('');
}

export function sign(authToken: string, url: string, params: Array<[string, string]> = []): string {
  return createHmac('sha1', authToken).update(signatureBase(url, params), 'utf8').digest('base64');
}

export const bodySha256 = (body: Buffer | string): string => createHash('sha256').update(body).digest('hex');

/** The URL as signed, with the port left out and with the scheme's default port written in. */
function urlVariants(url: string): string[] {
  const parsed = new URL(url);
  const withoutPort = new URL(url);
  withoutPort.port = '';
  const explicit = `${parsed.protocol}//${parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : ''}${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? '443' : '80')}${parsed.pathname}${parsed.search}`;
  return [...new Set([url, withoutPort.toString(), explicit])];
}

export function verifySignature(
  authTokens: readonly string[],
  signature: string | undefined,
  url: string,
  body: Buffer,
  isJson: boolean,
): { ok: true } | { ok: false; reason: string } {
  if (!signature) return { ok: false, reason: 'missing X-Twilio-Signature' };
  let params: Array<[string, string]> = [];
  if (isJson) {
    const declared = new URL(url).searchParams.get('bodySHA256');
    const actual = Buffer.from(bodySha256(body), 'hex');
    const offeredHash = Buffer.from(declared ?? '', 'hex');
    if (!declared || offeredHash.length !== actual.length || !timingSafeEqual(offeredHash, actual))
      return { ok: false, reason: 'the bodySHA256 of the URL does not match the body' };
  } else {
    params = [...new URLSearchParams(body.toString('utf8'))];
  }
  const offered = Buffer.from(signature, 'base64');
  for (const token of authTokens) {
    for (const variant of urlVariants(url)) {
      const expected = Buffer.from(sign(token, variant, params), 'base64');
      if (offered.length === expected.length && timingSafeEqual(offered, expected)) return { ok: true };
    }
  }
  return { ok: false, reason: 'the signature does not match' };
}
