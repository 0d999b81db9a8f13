import { createPublicKey, type KeyObject } from 'node:crypto';
import { decodeJwt, errors, type JWTPayload, jwtVerify } from 'jose';
import type { ServiceConfig } from '../config/service-config.js';
import { asList } from '../connectors/types.js';
import type { ZendeskSettings } from '../connectors/zendesk/settings.js';
import type { TenantConfig } from '../model/config.js';

/**
 * The Zendesk sidebar app's signed requests. The tenant is the one whose key verified the
 * token (its `iss` only says which tenants to try), and the agent is the token's e-mail claim:
 * nothing is taken from the query or the body.
 */
export interface AppIdentity {
  tenant: TenantConfig;
  /** The viewing agent's e-mail (`email`, or Zendesk's `user.email`). */
  email: string | null;
  settings: ZendeskSettings;
}

export class AppAuthError extends Error {}

interface Verifier {
  tenant: TenantConfig;
  settings: ZendeskSettings;
  issuers: string[];
  keys: Array<{ key: Uint8Array | KeyObject; algorithm: 'HS256' | 'RS256' }>;
}

/** Tokens a few seconds old across two clocks are still fine; nothing more. */
const CLOCK_TOLERANCE_SECONDS = 30;

export class AppAuthenticator {
  private readonly verifiers = new Map<string, Verifier[]>();

  constructor(config: ServiceConfig) {
    for (const { config: tenant, connectors } of config.tenants.values()) {
      const settings = connectors.get('zendesk') as ZendeskSettings | undefined;
      if (!settings?.app) continue;
      const keys: Verifier['keys'] = [];
      const secrets = settings.app.shared_secret;
      for (const secret of secrets === undefined ? [] : asList(secrets))
        keys.push({ key: new TextEncoder().encode(secret), algorithm: 'HS256' });
      if (settings.app.public_key)
        keys.push({ key: createPublicKey(settings.app.public_key), algorithm: 'RS256' });
      const host = `${settings.subdomain}.zendesk.com`;
      const verifier = { tenant, settings, issuers: [host, `https://${host}`], keys };
      for (const issuer of verifier.issuers) {
        const list = this.verifiers.get(issuer) ?? [];
        list.push(verifier);
        this.verifiers.set(issuer, list);
      }
    }
  }

  /** Verify `Authorization: Bearer <jwt>`; throws `AppAuthError` with the reason. */
  async verify(authorization: string | undefined): Promise<AppIdentity> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new AppAuthError('a signed app token (Authorization: Bearer <jwt>) is required');
    const token = match[1] as string;
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new AppAuthError('the token is not a JWT');
    }
    const candidates = typeof unverified.iss === 'string' ? this.verifiers.get(unverified.iss) : undefined;
    if (!candidates) throw new AppAuthError('the token was not issued by a Zendesk account deskpulse knows');
    let reason = 'the token signature does not verify';
    for (const verifier of candidates) {
      for (const { key, algorithm } of verifier.keys) {
        try {
          const { payload } = await jwtVerify(token, key, {
            // One algorithm per key: an RS256 key is never used as an HMAC secret, and `none` never passes.
            algorithms: [algorithm],
            issuer: verifier.issuers,
            audience: verifier.settings.app?.audience,
            requiredClaims: ['exp'],
            clockTolerance: CLOCK_TOLERANCE_SECONDS,
          });
          return { tenant: verifier.tenant, email: emailClaim(payload), settings: verifier.settings };
        } catch (error) {
          if (error instanceof errors.JWTExpired) reason = 'the token has expired';
          else if (error instanceof errors.JWTClaimValidationFailed)
            reason = `the token's ${error.claim} claim is not accepted`;
        }
      }
    }
    throw new AppAuthError(reason);
  }
}

function emailClaim(payload: JWTPayload): string | null {
  const direct = payload.email;
  if (typeof direct === 'string' && direct.includes('@')) return direct.toLowerCase();
  const user = payload.user as { email?: unknown } | undefined;
  if (user && typeof user.email === 'string' && user.email.includes('@')) return user.email.toLowerCase();
  return null;
}
