import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { compute, computeRanked, EventCollector } from '../metrics/compute.js';
import type { Measure } from '../metrics/measures.js';
import { iso, reportJsonOf } from '../metrics/output.js';
import { type GroupBy, ReportBuilder } from '../metrics/report.js';
import { type Config, defaultTenant, type TenantConfig, tenantZone } from '../model/config.js';
import { ConfigError, parseConfigText } from '../model/config-text.js';
import { parseInstant, readableEvents, UsageError } from './errors.js';
import { formatCsv, formatTable } from './format.js';
import { writeJsonDocument } from './json-document.js';
import type { SecondPart } from './read-ahead.js';
import { collectEvents } from './read-split.js';

export interface ComputeOptions {
  events: string;
  config?: string;
  tenant?: string;
  now?: string;
  groupBy?: string;
  from?: string;
  to?: string;
  format?: string;
  strict?: boolean;
}

export interface Io {
  stdin: Readable;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

export function loadConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--config: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return parseConfigText(text, path);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${path}:\n  ${error.problems.join('\n  ')}`);
    throw error;
  }
}

export function selectTenant(config: Config | null, id: string): TenantConfig {
  if (!config) return defaultTenant(id);
  const tenant = config.tenants.find((candidate) => candidate.id === id);
  if (!tenant) {
    const known = config.tenants.map((candidate) => candidate.id).join(', ');
    throw new UsageError(`--tenant: no tenant "${id}" in the config (it has ${known})`);
  }
  return tenant;
}

const GROUPS: GroupBy[] = ['agent', 'team', 'none'];
const FORMATS = ['table', 'json', 'csv'] as const;

/** `deskpulse compute`: NDJSON events in, metrics out. Returns the exit code. */
export async function runCompute(
  options: ComputeOptions,
  io: Io,
  /** The reading thread `main` started ahead (read-ahead.ts), `null` for none: `collectEvents`. */
  started?: SecondPart | null,
): Promise<number> {
  try {
    return await computeCommand(options, io, started);
  } finally {
    // A reading thread started ahead and not used (a bad option, an unreadable config) must end.
    started?.stop();
  }
}

async function computeCommand(
  options: ComputeOptions,
  io: Io,
  started: SecondPart | null | undefined,
): Promise<number> {
  const groupBy = (options.groupBy ?? 'agent') as GroupBy;
  if (!GROUPS.includes(groupBy)) throw new UsageError(`--group-by: must be one of ${GROUPS.join(', ')}`);
  const format = options.format ?? (io.stdout.isTTY ? 'table' : 'json');
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format: must be one of ${FORMATS.join(', ')}`);
  const tenantId = options.tenant ?? 'default';
  const tenant = selectTenant(options.config ? loadConfig(options.config) : null, tenantId);
  // Dates and times without an offset are the tenant's wall clock (its business hours' zone).
  const zone = tenantZone(tenant);
  const now = parseInstant('--now', options.now, zone) ?? Date.now();
  const from = parseInstant('--from', options.from, zone);
  const to = parseInstant('--to', options.to, zone);
  if (from !== null && to !== null && to <= from)
    throw new UsageError(`--to: must be later than --from (${iso(from)}); the period is [from, to)`);

  await readableEvents(options.events);

  const collector = new EventCollector();
  const summary = await collectEvents(
    options.events === '-' ? { stream: io.stdin } : { path: options.events },
    tenantId,
    collector,
    (error) => io.stderr.write(`line ${error.line}: ${error.reason}\n`),
    started,
  );
  const { otherTenants } = summary;
  if (summary.errors > 0) {
    io.stderr.write(
      `${summary.errors} bad line(s) of ${summary.lines}${options.strict ? '; --strict: nothing computed' : ', skipped'}\n`,
    );
    if (options.strict) return 2;
  }
  if (otherTenants > 0) io.stderr.write(`${otherTenants} event(s) of other tenants skipped (see --tenant)\n`);

  const reportOptions = { groupBy, from, to };
  // Measures are counted as they are made, not kept: at a million events they were ~1M objects.
  const report = new ReportBuilder(reportOptions);
  const count = (measure: Measure) => report.add(measure);
  if (format !== 'json') {
    compute(collector, tenant, now, undefined, count);
    const groups = report.groups();
    if (format === 'csv') io.stdout.write(`${formatCsv(groups)}\n`);
    else io.stdout.write(`${formatTable(groups, groupBy, tenant.business_hours !== undefined)}\n`);
    return 0;
  }
  await writeJsonDocument(
    io.stdout,
    now,
    collector.ticketCount,
    (onTicket) => computeRanked(collector, tenant, now, onTicket, count),
    () => reportJsonOf(report.groups(), reportOptions),
  );
  return 0;
}
