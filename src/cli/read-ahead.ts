import { open, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { PostedPart } from './read-split.js';
import type { ReadPart } from './read-worker.js';

/** Files smaller than this are read on one thread: a second costs ~0.1 s to start. */
const SPLIT_BYTES = 32 * 1024 * 1024;
const FIRST_PART = 0.52;
/** A low guess of an event line's size (the sample data's are ~170 bytes). */
const EVENT_BYTES_GUESS = 128;

/**
 * About how many events `bytes` of a file hold, on the high side: a part's columns are sized by
 * it (`EventCollector.expect`), so that they rarely grow as they fill.
 */
export const eventsIn = (bytes: number): number => Math.ceil(bytes / EVENT_BYTES_GUESS);

/** The second part of a large events file, read on a worker thread (see read-split.ts). */
export interface SecondPart {
  path: string;
  tenant: string;
  /** Where the part starts: the byte after a newline. */
  start: number;
  /** The file's size in bytes. */
  size: number;
  result: Promise<PostedPart>;
  /**
   * The thread has ended and its heap is freed. That happens once this thread handles the exit,
   * so `collectEvents` waits for it before the engine's long synchronous run (see there).
   */
  exited: Promise<void>;
  /** End the thread if its part is not wanted after all. */
  stop(): void;
}

/**
 * Start reading the second part of a large events file on a worker thread, or `null` for a
 * small (or unreadable) file. This module loads nothing else, so that `deskpulse compute` can
 * start the thread first: it takes ~0.15 s to boot, which it now spends while the main thread
 * loads its own modules and the config instead of after. `DESKPULSE_SPLIT_BYTES` changes the
 * threshold.
 */
export async function startSecondPart(path: string, tenant: string): Promise<SecondPart | null> {
  let split: { start: number; size: number } | null;
  try {
    split = await splitPoint(path);
  } catch {
    return null;
  }
  if (split === null) return null;
  const { start, size } = split;
  const part: ReadPart = { path, start, size, tenant };
  const worker = new Worker(new URL('./read-worker.js', import.meta.url), { workerData: part });
  const result = new Promise<PostedPart>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the reading thread stopped (exit code ${code})`)));
  });
  // Whoever awaits the part sees its failure; a part never awaited must not fail unobserved.
  result.catch(() => {});
  const exited = new Promise<void>((done) => worker.once('exit', () => done()));
  return { path, tenant, start, size, result, exited, stop: () => void worker.terminate() };
}

/** The byte just after the first newline past `FIRST_PART` of a large file (and its size), or `null`. */
async function splitPoint(path: string): Promise<{ start: number; size: number } | null> {
  const threshold = Number(process.env.DESKPULSE_SPLIT_BYTES ?? SPLIT_BYTES);
  const { size } = await stat(path);
  if (!(size >= threshold) || size < 2) return null;
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    for (let position = Math.floor(size * FIRST_PART); position < size; position += buffer.length) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
      const newline = buffer.subarray(0, bytesRead).indexOf(10);
      if (newline !== -1)
        return position + newline + 1 < size ? { start: position + newline + 1, size } : null;
    }
    return null;
  } finally {
    await file.close();
  }
}
