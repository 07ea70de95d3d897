/**
 * STS as records: AssumeRole and GetSessionToken issue temporary credentials (an `ASIA…` key, a secret, a session
 * token) and remember whom they stand for, so GetCallerIdentity signed with them answers with the assumed role.
 * msf-local checks no signatures and no policies: the credentials work because every credential does; what they
 * add is identity. Sessions live in one document each until they expire.
 */
import { randomBytes } from 'node:crypto';
import { ServiceError } from '../control-plane/errors.js';
import type { Iam } from '../iam/iam.js';
import { uniqueId } from '../iam/iam.js';
import { DocumentStore } from '../store/document-store.js';

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
  /** Set for AssumeRole sessions. */
  role?: { name: string; id: string; arn: string; sessionName: string };
}

export interface CallerIdentity {
  UserId: string;
  Account: string;
  Arn: string;
}

export class Sts {
  private readonly sessions = new Map<string, Session>();

  private constructor(
    private readonly iam: Iam,
    private readonly store: DocumentStore<Session>,
    private readonly now: () => number,
  ) {}

  static async open(dir: string, options: { iam: Iam; now?: () => number }): Promise<Sts> {
    const { store, documents } = await DocumentStore.open<Session>(dir);
    const sts = new Sts(options.iam, store, options.now ?? Date.now);
    for (const session of documents) {
      if (session.expiresAt > sts.now()) sts.sessions.set(session.accessKeyId, session);
      else await store.remove(session.accessKeyId);
    }
    return sts;
  }

  get account(): string {
    return this.iam.account;
  }

  async assumeRole(input: {
    roleArn: string;
    sessionName: string;
    durationSeconds?: number;
  }): Promise<Session> {
    const role = this.iam.roleByArn(input.roleArn);
    if (!role) {
      throw new ServiceError(
        'AccessDenied',
        `User: arn:aws:iam::${this.account}:root is not authorized to perform: sts:AssumeRole on resource: ${input.roleArn}`,
        403,
      );
    }
    const duration = input.durationSeconds ?? 3600;
    if (duration > role.maxSessionDuration) {
      throw new ServiceError(
        'ValidationError',
        `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
      );
    }
    return this.issue(duration, {
      name: role.name,
      id: role.id,
      arn: `arn:aws:sts::${this.account}:assumed-role/${role.name}/${input.sessionName}`,
      sessionName: input.sessionName,
    });
  }

  getSessionToken(durationSeconds = 43_200): Promise<Session> {
    return this.issue(durationSeconds);
  }

  /** Who signs with `accessKeyId`: an assumed role for keys issued here, otherwise the account's root. */
  callerIdentity(accessKeyId: string | undefined): CallerIdentity {
    const session = accessKeyId === undefined ? undefined : this.sessions.get(accessKeyId);
    if (session && session.expiresAt <= this.now()) {
      throw new ServiceError('ExpiredToken', 'The security token included in the request is expired', 403);
    }
    if (session?.role) {
      return {
        UserId: `${session.role.id}:${session.role.sessionName}`,
        Account: this.account,
        Arn: session.role.arn,
      };
    }
    return { UserId: this.account, Account: this.account, Arn: `arn:aws:iam::${this.account}:root` };
  }

  private async issue(durationSeconds: number, role?: Session['role']): Promise<Session> {
    for (const [key, session] of this.sessions) {
      if (session.expiresAt <= this.now()) {
        this.sessions.delete(key);
        await this.store.remove(key);
      }
    }
    const session: Session = {
      accessKeyId: uniqueId('ASIA').slice(0, 20),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(240).toString('base64'),
      expiresAt: Math.floor(this.now() / 1000) * 1000 + durationSeconds * 1000,
      ...(role ? { role } : {}),
    };
    await this.store.save(session.accessKeyId, session);
    this.sessions.set(session.accessKeyId, session);
    return session;
  }
}
