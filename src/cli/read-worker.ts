import { parentPort, workerData } from 'node:worker_threads';
import { EventCollector, shardBuffers } from '../metrics/collector.js';
import type { LineError } from '../model/ndjson.js';
import { eventsIn } from './read-ahead.js';
import { type PartResult, postedPart, readFile, readTenant } from './read-split.js';

/** One part of an events file, collected on its own thread (see read-split.ts). */
export interface ReadPart {
  path: string;
  start: number;
  /** The file's size. */
  size: number;
  tenant: string;
}

const { path, start, size, tenant } = workerData as ReadPart;
const collector = new EventCollector();
collector.expect(eventsIn(size - start));
const errors: LineError[] = [];
const summary = await readTenant(
  readFile(path, { start }),
  tenant,
  collector,
  (error) => errors.push(error),
  { fileStart: false },
);
const shard = collector.shard();
const result: PartResult = { summary, errors, shard };
parentPort?.postMessage(postedPart(result), shardBuffers(shard));
