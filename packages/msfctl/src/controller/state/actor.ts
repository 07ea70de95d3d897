/** Who is acting: MSFCTL_ACTOR when set (CI), else user@host. Recorded in locks and the ledger. */
import { hostname, userInfo } from 'node:os';

export function actor(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MSFCTL_ACTOR) return env.MSFCTL_ACTOR;
  let user = env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (containers) */
  }
  return `${user}@${hostname()}`;
}
