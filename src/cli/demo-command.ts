import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Io, runCompute } from './compute-command.js';
import { positiveInteger, runGenerate } from './generate-command.js';

/** The repository's sample tenants file, next to the built code's parent. */
export const SAMPLE_CONFIG = resolve(dirname(fileURLToPath(import.meta.url)), '../../samples/deskpulse.yaml');
/** The sample data covers two weeks from Monday 2026-03-02; metrics are read a few days after. */
const SAMPLE_NOW = '2026-03-20T12:00:00Z';

export async function runDemo(options: { tickets: string }, io: Io): Promise<number> {
  positiveInteger('--tickets', options.tickets);
  const folder = resolve('.deskpulse');
  mkdirSync(folder, { recursive: true });
  const events = join(folder, 'sample-events.ndjson');
  await runGenerate({ tickets: options.tickets, seed: '42', out: events }, io);
  io.stdout.write(`Sample data: ${options.tickets} tickets across e-mail, chat and phone → ${events}\n`);
  io.stdout.write(`Config: ${SAMPLE_CONFIG}; metrics as of ${SAMPLE_NOW}\n\n`);
  for (const groupBy of ['team', 'agent']) {
    io.stdout.write(`Per ${groupBy}\n`);
    const code = await runCompute(
      { events, config: SAMPLE_CONFIG, now: SAMPLE_NOW, groupBy, format: 'table' },
      io,
    );
    if (code !== 0) return code;
    io.stdout.write('\n');
  }
  io.stdout.write(
    `Try: ./bin/deskpulse.js compute --events ${events} --config ${SAMPLE_CONFIG} --now ${SAMPLE_NOW} --format json\n`,
  );
  return 0;
}
