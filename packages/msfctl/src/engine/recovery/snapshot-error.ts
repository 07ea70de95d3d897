/**
 * Recognises the service's refusal to snapshot a failing job (msf-api.md §4.7): InvalidApplicationConfiguration-
 * Exception "Failed to take snapshot for the application <name> at this moment. The application is currently
 * experiencing downtime ...", from UpdateApplication, StopApplication or CreateApplicationSnapshot. Accepts the
 * raw SDK error, msfctl's translated MsfctlError (code SNAPSHOT, the SDK error as its cause) or any wrapper.
 */
const SNAPSHOT_REFUSED = /Failed to take snapshot|currently experiencing downtime/i;

export function isSnapshotImpossible(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { name, message, details, cause } = e as {
      name?: string;
      message?: string;
      details?: { awsError?: string };
      cause?: unknown;
    };
    const awsName = details?.awsError ?? name;
    if (awsName === 'InvalidApplicationConfigurationException' && SNAPSHOT_REFUSED.test(message ?? ''))
      return true;
    e = cause;
  }
  return false;
}
