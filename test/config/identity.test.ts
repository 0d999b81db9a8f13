import { describe, expect, it } from 'vitest';
import { type AgentDirectory, IdentityMap, IdentityResolver } from '../../src/config/identity.js';
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

  it('keeps what the connector wrote, and maps it again from there: a listing removed or moved undoes itself', () => {
    const arrived = identities.apply(reply({ agent: 'zendesk:1001', team: 'zendesk:360001' })).event;
    expect(arrived).toMatchObject({
      agent: 'maria',
      team: 'billing',
      origin: { agent: 'zendesk:1001', team: 'zendesk:360001' },
    });
    // Not mapped: nothing to keep.
    expect(identities.apply(reply({ agent: 'zendesk:9' })).event).not.toHaveProperty('origin');

    // The id was Ana's all along; the team id is no longer listed.
    const fixed = new IdentityMap(
      tenantSchema.parse({
        id: 'acme',
        people: { maria: { email: 'maria@acme.com' }, ana: { zendesk: '1001' } },
      }),
    );
    expect(fixed.remap(arrived)).toMatchObject({ agent: 'ana', team: 'zendesk:360001' });
    const none = new IdentityMap(tenantSchema.parse({ id: 'acme' }));
    expect(none.remap(arrived)).toMatchObject({ agent: 'zendesk:1001', team: 'zendesk:360001' });
    // Under the mapping it arrived with, the same event back.
    expect(identities.remap(arrived)).toBe(arrived);
  });

  it("maps an agent found by its directory e-mail again from that e-mail when the person's listing changes", async () => {
    const directory: AgentDirectory = {
      directory: {
        user: async (id: string) =>
          id === '55' ? { role: 'agent' as const, email: ' Lee@Acme.com ' } : null,
        remember: async () => {},
      },
      userId: (id) => id,
    };
    const resolver = new IdentityResolver(identities, (source) => (source === 'zendesk' ? directory : null));
    const arrived = (await resolver.apply(reply({ agent: 'zendesk:55' }))).event;
    expect(arrived).toMatchObject({
      agent: 'lee@acme.com',
      origin: { agent: 'zendesk:55', email: 'lee@acme.com' },
    });
    // Lee listed since by e-mail, then by the id itself under another name: the id wins.
    const byEmail = new IdentityMap(
      tenantSchema.parse({ id: 'acme', people: { lee: { email: 'lee@acme.com' } } }),
    );
    expect(byEmail.remap(arrived)).toMatchObject({ agent: 'lee' });
    const byId = new IdentityMap(
      tenantSchema.parse({ id: 'acme', people: { lee: { email: 'lee@acme.com' }, leo: { zendesk: '55' } } }),
    );
    expect(byId.remap(arrived)).toMatchObject({ agent: 'leo' });
    // A person found by e-mail as it arrived, whose e-mail is no longer listed: the address.
    const maria = (
      await new IdentityResolver(identities, () => ({
        directory: {
          user: async () => ({ role: 'agent' as const, email: 'maria@acme.com' }),
          remember: async () => {},
        },
        userId: (id) => id,
      })).apply(reply({ agent: 'intercom:8' }))
    ).event;
    expect(maria).toMatchObject({ agent: 'maria', origin: { agent: 'intercom:8', email: 'maria@acme.com' } });
    expect(new IdentityMap(tenantSchema.parse({ id: 'acme' })).remap(maria)).toMatchObject({
      agent: 'maria@acme.com',
    });
  });
});
