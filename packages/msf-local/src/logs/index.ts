export { CloudWatchLogs, type CloudWatchLogsOptions } from './cloudwatch-logs.js';
export { LogStore } from './log-store.js';
