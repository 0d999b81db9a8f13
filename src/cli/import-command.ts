import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { importEvents } from '../jobs/import.js';
import { readEvents } from '../model/ndjson.js';
import type { Io } from './compute-command.js';
import { readableEvents, UsageError } from './errors.js';
import { serviceConfig } from './serve-command.js';
import { requireTenant, withService, workQueued } from './service.js';

/**
 * `deskpulse import --tenant ID --events FILE|-`: normalised events from a file into the running
 * service's Redis, through the ingest queue. Bad lines are reported by number and skipped
 * (`--strict`: any bad line and nothing is queued, exit code 2).
 */
export async function runImport(
  options: { tenant?: string; events?: string; config?: string; strict?: boolean },
  io: Io,
): Promise<number> {
  if (!options.tenant) throw new UsageError('--tenant is required');
  if (!options.events) throw new UsageError('--events is required');
  const config = serviceConfig(options.config);
  const tenant = options.tenant;
  requireTenant(config, tenant);
  const path = options.events;
  await readableEvents(path);
  // Standard input is read once: with --strict it is kept, to be checked before any is queued.
  let kept: Buffer | null = null;
  if (path === '-' && options.strict) {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
    kept = Buffer.concat(chunks);
  }
  const open = (): Readable =>
    kept !== null ? Readable.from([kept]) : path === '-' ? io.stdin : createReadStream(path);
  const report = (error: { line: number; reason: string }) =>
    io.stderr.write(`line ${error.line}: ${error.reason}\n`);

  if (options.strict) {
    const checked = await readEvents(open(), () => {}, report);
    if (checked.errors > 0) {
      io.stderr.write(`${checked.errors} bad line(s) of ${checked.lines}; --strict: nothing imported\n`);
      return 2;
    }
  }

  // With the embedded Redis, its queue is worked here, to the end.
  return withService(config, async (service, embedded) => {
    const summary = await importEvents(service.context, tenant, open(), { onError: report });
    if (summary.errors > 0) io.stderr.write(`${summary.errors} bad line(s) of ${summary.lines}, skipped\n`);
    if (summary.otherTenants > 0)
      io.stderr.write(`${summary.otherTenants} event(s) of other tenants skipped (see --tenant)\n`);
    await workQueued(service, embedded);
    io.stdout.write(
      `Queued ${summary.queued} events for ${tenant}${embedded ? ', and processed them' : ''}.\n`,
    );
    return 0;
  });
}
