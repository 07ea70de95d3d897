import { defineConfig } from 'vitest/config';

/**
 * Four projects, all run by `npm test`:
 * - unit: pure logic and in-process fakes; seconds (`npm run test:unit`).
 * - integration: real msf-local servers, child processes, the msfctl binary and the Debian AWS CLI; no Flink.
 * - browser: the dashboard in Debian's headless Chromium (`*.browser.test.ts`); the web app is built first
 *   (global setup; skipped when its sources did not change).
 * - flink: end to end on real Flink (`*.flink.test.ts`). Flink runtimes, test jobs and sample JARs are built
 *   once into ~/.cache/msf-local (global setup), then files run two at a time (this is a 2-core machine).
 * The projects run one after the other (groupOrder), so Flink clusters never compete with the other suites.
 */
const FLINK = '**/*.flink.test.ts';
const BROWSER = '**/*.browser.test.ts';
const INTEGRATION = [
  'packages/msf-local/test/{control-plane,s3,cloudwatch,kinesis,rehearsal/sandbox,logs,identity,models,faults}/**/*.test.ts',
  'packages/msfctl/test/{integration,state}/**/*.test.ts',
];

// Tests import the workspace packages' TypeScript sources, not their compiled dist/ (see .npmrc).
const sources = { ssr: { resolve: { conditions: ['msfctl-source'] } } };

export default defineConfig({
  test: {
    // The SDK's "Node 22 will be required in 2027" notice, printed by every test process, is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        ...sources,
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['packages/*/test/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: [FLINK, BROWSER, ...INTEGRATION, '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        ...sources,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: INTEGRATION,
          exclude: [FLINK, '**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...sources,
        test: {
          name: 'browser',
          sequence: { groupOrder: 1 },
          include: [`packages/*/test/${BROWSER}`],
          globalSetup: ['packages/dashboard/test/support/build-web.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Waits for the page to catch up: generous, since integration tests share the two cores meanwhile.
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        ...sources,
        test: {
          name: 'flink',
          sequence: { groupOrder: 2 },
          include: [`packages/*/test/${FLINK}`],
          globalSetup: ['packages/msf-local/test/fixtures/prepare-flink.ts'],
          maxWorkers: 2,
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
