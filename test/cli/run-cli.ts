import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve('bin/deskpulse.js');

/** Run the built `deskpulse` command: its exit code and what it printed. */
export function deskpulse(
  args: string[],
  options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      'node',
      [BIN, ...args],
      { cwd: options.cwd, maxBuffer: 64 << 20, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => {
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  });
}
