import { access, constants } from 'node:fs/promises';
import { instantIn } from '../model/period.js';

/** A mistake of the person running the command: printed without a stack trace, with an exit code. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--now`, `--from`, `--to`: see `instantIn` (a date or local time is the tenant's wall clock). */
export function parseInstant(flag: string, value: string | undefined, zone: string): number | null {
  if (value === undefined) return null;
  const ms = instantIn(value, zone);
  if (ms === null) {
    throw new UsageError(
      `${flag}: "${value}" is not an ISO-8601 date or instant (2026-03-04, 2026-03-04T09:00, 2026-03-04T14:00:00Z)`,
    );
  }
  return ms;
}

/** `--events FILE` (`-` is standard input): a file this process can read, or a usage error. */
export async function readableEvents(path: string): Promise<void> {
  if (path === '-') return;
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new UsageError(
      `--events: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}
