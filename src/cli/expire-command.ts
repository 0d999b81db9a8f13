import { expireTenant } from '../jobs/expire.js';
import type { Io } from './compute-command.js';
import { UsageError } from './errors.js';
import { serviceConfig } from './serve-command.js';
import { requireTenant, withService, workQueued } from './service.js';

/**
 * `deskpulse expire --tenant ID`: the tenant's retention applied now rather than at the daily
 * run (after lowering it, say), in the service's Redis.
 */
export async function runExpire(options: { tenant?: string; config?: string }, io: Io): Promise<number> {
  if (!options.tenant) throw new UsageError('--tenant is required');
  const config = serviceConfig(options.config);
  const tenant = options.tenant;
  requireTenant(config, tenant);
  const retention = config.tenants.get(tenant)?.config.retention;
  if (retention === undefined)
    throw new UsageError(`--tenant: tenant "${tenant}" has no retention in the config (nothing is removed)`);
  // With the embedded Redis, the relinks it leads to are worked here, to the end.
  return withService(config, async (service, embedded) => {
    const done = await expireTenant(service.context, tenant);
    await workQueued(service, embedded);
    io.stdout.write(
      `Removed what is older than ${retention / 86_400} days: ${done.tickets} resolved tickets, ${done.calls} ticketless calls, ${done.surveys} surveys.\n`,
    );
    return 0;
  });
}
