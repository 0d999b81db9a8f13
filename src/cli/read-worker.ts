import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { EventCollector, shardBuffers } from '../metrics/collector.js';
import { type LineError, readEvents } from '../model/ndjson.js';

/** One part of an events file, collected on its own thread (see read-split.ts). */
export interface ReadPart {
  path: string;
  start: number;
  tenant: string;
}

const { path, start, tenant } = workerData as ReadPart;
const collector = new EventCollector();
const errors: LineError[] = [];
let otherTenants = 0;
const summary = await readEvents(
  createReadStream(path, { start }),
  (event) => {
    if ((event.tenant ?? 'default') !== tenant) otherTenants += 1;
    else collector.add(event);
  },
  (error) => errors.push(error),
);
const shard = collector.shard();
parentPort?.postMessage({ summary, errors, otherTenants, shard }, shardBuffers(shard));
