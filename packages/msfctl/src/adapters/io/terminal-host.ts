/**
 * The IoHost of the command line: on a terminal, colours and spinners; on pipes (CI), plain lines; with
 * --json, messages go to stderr and stdout carries only the command's JSON result.
 */
import { createInterface } from 'node:readline/promises';
import { MsfctlError } from '../../model/errors.js';
import type { IoHost, IoMessage } from '../../ports/io-host.js';
import { createStyle } from './style.js';

export interface HostOptions {
  json?: boolean;
  color?: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  now?: () => number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Plain progress repeats an unchanged status this often, so CI logs show the wait is alive. */
const PLAIN_HEARTBEAT_MS = 30_000;

export function createHost(options: HostOptions = {}): IoHost {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const stdin = options.stdin ?? process.stdin;
  const now = options.now ?? Date.now;
  const json = options.json ?? false;
  // Messages go where the result does not: stdout for people, stderr when stdout is JSON.
  const messages = json ? stderr : stdout;
  const tty = Boolean(messages.isTTY);
  const color = options.color ?? (tty && !process.env.NO_COLOR);
  const style = createStyle(color);
  // The question goes where messages go: with --json, stdout carries the JSON document only.
  const interactive = Boolean(stdin.isTTY && messages.isTTY);

  const line = (m: IoMessage): string => {
    switch (m.level) {
      case 'success':
        return `${style.green('✓')} ${m.text}`;
      case 'warn':
        return `${style.yellow('!')} ${style.yellow(m.text)}`;
      case 'error':
        return `${style.red('✗')} ${m.text}`;
      case 'hint':
        return style.dim(`  → ${m.text}`);
      case 'detail':
        return style.dim(m.text);
      default:
        return m.text;
    }
  };

  return {
    style,
    interactive,
    json,
    notify(m) {
      (m.level === 'error' || m.level === 'hint' ? stderr : messages).write(`${line(m)}\n`);
    },
    progress(text) {
      const started = now();
      const elapsed = () => `${Math.round((now() - started) / 1000)}s`;
      let current = text;
      if (tty) {
        let frame = 0;
        const draw = () =>
          messages.write(
            `\r\x1b[2K${style.cyan(SPINNER[frame++ % SPINNER.length]!)} ${current} ${style.dim(elapsed())}`,
          );
        draw();
        const timer = setInterval(draw, 100);
        timer.unref();
        return {
          update(t) {
            current = t;
          },
          done(t, ok = true) {
            clearInterval(timer);
            messages.write(
              `\r\x1b[2K${ok ? style.green('✓') : style.red('✗')} ${t} ${style.dim(`(${elapsed()})`)}\n`,
            );
          },
        };
      }
      messages.write(`… ${text}\n`);
      let lastLine = now();
      return {
        update(t) {
          if (t !== current || now() - lastLine >= PLAIN_HEARTBEAT_MS) {
            messages.write(`… ${t} (${elapsed()})\n`);
            lastLine = now();
          }
          current = t;
        },
        done(t, ok = true) {
          messages.write(`${ok ? '✓' : '✗'} ${t} (${elapsed()})\n`);
        },
      };
    },
    async confirm(question) {
      if (!interactive) {
        throw new MsfctlError('CONFIRMATION_REQUIRED', `${question} — no terminal to ask on.`, {
          hint: 'Re-run with --auto-approve to proceed without a question.',
        });
      }
      const rl = createInterface({ input: stdin, output: messages });
      try {
        const answer = await rl.question(`${style.bold(question)} Only "yes" is accepted: `);
        return answer.trim() === 'yes';
      } catch (error) {
        // Ctrl-C (or Ctrl-D) at the question is a "no", not a crash.
        if ((error as { code?: unknown }).code === 'ABORT_ERR' || (error as Error).name === 'AbortError') {
          messages.write('\n');
          return false;
        }
        throw error;
      } finally {
        rl.close();
      }
    },
    result(human, value) {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else if (human) stdout.write(human.endsWith('\n') ? human : `${human}\n`);
    },
  };
}
