export {
  KinesisLocal,
  KinesisLocalStartError,
  KINESIS_LOCAL_HOST,
  completeInterruptedTransitions,
  type KinesisLocalEndpoint,
  type KinesisLocalExit,
  type KinesisLocalOptions,
} from './kinesis-local.js';
export {
  KinesisProxyService,
  KINESIS_TARGET_PREFIX,
  type KinesisProxyOptions,
} from './kinesis-proxy-service.js';
export {
  jobAwsEnvironment,
  jobPropertyGroups,
  DEFAULT_JOB_ACCESS_KEY_ID,
  DEFAULT_JOB_SECRET_ACCESS_KEY,
  type JobAwsEndpoints,
  type JobAwsSettings,
} from './job-aws-environment.js';
