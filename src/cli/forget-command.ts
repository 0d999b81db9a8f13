import { forgetCustomer } from '../jobs/forget.js';
import type { Io } from './compute-command.js';
import { UsageError } from './errors.js';
import { serviceConfig } from './serve-command.js';
import { requireTenant, withService, workQueued } from './service.js';

/** A customer key as connectors write it: e-mail addresses in lower case. */
function customerKey(given: string): string {
  const key = given.trim();
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1)
    throw new UsageError(
      `--customer: "${given}" is not a customer key (kind:value, e.g. email:ana@example.com or phone:+14155550100)`,
    );
  return key.startsWith('email:') ? key.toLowerCase() : key;
}

/** `deskpulse forget --tenant ID --customer KEY…`: an erasure request, in the service's Redis. */
export async function runForget(
  options: { tenant?: string; customer?: string[]; config?: string },
  io: Io,
): Promise<number> {
  if (!options.tenant) throw new UsageError('--tenant is required');
  const keys = (options.customer ?? []).map(customerKey);
  if (keys.length === 0) throw new UsageError('--customer is required');
  const config = serviceConfig(options.config);
  const tenant = options.tenant;
  requireTenant(config, tenant);
  // With the embedded Redis, the recomputes are worked here, to the end.
  return withService(config, async (service, embedded) => {
    const done = await forgetCustomer(service.context, tenant, keys);
    await workQueued(service, embedded);
    io.stdout.write(
      // The keys are not echoed: an erasure's output may end up in a log.
      `${keys.length} key(s) now ${done.pseudonym}: ${done.tickets} tickets, ${done.calls} calls and ${done.surveys} surveys rewritten; ${done.cachedUsers} cached provider users and ${done.doneJobs} done ingest jobs dropped.\n` +
        'Failed ingest jobs (kept 7 days to be retried) and connectors\u2019 scratch data (2 days) expire on their own.\n',
    );
    return 0;
  });
}
