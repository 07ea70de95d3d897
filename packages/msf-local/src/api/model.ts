import type { Shape } from './shape.js';

/** What a generated input-model file (scripts/models/generate.ts) exports about its service. */
export interface ServiceModel {
  SERVICE: {
    readonly protocol: string;
    readonly apiVersion: string;
    readonly signingName: string;
    readonly targetPrefix?: string;
    readonly xmlNamespace?: string;
  };
  INPUTS: Record<string, Shape>;
  MODEL_OPERATIONS: ReadonlySet<string>;
  ERRORS: Record<string, { code: string; status: number; senderFault: boolean }>;
}

/** An operation: the validated input in, the output structure out (undefined for none). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- inputs are validated against the model
export type OperationHandlers<C> = Record<string, (input: any, ctx: C) => unknown>;

/** The error message for an operation of the model that msf-local does not serve. */
export function notServed(title: string, operation: string, handlers: Record<string, unknown>): string {
  return (
    `msf-local does not implement the ${title} operation ${operation}; it serves ` +
    `${Object.keys(handlers).sort().join(', ')}.`
  );
}
