/**
 * Interrupts (Ctrl-C, SIGTERM from CI) of a command that holds a lock: the CLI passes the process's signals; a
 * library caller (a fleet runner, a reconcile loop) passes its own, or none.
 */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

export interface Interrupts {
  /** Calls `handler` on each interrupt until the returned function is called. */
  subscribe(handler: (signal: InterruptSignal) => void): () => void;
  /** Ends the interrupted command with this exit code (130 for SIGINT, 143 for SIGTERM). */
  exit(code: number): void;
}
