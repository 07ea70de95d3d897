import { defineConfig } from 'vitest/config';

// Two projects: `unit` (fast, in-process, runs files in parallel) and `flink` (needs a real Flink cluster JVM,
// Maven-built test jobs; files share fixtures built once in global setup).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.flink.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'flink',
          include: ['packages/*/test/**/*.flink.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
