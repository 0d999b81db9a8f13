import { describe, expect, it } from 'vitest';
import { IdentityMap } from '../../src/config/identity.js';
import { tenantSchema } from '../../src/model/config.js';
import type { NormalizedEvent } from '../../src/model/events.js';

const tenant = tenantSchema.parse({
  id: 'acme',
  people: { maria: { email: 'Maria@Acme.com', aircall: '77', zendesk: ['1001', '1002'] } },
  teams: { billing: { zendesk: '360001' } },
});
const identities = new IdentityMap(tenant);
const reply = (fields: Record<string, unknown>) =>
  ({
    id: 'e-1',
    type: 'message',
    at: '2026-03-03T10:00:00Z',
    source: 'zendesk',
    ticket: 'zendesk:1',
    author: 'agent',
    public: true,
    ...fields,
  }) as unknown as NormalizedEvent;

describe('people and teams across systems', () => {
  it('maps listed provider ids as events arrive; others stay and are counted as unmapped', () => {
    expect(identities.apply(reply({ agent: 'zendesk:1002', team: 'zendesk:360001' }))).toMatchObject({
      event: { agent: 'maria', team: 'billing' },
      unmapped: false,
    });
    expect(identities.apply(reply({ agent: 'zendesk:9', team: 'zendesk:360001' }))).toMatchObject({
      event: { agent: 'zendesk:9', team: 'billing' },
      unmapped: true,
    });
    expect(identities.agentByEmail(' MARIA@acme.com ')).toBe('maria');
    expect(identities.agentByEmail('lee@acme.com')).toBe('lee@acme.com');
  });

  it('maps stored events again: ids listed since, e-mail addresses now a person’s; the rest untouched', () => {
    expect(identities.remap(reply({ agent: 'aircall:77' }))).toMatchObject({ agent: 'maria' });
    expect(identities.remap(reply({ agent: 'maria@acme.com', team: 'zendesk:360001' }))).toMatchObject({
      agent: 'maria',
      team: 'billing',
    });
    // Nothing to change: the very same event, not a copy.
    for (const fields of [
      { agent: 'maria' },
      { agent: 'lee@acme.com' },
      { agent: 'zendesk:9' },
      { agent: null },
      {},
    ]) {
      const event = reply(fields);
      expect(identities.remap(event)).toBe(event);
    }
    // Only what changed is written: an event without a team gets none.
    expect(identities.remap(reply({ agent: 'zendesk:1001' }))).not.toHaveProperty('team');
  });
});
