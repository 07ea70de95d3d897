/** A host that records everything: for tests and for library callers that want no output. */
import { MsfctlError } from '../../model/errors.js';
import type { IoHost, IoMessage } from '../../ports/io-host.js';
import { createStyle } from './style.js';

export function createSilentHost(
  answers: boolean[] = [],
): IoHost & { messages: IoMessage[]; results: unknown[] } {
  const messages: IoMessage[] = [];
  const results: unknown[] = [];
  return {
    style: createStyle(false),
    interactive: answers.length > 0,
    json: false,
    messages,
    results,
    notify: (m) => messages.push(m),
    progress: (text) => {
      messages.push({ level: 'detail', code: 'PROGRESS', text });
      return {
        update: (t) => messages.push({ level: 'detail', code: 'PROGRESS', text: t }),
        done: (t, ok = true) =>
          messages.push({ level: ok ? 'success' : 'error', code: 'PROGRESS_DONE', text: t }),
      };
    },
    confirm: async (question) => {
      const answer = answers.shift();
      if (answer === undefined) {
        throw new MsfctlError('CONFIRMATION_REQUIRED', `${question} — no terminal to ask on.`, {
          hint: 'Re-run with --auto-approve to proceed without a question.',
        });
      }
      return answer;
    },
    result: (_human, value) => results.push(value),
  };
}
