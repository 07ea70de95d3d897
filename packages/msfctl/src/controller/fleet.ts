/**
 * A fleet run: one piece of work per application, at most `parallelism` at a time, each isolated — one
 * application failing, refused or throwing does not stop the others, and every one ends with an outcome.
 * Locks stay per application (each verb's pipeline takes its own); this only bounds how many run at once.
 */
import pLimit from 'p-limit';
import { MsfctlError } from '../model/errors.js';

export const DEFAULT_FLEET_PARALLELISM = 8;

export type FleetOutcome<M, R> =
  { member: M; ok: true; value: R } | { member: M; ok: false; error: MsfctlError };

export async function runFleet<M, R>(
  members: readonly M[],
  work: (member: M) => Promise<R>,
  options: { parallelism?: number } = {},
): Promise<FleetOutcome<M, R>[]> {
  const limit = pLimit(Math.max(1, options.parallelism ?? DEFAULT_FLEET_PARALLELISM));
  return Promise.all(
    members.map((member) =>
      limit(async (): Promise<FleetOutcome<M, R>> => {
        try {
          return { member, ok: true, value: await work(member) };
        } catch (error) {
          return { member, ok: false, error: asMsfctlError(error) };
        }
      }),
    ),
  );
}

/** An unexpected error still belongs to its application's row, not to the whole run. */
function asMsfctlError(error: unknown): MsfctlError {
  if (MsfctlError.is(error)) return error;
  return new MsfctlError('INTERNAL', `Unexpected error: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
  });
}
