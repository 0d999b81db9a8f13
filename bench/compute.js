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

/**
 * Each run times the bare parse, then `compute` in both formats, on each data set in turn, so
 * that every ratio is taken between neighbours: the machine's speed drifts over minutes, and a
 * ratio of medians taken at different moments moved by ±0.3× between runs. Ratios are the
 * median (and range) of each run's own ratios.
 */
function measure(paths) {
  const samples = paths.map(() => ({ bare: [], table: [], json: [] }));
  for (let i = 0; i < runs; i += 1) {
    paths.forEach((path, p) => {
      samples[p].bare.push(timed([join(root, 'bench/bare-parse.js'), path]));
      samples[p].table.push(timed(computeArgs(path, 'table')));
      samples[p].json.push(timed(computeArgs(path, 'json')));
    });
  }
  return samples;
}

const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (list) => middle(list.map((sample) => sample.seconds));
/** The median and range of paired ratios `top[i] / bottom[i]`. */
function ratios(top, bottom) {
  const each = top.map((sample, i) => sample.seconds / bottom[i].seconds);
  return { median: middle(each), min: Math.min(...each), max: Math.max(...each) };
}
const range = ({ median, min, max }) =>
  `${median.toFixed(2)}×${runs > 1 ? ` (runs ${min.toFixed(2)}–${max.toFixed(2)}×)` : ''}`;

const lines = (path) => Number(spawnSync('wc', ['-l', path]).stdout.toString().trim().split(/\s+/)[0]);
const mib = (bytes) => `${(bytes / 1048576).toFixed(0)} MiB`;
const count = (n) => n.toLocaleString('en-US');

console.log(
  `deskpulse compute benchmark — node ${process.version}, median of ${runs} runs, output to /dev/null`,
);
console.log(
  '  table: the per-agent report only; json: every ticket, call case and the report (METRICS.md shapes)',
);
const paths = [await dataset(target), await dataset(target * 2)];
const samples = measure(paths);
const sizes = paths.map((path) => lines(path));
paths.forEach((path, p) => {
  const n = sizes[p];
  const run = samples[p];
  const size = statSync(path).size;
  console.log(
    `${count(n)} events (${mib(size)}, ${(size / n).toFixed(0)} B/event): bare read+JSON.parse ${seconds(run.bare).toFixed(2)} s`,
  );
  for (const format of ['table', 'json']) {
    const time = seconds(run[format]);
    const peak = Math.max(...run[format].map((sample) => sample.peak));
    console.log(
      `  --format ${format.padEnd(5)} ${time.toFixed(2)} s = ${count(Math.round(n / time))} events/s, ` +
        `${range(ratios(run[format], run.bare))} the bare parse (goal ≤ 3×), peak ${mib(peak)} (goal < 1024 MiB)`,
    );
  }
});
for (const format of ['table', 'json']) {
  console.log(
    `linearity (--format ${format}): ${count(sizes[1])} events took ${range(ratios(samples[1][format], samples[0][format]))} ` +
      `the time of ${count(sizes[0])} (goal ≤ 2.2×)`,
  );
}
