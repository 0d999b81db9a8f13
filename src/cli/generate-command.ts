import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Io } from './compute-command.js';
import { UsageError } from './errors.js';
import { generateSample } from './sample-data.js';

export function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${flag}: "${value}" is not a positive whole number`);
  return n;
}

export async function runGenerate(
  options: { tickets: string; seed: string; out?: string },
  io: Io,
): Promise<number> {
  const tickets = positiveInteger('--tickets', options.tickets);
  const seed = positiveInteger('--seed', options.seed);
  const out = options.out ? createWriteStream(options.out) : io.stdout;
  let buffer = '';
  for (const event of generateSample({ tickets, seed })) {
    buffer += `${JSON.stringify(event)}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.write(buffer);
  if (options.out) {
    (out as ReturnType<typeof createWriteStream>).end();
    await once(out, 'finish');
  }
  return 0;
}
