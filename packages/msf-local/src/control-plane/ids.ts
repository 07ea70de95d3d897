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
