/**
 * How an application's history grows: new versions (updates, rollbacks) and operations. Pure mutations of
 * the domain value; the caller persists.
 */
import { newConditionalToken, newOperationId } from './ids.js';
import { currentVersion } from './model.js';
import type { Application, ApplicationConfig, ApplicationVersion, Operation } from './model.js';

/** Adds version N+1 and makes it current; the version it replaces keeps the status the app had. */
export function addVersion(
  app: Application,
  config: ApplicationConfig,
  links: Pick<ApplicationVersion, 'updatedFrom' | 'rolledBackFrom' | 'rolledBackTo'>,
  now: number,
): ApplicationVersion {
  const previous = currentVersion(app);
  if (previous.status !== 'ROLLED_BACK') previous.status = app.status === 'RUNNING' ? 'RUNNING' : 'READY';
  const version: ApplicationVersion = {
    id: Math.max(...app.versions.map((v) => v.id)) + 1,
    createdAt: now,
    config,
    status: 'READY',
    conditionalToken: newConditionalToken(),
    ...links,
  };
  app.versions.push(version);
  app.currentVersionId = version.id;
  app.lastUpdatedAt = now;
  return version;
}

/**
 * A rollback creates version N+1 as a copy of the target version and marks the version rolled back from as
 * ROLLED_BACK (msf-api.md §2.3, [INF]). The new version's "updated from" continues the target's chain, so a
 * second rollback goes further back instead of returning to the bad version.
 */
export function addRollbackVersion(
  app: Application,
  from: ApplicationVersion,
  target: ApplicationVersion,
  now: number,
): ApplicationVersion {
  const version = addVersion(
    app,
    structuredClone(target.config),
    {
      ...(target.updatedFrom !== undefined ? { updatedFrom: target.updatedFrom } : {}),
      rolledBackFrom: from.id,
      rolledBackTo: target.id,
    },
    now,
  );
  from.status = 'ROLLED_BACK';
  return version;
}

export function addOperation(
  app: Application,
  name: string,
  now: number,
  versionChange?: { from: number; to: number },
): Operation {
  const operation: Operation = {
    id: newOperationId(),
    name,
    status: 'IN_PROGRESS',
    startedAt: now,
    ...(versionChange ? { versionChange } : {}),
  };
  app.operations.push(operation);
  return operation;
}

/** ErrorInfo.ErrorString is 1–512 characters. */
export function errorString(text: string): string {
  const trimmed = text.trim() || 'Unknown error';
  return trimmed.length <= 512 ? trimmed : trimmed.slice(0, 512);
}

export function finishOperation(
  operation: Operation,
  status: 'SUCCESSFUL' | 'FAILED' | 'CANCELLED',
  now: number,
  error?: string,
): void {
  operation.status = status;
  operation.endedAt = now;
  if (error !== undefined) operation.errorString = errorString(error);
}
