import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { UsageError } from './errors.js';

// Each command's module is loaded when it runs: `compute` need not load the server, queues
// and connectors (a third of a second before the first line is read).

// `deskpulse compute … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('deskpulse')
    .description('Support metrics from helpdesk, chat and call-center events (see METRICS.md).')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('compute')
    .description('compute metrics from normalised events (NDJSON, EVENTS.md)')
    .requiredOption('--events <file>', 'NDJSON events file, or - for standard input')
    .option('--config <file>', 'tenants file (YAML or JSON): calendars, SLA policies, linking windows')
    .option('--tenant <id>', 'tenant to compute', 'default')
    .option('--now <iso>', 'the instant metrics are evaluated at (default: now)')
    .addOption(
      new Option('--group-by <key>', 'report grouping').choices(['agent', 'team', 'none']).default('agent'),
    )
    .option('--from <iso>', 'report period start (inclusive)')
    .option('--to <iso>', 'report period end (exclusive)')
    .addOption(
      new Option('--format <format>', 'output format (default: table on a terminal, else json)').choices([
        'table',
        'json',
        'csv',
      ]),
    )
    .option('--strict', 'any bad line is fatal (exit code 2)')
    .action(async (options) => {
      // The thread that reads a large file's second part starts first: it boots while this one
      // loads its modules and the config (read-ahead.ts).
      const { startSecondPart } = await import('./read-ahead.js');
      const started = options.events === '-' ? null : await startSecondPart(options.events, options.tenant);
      const { runCompute } = await import('./compute-command.js');
      exitCode = await runCompute(options, io, started);
    });

  program
    .command('secret')
    .description(
      'print a new random, URL-safe secret (a Freshdesk or LiveAgent webhook_secret, a VoIPstudio webhook_key, an API token, the Zendesk app shared secret)',
    )
    .action(() => {
      io.stdout.write(`${randomBytes(32).toString('base64url')}\n`);
    });

  program
    .command('generate')
    .description('write a deterministic, realistic sample data set as NDJSON events')
    .option('--tickets <n>', 'number of tickets', '500')
    .option('--seed <n>', 'random seed', '42')
    .option('--out <file>', 'output file (default: standard output)')
    .action(async (options) => {
      const { runGenerate } = await import('./generate-command.js');
      exitCode = await runGenerate(options, io);
    });

  program
    .command('demo')
    .description(
      'start the embedded Redis, server and workers, post sample traffic through the real webhooks, print the tables',
    )
    .option('--tickets <n>', 'number of sample tickets', '600')
    .option('--once', 'exit after printing instead of leaving the server up')
    .option('--port <n>', 'port to listen on', '3000')
    .option('--offline', 'compute the sample offline instead (no Redis needed)')
    .action(async (options) => {
      const { runDemo } = await import('./demo-command.js');
      exitCode = await runDemo(options, io);
    });

  program
    .command('serve')
    .description('run the webhook receiver and REST API (and the workers, with the embedded Redis)')
    .option('--config <file>', 'tenants file (default: $DESKPULSE_CONFIG)')
    .option('--port <n>', 'port (default: $PORT or 3000)')
    .option('--host <address>', 'address to bind', '0.0.0.0')
    .option('--workers', 'also run the workers in this process (the default with the embedded Redis)')
    .option('--no-workers', 'do not run workers in this process')
    .action(async (options) => {
      const { runServe } = await import('./serve-command.js');
      exitCode = await runServe(options);
    });

  program
    .command('backfill <provider>')
    .description(
      "pull a provider's history into deskpulse, resumably (zendesk: ticket export and audits; intercom: conversation search; aircall and twilio: calls; freshdesk and liveagent: tickets by update; voipstudio: CDRs)",
    )
    .requiredOption('--tenant <id>', 'tenant whose connector to use')
    .requiredOption('--since <date>', 'start of the history to pull (ISO date)')
    .option('--config <file>', 'tenants file (default: $DESKPULSE_CONFIG)')
    .option('--restart', 'ignore the saved cursor and start again from --since')
    .action(async (provider, options) => {
      const { runBackfill } = await import('./backfill-command.js');
      exitCode = await runBackfill(provider, options);
    });

  program
    .command('import')
    .description(
      "send normalised events (NDJSON, EVENTS.md) into the service's Redis, through the ingest queue (the same event twice is one)",
    )
    .requiredOption('--tenant <id>', 'tenant the events belong to')
    .requiredOption('--events <file>', 'NDJSON events file, or - for standard input')
    .option('--config <file>', 'tenants file (default: $DESKPULSE_CONFIG)')
    .option('--strict', 'any bad line and nothing is imported (exit code 2)')
    .action(async (options) => {
      const { runImport } = await import('./import-command.js');
      exitCode = await runImport(options, io);
    });

  program
    .command('forget')
    .description(
      "erase a customer (an erasure request): their keys in the service's stored events, indexes and call cases become one random pseudonym; figures stay",
    )
    .requiredOption('--tenant <id>', 'tenant the customer belongs to')
    .requiredOption(
      '--customer <key...>',
      "the customer's keys, as events carry them (email:ana@example.com phone:+14155550100)",
    )
    .option('--config <file>', 'tenants file (default: $DESKPULSE_CONFIG)')
    .action(async (options) => {
      const { runForget } = await import('./forget-command.js');
      exitCode = await runForget(options, io);
    });

  program
    .command('expire')
    .description(
      "apply a tenant's retention now (it runs daily in the workers): remove resolved tickets, ticketless calls and surveys older than it",
    )
    .requiredOption('--tenant <id>', 'tenant whose retention to apply')
    .option('--config <file>', 'tenants file (default: $DESKPULSE_CONFIG)')
    .action(async (options) => {
      const { runExpire } = await import('./expire-command.js');
      exitCode = await runExpire(options, io);
    });

  program
    .command('worker')
    .description('run the BullMQ workers (ingest, compute, link) against REDIS_URL or the embedded Redis')
    .option('--config <file>', 'tenants file (default: $DESKPULSE_CONFIG)')
    .action(async (options) => {
      const { runWorker } = await import('./serve-command.js');
      exitCode = await runWorker(options);
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`deskpulse: ${error.message}\n`);
      return error.exitCode;
    }
    const code = (error as { code?: string; exitCode?: number }).code;
    // Commander's own errors (an unknown option, a missing one, a bad choice) are usage errors
    // like ours: exit code 2. Help and version asked for stay 0.
    if (typeof code === 'string' && code.startsWith('commander.')) {
      return (error as { exitCode: number }).exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
  return exitCode;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`deskpulse: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
