import type { NormalizedEvent } from '../model/events.js';
import type { TenantConfig } from '../model/config.js';

/**
 * The tenant's people and teams across systems: connectors write `<source>:<id>`; where the
 * tenant maps that id to a person or team, every report shows the person or team instead.
 */
export class IdentityMap {
  private readonly agents = new Map<string, string>();
  private readonly teams = new Map<string, string>();

  constructor(tenant: TenantConfig) {
    for (const [person, ids] of Object.entries(tenant.people)) {
      for (const [source, value] of Object.entries(ids)) {
        for (const id of Array.isArray(value) ? value : [value]) this.agents.set(`${source}:${id}`, person);
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

  /** The same event with mapped agent and team keys (and whether anything stayed unmapped). */
  apply(event: NormalizedEvent): { event: NormalizedEvent; unmapped: boolean } {
    let unmapped = false;
    const mapped = { ...event } as NormalizedEvent & { agent?: string | null; team?: string | null };
    if (typeof mapped.agent === 'string' && mapped.agent.includes(':')) {
      const person = this.agents.get(mapped.agent);
      if (person) mapped.agent = person;
      else unmapped = true;
    }
    if (typeof mapped.team === 'string' && mapped.team.includes(':')) {
      const team = this.teams.get(mapped.team);
      if (team) mapped.team = team;
      else unmapped = true;
    }
    return { event: mapped, unmapped };
  }
}
