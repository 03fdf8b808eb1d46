// Projects by speed and by what they need: unit and workflow tests run anywhere;
// integration tests start their own real servers (see test/helpers/servers.ts).
const common = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
  },
  setupFiles: ['<rootDir>/test/helpers/setup-runtime.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Per test: integration tests drive real servers through whole provisioning runs.
  testTimeout: Number(process.env.LP_INFRA_TEST_TIMEOUT_MS) || 300_000,
  // Every server a test starts is stopped in its afterAll; a handle left open by a client
  // library must not keep the run (and CI) waiting after the last test.
  forceExit: true,
  // With one worker (2 cores) jest would run every file in band, in its main process, which
  // grew to 14 GB over the suite (Temporal connections, bundles, SDK clients) and slowed every later file.
  // With a limit it uses a worker process, replaced by a fresh one when it holds more than this.
  workerIdleMemoryLimit: '1GB',
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'workflow', testMatch: ['<rootDir>/test/workflow/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...common, displayName: 'reliability', testMatch: ['<rootDir>/test/reliability/**/*.test.ts'] },
  ],
};
