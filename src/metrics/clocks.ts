import type { TenantConfig } from '../model/config.js';
import { BusinessCalendar, CONTINUOUS, type WorkClock } from './calendar.js';

/** The calendars of one tenant: its own, and those of teams that have their own. */
export class TenantClocks {
  private readonly tenantClock: WorkClock;
  private readonly teamClocks = new Map<string, WorkClock>();

  constructor(tenant: TenantConfig) {
    this.tenantClock = tenant.business_hours ? new BusinessCalendar(tenant.business_hours) : CONTINUOUS;
    for (const [team, settings] of Object.entries(tenant.teams)) {
      if (settings.business_hours) this.teamClocks.set(team, new BusinessCalendar(settings.business_hours));
    }
  }

  /** The calendar of the team in charge when a measured interval starts, else the tenant's. */
  forTeam(team: string | null): WorkClock {
    return (team !== null && this.teamClocks.get(team)) || this.tenantClock;
  }
}
