import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { CollectorShard, EventCollector } from '../metrics/collector.js';
import { type LineError, readEvents } from '../model/ndjson.js';
import { eventsIn, type SecondPart, startSecondPart } from './read-ahead.js';

/**
 * Bytes read from an events file at a time (the stream's default is 64 KiB): fewer chunks to
 * join and split into lines. 1M table report 2.50–2.58 → 2.45–2.50 s (interleaved ×6); 256 KiB
 * and 4 MiB were no better.
 */
export const READ_CHUNK_BYTES = 1 << 20;

/** An events file, or the part of it from `start` to `end` (inclusive), read in large chunks. */
export const readFile = (path: string, range: { start?: number; end?: number } = {}) =>
  createReadStream(path, { ...range, highWaterMark: READ_CHUNK_BYTES });

export interface Collected {
  lines: number;
  events: number;
  errors: number;
  otherTenants: number;
  /** 1, or 2 when a worker thread read the second part. */
  parts: 1 | 2;
}

/**
 * Read one tenant's events into `collector`, every bad line to `onError` in line order. A large
 * file is read in two parts at once, the second on a worker thread that collects its part into
 * a collector of its own, handed over as columns when done and absorbed after the first part:
 * decoding is most of the reading, and the machine has a second core. The result is the same as
 * reading the file in one go (tested). The second part's thread may have been started already
 * (`started`, see read-ahead.ts; `null` if the file was found too small for one); one for
 * another file or tenant is stopped.
 */
export async function collectEvents(
  input: { path: string } | { stream: Readable },
  tenant: string,
  collector: EventCollector,
  onError: (error: LineError) => void,
  started?: SecondPart | null,
): Promise<Collected> {
  if ('stream' in input) {
    started?.stop();
    return { ...(await readTenant(input.stream, tenant, collector, onError)), parts: 1 };
  }
  // `null`: it was looked at already, and is read on one thread.
  let second = started;
  if (second && (second.path !== input.path || second.tenant !== tenant)) {
    second.stop();
    second = undefined;
  }
  if (second === undefined) second = await startSecondPart(input.path, tenant);
  if (second === null) {
    return { ...(await readTenant(readFile(input.path), tenant, collector, onError)), parts: 1 };
  }
  // Room for the whole file's events: the worker's part is absorbed after this one's.
  collector.expect(eventsIn(second.size));
  let first: Awaited<ReturnType<typeof readTenant>>;
  try {
    first = await readTenant(readFile(input.path, { end: second.start - 1 }), tenant, collector, onError);
  } catch (error) {
    second.stop();
    throw error;
  }
  const rest = receivedPart(await second.result);
  for (const error of rest.errors) onError({ line: first.lines + error.line, reason: error.reason });
  collector.absorb(rest.shard);
  // The thread's heap (~100 MB at a million events) is only freed once its exit is handled on
  // this thread; a part that came in just before the engine's long synchronous run kept it until
  // the end (1M report peak ~360 → ~470 MiB). The thread ended right after posting its part: this
  // waits for one turn, or a few tens of milliseconds at most.
  await second.exited;
  return {
    lines: first.lines + rest.summary.lines,
    events: first.events + rest.summary.events,
    errors: first.errors + rest.summary.errors,
    otherTenants: first.otherTenants + rest.summary.otherTenants,
    parts: 2,
  };
}

/** Read NDJSON events into `collector`, counting (and skipping) those of other tenants. */
export async function readTenant(
  input: Readable,
  tenant: string,
  collector: EventCollector,
  onError: (error: LineError) => void,
  part: { fileStart?: boolean } = {},
): Promise<Omit<Collected, 'parts'>> {
  let otherTenants = 0;
  const summary = await readEvents(
    input,
    (event) => {
      if ((event.tenant ?? 'default') !== tenant) otherTenants += 1;
      else collector.add(event);
    },
    onError,
    part,
  );
  return { ...summary, otherTenants };
}

/** What the worker thread sends back: its part's counts, bad lines (numbered from its start), events. */
export interface PartResult {
  summary: Omit<Collected, 'parts'>;
  errors: LineError[];
  shard: CollectorShard;
}

/**
 * A part's result as posted: the shard's kept objects (calls, surveys, customer keys) as one
 * JSON text. Cloned as objects, the ~25k calls of a million-event file's second part took
 * ~0.1 s to rebuild on the main thread; JSON.parse takes a third of that. They are plain JSON
 * data (decoded from JSON lines), and an undefined field reads the same absent.
 */
export interface PostedPart extends PartResult {
  shard: Omit<CollectorShard, 'looseCalls' | 'looseSurveys' | 'objects'> & {
    looseCalls: [];
    looseSurveys: [];
    objects: [];
  };
  kept: string;
}

export function postedPart(result: PartResult): PostedPart {
  const { looseCalls, looseSurveys, objects } = result.shard;
  return {
    ...result,
    shard: { ...result.shard, looseCalls: [], looseSurveys: [], objects: [] },
    kept: JSON.stringify([looseCalls, looseSurveys, objects]),
  };
}

function receivedPart({ kept, ...result }: PostedPart): PartResult {
  const [looseCalls, looseSurveys, objects] = JSON.parse(kept) as [
    CollectorShard['looseCalls'],
    CollectorShard['looseSurveys'],
    CollectorShard['objects'],
  ];
  return { ...result, shard: { ...result.shard, looseCalls, looseSurveys, objects } };
}
