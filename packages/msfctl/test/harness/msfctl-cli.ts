/** Runs the real msfctl binary (bin/msfctl.js) in a child process, as a user or CI would. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MSFCTL_BIN = fileURLToPath(new URL('../../bin/msfctl.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is. */
  json?: unknown;
}

export function msfctl(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MSFCTL_BIN, ...args],
      {
        cwd: options.cwd,
        env: {
          ...process.env,
          NO_COLOR: '1',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_REGION: 'us-east-1',
          ...options.env,
        },
        timeout: options.timeoutMs ?? 600_000,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch {
          /* not JSON */
        }
        resolve({ code, stdout, stderr, ...(json !== undefined ? { json } : {}) });
      },
    );
  });
}

/** A tiny valid (empty) ZIP: enough for a control plane that checks only that the code exists. */
export const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);
