/** STS operations (query protocol): the validated input in, the `<Action>Result` structure out. */
import type { Session, Sts } from '../../sts/sts.js';
import type { OperationHandlers } from '../model.js';

interface Context {
  sts: Sts;
  /** The access key id the request was signed with, if it was. */
  accessKeyId?: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- inputs are validated against the model */
type Input = any;

export const OPERATIONS: OperationHandlers<Context> = {
  GetCallerIdentity(_input: Input, { sts, accessKeyId }) {
    return sts.callerIdentity(accessKeyId);
  },

  async AssumeRole(input: Input, { sts }) {
    const session = await sts.assumeRole({
      roleArn: input.RoleArn,
      sessionName: input.RoleSessionName,
      durationSeconds: input.DurationSeconds,
    });
    return {
      Credentials: credentialsOf(session),
      AssumedRoleUser: {
        AssumedRoleId: `${session.role!.id}:${session.role!.sessionName}`,
        Arn: session.role!.arn,
      },
      SourceIdentity: input.SourceIdentity,
    };
  },

  async GetSessionToken(input: Input, { sts }) {
    return { Credentials: credentialsOf(await sts.getSessionToken(input.DurationSeconds)) };
  },

  GetAccessKeyInfo(_input: Input, { sts }) {
    return { Account: sts.account };
  },
};

function credentialsOf(session: Session) {
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    Expiration: new Date(session.expiresAt),
  };
}
