import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { CollectorShard, EventCollector } from '../metrics/collector.js';
import { type LineError, readEvents } from '../model/ndjson.js';
import type { ReadPart } from './read-worker.js';

export interface Collected {
  lines: number;
  events: number;
  errors: number;
  otherTenants: number;
  /** 1, or 2 when a worker thread read the second part. */
  parts: 1 | 2;
}

/** Files smaller than this are read on one thread: a second costs ~0.1 s to start. */
const SPLIT_BYTES = 32 * 1024 * 1024;
const FIRST_PART = 0.55;

/**
 * Read one tenant's events into `collector`, every bad line to `onError` in line order. A large
 * file is read in two parts at once, the second on a worker thread that collects its part into
 * a collector of its own, handed over as columns when done and absorbed after the first part:
 * decoding is most of the reading, and the machine has a second core. The result is the same as
 * reading the file in one go (tested). `DESKPULSE_SPLIT_BYTES` changes the threshold.
 */
export async function collectEvents(
  input: { path: string } | { stream: Readable },
  tenant: string,
  collector: EventCollector,
  onError: (error: LineError) => void,
): Promise<Collected> {
  if ('stream' in input) return { ...(await readTenant(input.stream, tenant, collector, onError)), parts: 1 };
  const split = await splitPoint(input.path);
  if (split === null) {
    return { ...(await readTenant(createReadStream(input.path), tenant, collector, onError)), parts: 1 };
  }
  const second = readOnWorker({ path: input.path, start: split, tenant });
  // A failed first part must not leave the worker's failure unobserved.
  second.catch(() => {});
  const first = await readTenant(
    createReadStream(input.path, { end: split - 1 }),
    tenant,
    collector,
    onError,
  );
  const rest = await second;
  for (const error of rest.errors) onError({ line: first.lines + error.line, reason: error.reason });
  collector.absorb(rest.shard);
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
): Promise<Omit<Collected, 'parts'>> {
  let otherTenants = 0;
  const summary = await readEvents(
    input,
    (event) => {
      if ((event.tenant ?? 'default') !== tenant) otherTenants += 1;
      else collector.add(event);
    },
    onError,
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

function readOnWorker(part: ReadPart): Promise<PartResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./read-worker.js', import.meta.url), { workerData: part });
    worker.once('message', (result: PostedPart) => resolve(receivedPart(result)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the reading thread stopped (exit code ${code})`)));
  });
}

/** The byte just after the first newline past `FIRST_PART` of a large file, or `null`. */
async function splitPoint(path: string): Promise<number | null> {
  const threshold = Number(process.env.DESKPULSE_SPLIT_BYTES ?? SPLIT_BYTES);
  const { size } = await stat(path);
  if (!(size >= threshold) || size < 2) return null;
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    for (let position = Math.floor(size * FIRST_PART); position < size; position += buffer.length) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
      const newline = buffer.subarray(0, bytesRead).indexOf(10);
      if (newline !== -1) return position + newline + 1 < size ? position + newline + 1 : null;
    }
    return null;
  } finally {
    await file.close();
  }
}
