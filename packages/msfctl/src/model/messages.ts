/**
 * Coded messages: what the library says, as values. Hosts decide how they look (ports/io-host.ts); the codes
 * are stable (tests and log search use them).
 */

/** `hint` follows an error: what to do next, on stderr with it, without a second ✗. */
export type Level = 'info' | 'success' | 'warn' | 'error' | 'hint' | 'detail';

export interface IoMessage {
  level: Level;
  /** Stable message code, e.g. MSF_APPLY_I2001 (for tests and log search). */
  code: string;
  text: string;
  data?: unknown;
}
