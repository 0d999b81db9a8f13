// Benchmark of `deskpulse compute` on a large generated data set.
//   npm run bench:compute -- [--events 1000000] [--runs 3]
// Prints events/s, peak memory, the ratio of compute's time to a bare read-and-JSON.parse of
// the same file measured in the same run, and the time of 2N events against N (linearity).
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' } },
});
const target = Number(values.events);
const runs = Number(values.runs);
if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('run `npm run build` first');
const { generateSample } = await import(join(root, 'dist/cli/sample-data.js'));

async function dataset(events) {
  const folder = join(root, 'bench/out');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `events-${events}.ndjson`);
  if (existsSync(path)) return path;
  const out = createWriteStream(path);
  let written = 0;
  let buffer = '';
  // About 7.6 events a ticket: ask for enough tickets, stop at the first ticket boundary past N.
  let ticketOpen = '';
  for (const event of generateSample({ tickets: Math.ceil(events / 5), seed: 7 })) {
    const ticket = event.ticket ?? '';
    if (written >= events && ticket !== ticketOpen) break;
    if (ticket) ticketOpen = ticket;
    buffer += `${JSON.stringify(event)}\n`;
    written += 1;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return path;
}

function timed(args) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [join(root, 'bench/peak-rss.js'), ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stderr = child.stderr.toString();
  if (child.status !== 0) throw new Error(`${args.join(' ')} failed:\n${stderr}`);
  const peak = Number(/@@peak-rss (\d+)/.exec(stderr)?.[1] ?? Number.NaN);
  return { seconds, peak };
}

function median(samples) {
  const sorted = [...samples].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)];
}

const computeArgs = (path, format) => [
  join(root, 'bin/deskpulse.js'),
  'compute',
  '--events',
  path,
  '--config',
  join(root, 'samples/deskpulse.yaml'),
  '--now',
  '2026-03-20T12:00:00Z',
  '--format',
  format,
];

function measure(path) {
  const samples = { bare: [], table: [], json: [] };
  for (let i = 0; i < runs; i += 1) {
    samples.bare.push(timed([join(root, 'bench/bare-parse.js'), path]));
    samples.table.push(timed(computeArgs(path, 'table')));
    samples.json.push(timed(computeArgs(path, 'json')));
  }
  const summary = (list) => ({ seconds: median(list).seconds, peak: Math.max(...list.map((s) => s.peak)) });
  return { bare: summary(samples.bare), table: summary(samples.table), json: summary(samples.json) };
}

const lines = (path) => Number(spawnSync('wc', ['-l', path]).stdout.toString().trim().split(/\s+/)[0]);
const mib = (bytes) => `${(bytes / 1048576).toFixed(0)} MiB`;
const count = (n) => n.toLocaleString('en-US');

console.log(
  `deskpulse compute benchmark — node ${process.version}, median of ${runs} runs, output to /dev/null`,
);
console.log(
  '  table: the per-agent report only; json: every ticket, call case and the report (METRICS.md shapes)',
);
const results = [];
for (const events of [target, target * 2]) {
  const path = await dataset(events);
  const n = lines(path);
  const run = measure(path);
  results.push({ n, ...run });
  const size = statSync(path).size;
  console.log(
    `${count(n)} events (${mib(size)}, ${(size / n).toFixed(0)} B/event): bare read+JSON.parse ${run.bare.seconds.toFixed(2)} s`,
  );
  for (const format of ['table', 'json']) {
    const { seconds, peak } = run[format];
    console.log(
      `  --format ${format.padEnd(5)} ${seconds.toFixed(2)} s = ${count(Math.round(n / seconds))} events/s, ` +
        `${(seconds / run.bare.seconds).toFixed(2)}× the bare parse (goal ≤ 3×), peak ${mib(peak)} (goal < 1024 MiB)`,
    );
  }
}
const [one, two] = results;
for (const format of ['table', 'json']) {
  const ratio = two[format].seconds / one[format].seconds;
  console.log(
    `linearity (--format ${format}): ${count(two.n)} events took ${ratio.toFixed(2)}× the time of ${count(one.n)} (goal ≤ 2.2×)`,
  );
}
