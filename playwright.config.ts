// End-to-end tests: real Chromium (Debian's, or CHROMIUM_PATH) driven by Playwright, each
// test inside its own network namespace with its own roomlink server (e2e/support/).
// No webServer and no browser projects: the fixtures start everything themselves.

import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Two cores and several Chromiums per test: one test at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  retries: 0,
  forbidOnly: process.env['CI'] !== undefined,
  outputDir: 'test-results',
  globalSetup: './e2e/support/global-setup.ts',
  reporter: [['list'], ['json', { outputFile: process.env['RL_E2E_JSON'] ?? '.tmp/e2e-results.json' }]],
  use: {
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
});
