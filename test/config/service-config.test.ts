import { describe, expect, it } from 'vitest';
import { buildServiceConfig } from '../../src/config/service-config.js';
import { ConfigError, parseConfigText } from '../../src/model/config-text.js';

const problems = (text: string): string[] => {
  try {
    buildServiceConfig(parseConfigText(text, 'tenants.yaml', {}), 'tenants.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("the service's tenants file", () => {
  it("checks each connector's settings with its own schema, and says every problem with its place", () => {
    expect(
      problems(`tenants:
  - id: acme
    api_tokens: [acme-token-0123456789]
    connectors:
      zendesk: { subdomain: acme.zendesk.com, email: api@acme.test, api_token: x }
      aircall: {}
      intercom: { client_secret: 5 }
      fax: {}
`),
    ).toEqual([
      'tenants[0].connectors.zendesk.subdomain: must be the subdomain only (acme for acme.zendesk.com)',
      'tenants[0].connectors.zendesk.signing_secret: is required',
      'tenants[0].connectors.aircall.webhook_token: is required',
      'tenants[0].connectors.intercom.client_secret: must be a secret (a non-empty string), or a list of them while rotating',
      'tenants[0].connectors.fax: unknown connector (known: zendesk, events, aircall, intercom, twilio, freshdesk, voipstudio, liveagent)',
    ]);
  });

  it('refuses one API token given to two tenants (the token says which tenant is asking)', () => {
    expect(
      problems(`tenants:
  - { id: acme, api_tokens: [shared-token-0123456789] }
  - { id: globex, api_tokens: [shared-token-0123456789] }
`),
    ).toEqual(['tenants[1].api_tokens[0]: the same token is given to two tenants']);
  });
});
