import type { Readable } from 'node:stream';
import type { NormalizedEvent } from '../model/events.js';
import { type LineError, readEvents } from '../model/ndjson.js';
import type { JobContext } from './context.js';
import { enqueueEvents } from './enqueue.js';

/** Events per ingest job: ~170 KB of the sample's events, well under a delivery's 1 MiB. */
export const IMPORT_BATCH = 1000;

export interface ImportSummary {
  lines: number;
  /** Good events of this tenant, queued. */
  queued: number;
  errors: number;
  /** Good events naming another tenant: skipped. */
  otherTenants: number;
}

/**
 * Normalised events from NDJSON into a tenant, through the ingest queue webhooks and backfills
 * use (so the same event id twice is one event: an import run again, or stopped and run again,
 * adds nothing twice). Every bad line goes to `onError` with its number and is skipped; the
 * reading waits for each batch to be queued, so a large file is never held in memory.
 */
export async function importEvents(
  context: JobContext,
  tenant: string,
  input: Readable,
  options: { onError?: (error: LineError) => void; onProgress?: (queued: number) => void } = {},
): Promise<ImportSummary> {
  const batch: NormalizedEvent[] = [];
  let queued = 0;
  let otherTenants = 0;
  const queue = async (events: NormalizedEvent[]) => {
    if (events.length === 0) return;
    await enqueueEvents(context, tenant, 'import', events);
    queued += events.length;
    options.onProgress?.(queued);
  };
  const read = await readEvents(
    input,
    (event) => {
      // As `deskpulse compute --tenant`: an event without a tenant is this one's.
      if (event.tenant !== undefined && event.tenant !== tenant) {
        otherTenants += 1;
        return;
      }
      batch.push(event);
    },
    (error) => options.onError?.(error),
    {
      afterChunk: async () => {
        while (batch.length >= IMPORT_BATCH) await queue(batch.splice(0, IMPORT_BATCH));
      },
    },
  );
  await queue(batch);
  return { lines: read.lines, queued, errors: read.errors, otherTenants };
}
