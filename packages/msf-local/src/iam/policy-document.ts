import { ServiceError } from '../control-plane/errors.js';

/**
 * The checks IAM makes of a policy document before storing it, as far as they concern its form: valid JSON, a
 * known Version, statements with an Effect, and for trust policies a Principal. msf-local stores policies as
 * records; it never evaluates them.
 */
export function checkPolicyDocument(text: string, kind: 'identity' | 'trust'): void {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy))
    throw malformed('Syntax errors in policy.');
  const document = policy as Record<string, unknown>;
  if (
    document.Version !== undefined &&
    document.Version !== '2012-10-17' &&
    document.Version !== '2008-10-17'
  ) {
    throw malformed(`The policy failed legacy parsing`);
  }
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  if (document.Statement === undefined || statements.length === 0)
    throw malformed('Missing required field Statement');
  for (const statement of statements) {
    if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) {
      throw malformed('Syntax errors in policy.');
    }
    const s = statement as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') {
      throw malformed(
        s.Effect === undefined ? 'Missing required field Effect' : `Invalid effect: ${String(s.Effect)}`,
      );
    }
    if (s.Action === undefined && s.NotAction === undefined) throw malformed('Missing required field Action');
    if (kind === 'trust') {
      if (s.Principal === undefined && s.NotPrincipal === undefined)
        throw malformed('Missing required field Principal');
      if (s.Resource !== undefined || s.NotResource !== undefined)
        throw malformed('Has prohibited field Resource');
    } else {
      if (s.Principal !== undefined || s.NotPrincipal !== undefined) {
        throw malformed('Policy document should not specify a principal.');
      }
      if (s.Resource === undefined && s.NotResource === undefined)
        throw malformed('Missing required field Resource');
    }
  }
}

function malformed(message: string): ServiceError {
  return new ServiceError('MalformedPolicyDocumentException', message);
}
