/**
 * Runs the Debian AWS CLI v2 (`/usr/bin/aws`) against a local endpoint. Deliberately not the `aws` on PATH:
 * on these machines that may be a pip-installed v1. A missing binary fails the test with the install hint.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const AWS_CLI = process.env.MSF_TEST_AWS_CLI ?? '/usr/bin/aws';

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export async function awsCli(
  endpoint: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  if (!existsSync(AWS_CLI)) {
    throw new Error(
      `${AWS_CLI} is missing: install the Debian AWS CLI v2 (apt-get install -y awscli), as .ci/run does`,
    );
  }
  try {
    const { stdout, stderr } = await run(AWS_CLI, ['--endpoint-url', endpoint, '--output', 'json', ...args], {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        AWS_ACCESS_KEY_ID: 'AKIDMSFLOCAL',
        AWS_SECRET_ACCESS_KEY: 'msf-local-secret',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
        ...options.env,
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** Runs the CLI and parses its JSON output; fails with the CLI's stderr otherwise. */
export async function awsCliJson<T = Record<string, unknown>>(endpoint: string, args: string[]): Promise<T> {
  const result = await awsCli(endpoint, args);
  if (result.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return (result.stdout.trim() ? JSON.parse(result.stdout) : {}) as T;
}

/** Runs the CLI and fails with its stderr unless it succeeded (for commands with text output, like `s3 cp`). */
export async function awsCliOk(endpoint: string, args: string[]): Promise<string> {
  const result = await awsCli(endpoint, args);
  if (result.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}
