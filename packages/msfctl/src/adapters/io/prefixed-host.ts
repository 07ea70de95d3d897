/**
 * One application's view of a shared host, in a fleet run: its messages carry its name, and its waits print
 * only their final line (spinners of eight applications at once would overwrite each other). Questions are not
 * asked per application: a fleet asks once, before it starts.
 */
import { MsfctlError } from '../../model/errors.js';
import type { IoHost, Progress } from '../../ports/io-host.js';

export function prefixedHost(host: IoHost, application: string): IoHost {
  const tag = (text: string) => `${host.style.bold(application)}: ${text}`;
  return {
    style: host.style,
    interactive: false,
    json: host.json,
    notify: (m) => host.notify({ ...m, text: tag(m.text) }),
    progress(): Progress {
      return {
        update: () => undefined,
        done: (text, ok = true) =>
          host.notify({ level: ok ? 'success' : 'warn', code: 'MSF_FLEET_PROGRESS', text: tag(text) }),
      };
    },
    confirm(question) {
      return Promise.reject(
        new MsfctlError('CONFIRMATION_REQUIRED', `${question} — a fleet run asks once, before it starts.`),
      );
    },
    // A fleet prints one summary; the per-application results are in it.
    result: () => undefined,
  };
}
