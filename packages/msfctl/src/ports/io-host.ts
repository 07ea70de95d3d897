/**
 * All output goes through an IoHost: the library emits typed messages and progress, the host decides how they
 * look (a terminal, plain lines for CI, JSON, a dashboard, nothing). adapters/io implements it.
 */
import type { IoMessage } from '../model/messages.js';

export type { IoMessage, Level } from '../model/messages.js';

export interface Progress {
  /** New status text for the ongoing wait. */
  update(text: string): void;
  /** Ends the wait with a final line. */
  done(text: string, ok?: boolean): void;
}

/** Colours and tables for human text (plain when colours are off). */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
  /** A status word coloured by what it means. */
  status(status: string): string;
  /** A table with borders on a terminal, aligned columns otherwise. */
  table(head: string[], rows: (string | number)[][]): string;
}

export interface IoHost {
  readonly style: Style;
  /** A person can answer questions (stdin and stdout are terminals). */
  readonly interactive: boolean;
  readonly json: boolean;
  notify(message: IoMessage): void;
  progress(text: string): Progress;
  /** Asks yes/no. Only an explicit "yes" is a yes. */
  confirm(question: string): Promise<boolean>;
  /** The command's result: human text, or the JSON value with --json. */
  result(human: string, json: unknown): void;
}
