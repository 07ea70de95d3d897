import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Operation ids look like MSF's: 12 mixed-case alphanumerics (e.g. 9zfV2CMtNzOS). */
export function newOperationId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return id;
}

/** An opaque ConditionalToken, fresh for every version (pattern [a-zA-Z0-9-_+/=]+). */
export function newConditionalToken(): string {
  return randomBytes(24).toString('base64');
}

export function newResourceId(): string {
  return `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`.slice(0, 20);
}

/**
 * The id of a new VPC configuration or CloudWatch logging option, in MSF's "<n>.1" form: one past the highest
 * id in use, so an id never names two entries of the same application at once.
 */
export function nextSubResourceId(existing: readonly string[]): string {
  const highest = Math.max(0, ...existing.map((id) => Number.parseInt(id, 10)).filter(Number.isFinite));
  return `${highest + 1}.1`;
}
