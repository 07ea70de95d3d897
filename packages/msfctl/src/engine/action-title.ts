/** A short title for each action, for plans and progress (an action's own `title` wins). Pure. */
import type { Action } from '../model/actions.js';
import { describeCode } from '../model/application.js';
import { kindLabel } from '../model/changes.js';
import { describeS3Prefix } from '../model/snapshot-refs.js';

export function actionTitle(a: Action): string {
  if (a.title) return a.title;
  switch (a.type) {
    case 'create':
      return `create application (${a.config.runtime}, ${describeCode(a.config.code)})`;
    case 'update':
      return `update: ${a.kinds.map(kindLabel).join(', ')} (${a.changes.length} field${a.changes.length === 1 ? '' : 's'})`;
    case 'start':
      return `start (${a.reason ?? 'msfctl'}; restore: ${a.run.from === 'snapshot' ? `snapshot ${a.run.snapshot}` : a.run.from})`;
    case 'stop':
      return `stop (${a.reason ?? 'msfctl'})`;
    case 'force-stop':
      return `stop --force (${a.reason ?? 'msfctl'})`;
    case 'rollback':
      return `rollback from version ${a.fromVersion} to ${a.toVersion !== undefined ? `version ${a.toVersion}` : 'the previous version'}`;
    case 'snapshot':
      return `snapshot ${a.name}`;
    case 'export':
      return `export snapshot ${a.snapshot} to ${describeS3Prefix(a.to)}`;
    case 'delete':
      return 'delete application';
    case 'add-logging':
      return `add logging option: logs to ${a.logStream}`;
    case 'delete-logging':
      return `delete logging option ${a.optionId} (${a.logStream})`;
    case 'tag': {
      const parts = [
        ...(Object.keys(a.set).length ? [`set ${Object.keys(a.set).join(', ')}`] : []),
        ...(a.remove.length ? [`remove ${a.remove.join(', ')}`] : []),
      ];
      return `tags: ${parts.join('; ')}`;
    }
    case 'wait':
      return `wait for operation ${a.operationId}`;
    case 'reconcile':
      return 'read the application back';
    case 'verify':
      return `watch health for ${a.bakeSeconds}s`;
  }
}
