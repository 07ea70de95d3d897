/**
 * Real boto3 (the pinned one of scripts/boto3-venv.ts) against a local endpoint: one Python process per test
 * file serves calls over a pipe (boto3-driver.py), so each call costs a request, not a Python start-up.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureBoto3Python } from '../../../../scripts/boto3-venv.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- boto3's answers are JSON the tests pick apart */
type Json = any;

const DRIVER = fileURLToPath(new URL('./boto3-driver.py', import.meta.url));

export interface Boto3Error {
  code: string;
  message: string;
  status: number;
  /** The modeled exception class boto3 raised (e.g. ResourceNotFoundException), or ClientError. */
  exception: string;
}

type Answer = { result?: unknown; error?: Boto3Error; param_error?: string; failure?: string };

export class Boto3 {
  private readonly pending: ((answer: Answer) => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.pending.shift()?.(JSON.parse(line)));
  }

  static start(endpoint: string): Boto3 {
    const python = ensureBoto3Python();
    const child = spawn(python, [DRIVER, endpoint], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        AWS_CONFIG_FILE: '/dev/null',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('exit', (code) => {
      if (code) process.stderr.write(`boto3 driver exited with ${code}: ${stderr}\n`);
    });
    return new Boto3(child);
  }

  /** The call's result; fails the test with the service's error if it fails. */
  async call<T = Json>(op: string, params: object = {}, service = 'kinesisanalyticsv2'): Promise<T> {
    const answer = await this.send({ service, op, params, validate: true });
    if (answer.error) throw new Error(`${op} failed: ${answer.error.code}: ${answer.error.message}`);
    if (answer.param_error) throw new Error(`${op}: boto3 refused the parameters: ${answer.param_error}`);
    if (answer.failure) throw new Error(`${op}: ${answer.failure}`);
    return answer.result as T;
  }

  /**
   * The error the call fails with. `validate: false` sends parameters boto3 itself would refuse, to see the
   * service's own validation.
   */
  async error(op: string, params: object = {}, options: { validate?: boolean } = {}): Promise<Boto3Error> {
    const answer = await this.send({
      service: 'kinesisanalyticsv2',
      op,
      params,
      validate: options.validate ?? true,
    });
    if (answer.error) return answer.error;
    throw new Error(
      `expected ${op} to fail; it answered ${JSON.stringify(answer.result ?? answer.param_error)}`,
    );
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
  }

  private send(request: object): Promise<Answer> {
    const next = this.queue.then(
      () =>
        new Promise<Answer>((resolve, reject) => {
          if (this.child.exitCode !== null) return reject(new Error('the boto3 driver has exited'));
          this.pending.push(resolve);
          this.child.stdin.write(`${JSON.stringify(request)}\n`);
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }
}
