import type { UserDirectory } from '../connectors/types.js';
import type { NormalizedEvent } from '../model/events.js';
import type { TenantConfig } from '../model/config.js';

/**
 * The tenant's people and teams across systems. Connectors write `<source>:<id>`; an id the
 * tenant lists under a person or team (`people.maria.aircall: "77"`) becomes that person or team.
 * An agent id not listed is looked up in its provider's user directory: an agent whose e-mail is a
 * person's `email` becomes that person, any other agent with an e-mail becomes the e-mail itself —
 * so the same address in Zendesk, Intercom and Aircall is one row. Whatever stays `<source>:<id>`
 * is counted as unmapped.
 */
export class IdentityMap {
  private readonly agents = new Map<string, string>();
  private readonly teams = new Map<string, string>();
  private readonly byEmail = new Map<string, string>();

  constructor(tenant: TenantConfig) {
    for (const [person, ids] of Object.entries(tenant.people)) {
      for (const [source, value] of Object.entries(ids)) {
        for (const id of Array.isArray(value) ? value : [value]) {
          if (source === 'email') this.byEmail.set(id.trim().toLowerCase(), person);
          else this.agents.set(`${source}:${id}`, person);
        }
      }
    }
    for (const [team, settings] of Object.entries(tenant.teams)) {
      for (const [source, value] of Object.entries(settings)) {
        if (source === 'business_hours' || value === undefined) continue;
        for (const id of Array.isArray(value) ? value : [value as string])
          this.teams.set(`${source}:${id}`, team);
      }
    }
  }

  /** The configured person or team of a provider key, if any. */
  agent(key: string): string | undefined {
    return this.agents.get(key);
  }
  team(key: string): string | undefined {
    return this.teams.get(key);
  }
  /** The agent key an e-mail stands for: the person with that `email`, else the address. */
  agentByEmail(email: string): string {
    const address = email.trim().toLowerCase();
    return this.byEmail.get(address) ?? address;
  }

  /**
   * A stored event under today's mapping, when its figures are computed. An event mapped as it
   * arrived is mapped again from what its connector wrote (its `origin`): an id listed since, or
   * no longer, or under another person, counts for whom it is listed under now, else for its
   * provider user's e-mail (the person whose `email` it is, else the address), else as the id. An
   * event without an `origin` (its keys were not mapped, or it was stored before origins were
   * kept): a provider key listed since becomes its person or team, an e-mail address now a
   * person's `email` that person. So a change of `people` or `teams` reaches the history (the
   * workers recompute it); the event itself is returned when nothing changes.
   */
  remap<E extends NormalizedEvent>(event: E): E {
    const { agent, team, origin } = event as Mappable;
    let changed: { agent?: string; team?: string } | null = null;
    if (typeof agent === 'string') {
      const now =
        origin?.agent !== undefined
          ? (this.listed(this.agents, origin.agent) ??
            (origin.email !== undefined ? this.agentByEmail(origin.email) : origin.agent))
          : agent.includes('@')
            ? this.agentByEmail(agent)
            : this.listedAgent(agent);
      if (now !== agent) changed = { agent: now };
    }
    if (typeof team === 'string') {
      const now = this.listedTeam(origin?.team ?? team);
      if (now !== team) changed = { ...changed, team: now };
    }
    return changed ? { ...event, ...changed } : event;
  }

  /**
   * The same event with the configured agent and team keys (directory look-ups aside); a key
   * mapped keeps the connector's in `origin`, for `remap`.
   */
  apply(event: NormalizedEvent): { event: NormalizedEvent; unmapped: boolean } {
    const mapped = { ...event } as NormalizedEvent & Mappable;
    if (typeof mapped.agent === 'string') {
      const agent = this.listedAgent(mapped.agent);
      if (agent !== mapped.agent) mapped.origin = { ...mapped.origin, agent: mapped.agent };
      mapped.agent = agent;
    }
    if (typeof mapped.team === 'string') {
      const team = this.listedTeam(mapped.team);
      if (team !== mapped.team) mapped.origin = { ...mapped.origin, team: mapped.team };
      mapped.team = team;
    }
    return { event: mapped, unmapped: hasProviderKey(mapped) };
  }

  /** A provider key's person (or team) where `people` (or `teams`) lists it. */
  private listed(map: ReadonlyMap<string, string>, key: string): string | undefined {
    return isProviderKey(key) ? map.get(key) : undefined;
  }

  /** `listed`, else any key as it is. */
  private listedAgent(key: string): string {
    return this.listed(this.agents, key) ?? key;
  }
  private listedTeam(key: string): string {
    return this.listed(this.teams, key) ?? key;
  }
}

/**
 * What a connector wrote, kept on a stored event whose agent or team the tenant's mapping
 * changed as it arrived: the provider keys, and the e-mail its provider's user directory gave
 * for the agent. Not part of the normalised format (an event sent with one has it stripped).
 */
export interface Origin {
  agent?: string;
  team?: string;
  email?: string;
}
type Mappable = { agent?: string | null; team?: string | null; origin?: Origin };

/** `<source>:<id>`, not a person, team or e-mail address. */
const isProviderKey = (key: string): boolean => key.includes(':') && !key.includes('@');
const hasProviderKey = (event: { agent?: string | null; team?: string | null }): boolean =>
  (typeof event.agent === 'string' && isProviderKey(event.agent)) ||
  (typeof event.team === 'string' && isProviderKey(event.team));

export interface AgentDirectory {
  directory: UserDirectory;
  /** The directory id of an agent id (Intercom keeps teammates under `admin:<id>`). */
  userId: (id: string) => string;
}

const CACHE_MS = 5 * 60_000;

/** `IdentityMap` plus e-mail look-ups through each provider's (Redis-cached) user directory. */
export class IdentityResolver {
  private readonly cache = new Map<string, { email: string | null; until: number }>();

  constructor(
    private readonly map: IdentityMap,
    private readonly directoryFor: (source: string) => AgentDirectory | null,
    private readonly now: () => number = Date.now,
  ) {}

  async apply(event: NormalizedEvent): Promise<{ event: NormalizedEvent; unmapped: boolean }> {
    const result = this.map.apply(event);
    const mapped = result.event as NormalizedEvent & Mappable;
    if (typeof mapped.agent === 'string' && isProviderKey(mapped.agent)) {
      const email = await this.emailOf(mapped.agent);
      if (email !== null) {
        mapped.origin = { ...mapped.origin, agent: mapped.agent, email };
        mapped.agent = this.map.agentByEmail(email);
      }
    }
    return { event: mapped, unmapped: hasProviderKey(mapped) };
  }

  /** The e-mail of a provider's agent, lower-cased, from its user directory; `null` if none. */
  private async emailOf(key: string): Promise<string | null> {
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.email;
    const split = key.indexOf(':');
    const source = this.directoryFor(key.slice(0, split));
    let email: string | null = null;
    if (source) {
      const user = await source.directory.user(source.userId(key.slice(split + 1)));
      if (user?.email) email = user.email.trim().toLowerCase();
    }
    // An agent not known yet may be known shortly (its e-mail arrives with a later payload).
    this.cache.set(key, { email, until: this.now() + (email ? CACHE_MS : CACHE_MS / 10) });
    return email;
  }
}
