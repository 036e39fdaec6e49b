// Playwright fixtures for roomlink's end-to-end tests. With `test`, each test gets its own
// network namespace, its own server inside it and a pool of Chromium browsers inside it;
// all three are torn down after the test (browsers, then the server, then the namespace).
// With `sharedTest`, tests that need nothing of their own (a default server they neither
// restart nor read the logs of, a network they do not cut) share one namespace, server and
// browser per worker (one per set of flags: the fake camera, a blocked one), each in rooms
// and browser contexts of its own: a second saved per test. Browsers are Debian's headless
// shell unless a test sets fullBrowser (scripts/ensure-system.ts testChromium says why).
//
//   import { test, expect } from "./support/fixtures.ts";
//   test.use({ serverEnv: { MAX_ROOM_SIZE: "4" } });

import { test as base, type Page, type TestInfo } from '@playwright/test';
import { testChromium } from '../../scripts/ensure-system.ts';
import { type AwayUser, openAwayUser } from './away-user.ts';
import { type BrowserHost, type BrowserPool, createBrowserHost, createBrowserPool } from './browser.ts';
import { createNetns, type Netns } from './netns.ts';
import { type RoomServer, startServer } from './server.ts';
import { peersOf } from './users.ts';

export { expect } from '@playwright/test';

/** Lines of server output / browser console printed with a failed test (all are attached). */
const reportTailLines = 80;
const snapshotTimeoutMs = 3_000;

export interface RoomlinkFixtures {
  /** Extra environment for the server (option: set with test.use). */
  serverEnv: Readonly<Record<string, string>>;
  /** Extra Chromium flags for the test's browsers (option: set with test.use). */
  browserArgs: readonly string[];
  /**
   * The full browser instead of the headless shell (option): for what the browser itself does,
   * where the two differ (a closed tab, a network that goes away, notifications; see
   * testChromium in scripts/ensure-system.ts). Tests with the fake camera get it anyway.
   */
  fullBrowser: boolean;
  netns: Netns;
  server: RoomServer;
  browsers: BrowserPool;
  /**
   * Opens a member on a network of its own, in the room `roomPage` is in (away-user.ts);
   * `args`: more Chromium flags. Closed after the test, its namespace with it.
   */
  openAway: (roomPage: Page, name: string, args?: readonly string[]) => Promise<AwayUser>;
}

function failed(testInfo: TestInfo): boolean {
  return testInfo.status !== testInfo.expectedStatus;
}

async function report(testInfo: TestInfo, name: string, text: string): Promise<void> {
  if (!text) return;
  await testInfo.attach(name, { body: text, contentType: 'text/plain' });
  const lines = text.split('\n');
  const tail = lines.slice(-reportTailLines).join('\n');
  console.error(`--- ${name} (last ${Math.min(lines.length, reportTailLines)} of ${lines.length} lines) ---\n${tail}`);
}

/** What every open page shows at the moment of failure: its own id and its member list. */
async function memberLists(browsers: BrowserPool): Promise<string> {
  const lines: string[] = [];
  for (const { label, context, frozen } of browsers.contexts()) {
    if (frozen) {
      lines.push(`[${label}] (frozen)`);
      continue;
    }
    for (const page of context.pages()) {
      const snapshot = Promise.all([
        page
          .locator('[data-testid=self]')
          .getAttribute('data-peer-id', { timeout: 1_000 })
          .catch(() => null),
        peersOf(page),
        // System lines (joins, leaves, "not responding", key-proof failures) explain most lists.
        page
          .locator('[data-testid=message][data-kind=system] [data-testid=message-text]')
          .allTextContents()
          .catch(() => [] as string[]),
      ]);
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), snapshotTimeoutMs));
      const result = await Promise.race([snapshot.catch(() => null), timeout]);
      if (result === null) {
        lines.push(`[${label}] ${page.url()}: no answer`);
        continue;
      }
      const [self, peers, system] = result;
      lines.push(`[${label}] self=${self ?? '(not joined)'} ${page.url()}`);
      for (const peer of peers) lines.push(`    ${peer.id} ${peer.state} "${peer.text.trim()}"`);
      for (const line of system) lines.push(`    system: ${line}`);
    }
  }
  return lines.join('\n');
}

async function withPool(
  pool: BrowserPool,
  use: (pool: BrowserPool) => Promise<void>,
  testInfo: TestInfo,
): Promise<void> {
  try {
    await use(pool);
  } finally {
    if (failed(testInfo)) await report(testInfo, 'member lists', await memberLists(pool));
    await pool.close();
    if (failed(testInfo)) await report(testInfo, 'browser console', pool.consoleLog());
  }
}

export const test = base.extend<RoomlinkFixtures>({
  serverEnv: [{}, { option: true }],
  browserArgs: [[], { option: true }],
  fullBrowser: [false, { option: true }],

  netns: async ({}, use) => {
    const netns = await createNetns();
    try {
      await use(netns);
    } finally {
      await netns.destroy();
    }
  },

  server: async ({ netns, serverEnv }, use, testInfo) => {
    const server = await startServer({ netns, wireLogPath: testInfo.outputPath('wire.log'), env: serverEnv });
    try {
      await use(server);
    } finally {
      await server.stop();
      if (failed(testInfo)) await report(testInfo, 'server output', server.output());
    }
  },

  browsers: async ({ netns, browserArgs, fullBrowser }, use, testInfo) => {
    const binary = testChromium(browserArgs, fullBrowser);
    await withPool(createBrowserPool(netns, { args: browserArgs, binary }), use, testInfo);
  },

  openAway: async ({ netns, server }, use) => {
    const opened: AwayUser[] = [];
    try {
      await use(async (roomPage, name, args = []) => {
        const away = await openAwayUser(netns, server.port, roomPage, name, args);
        opened.push(away);
        return away;
      });
    } finally {
      for (const away of opened) await away.close();
    }
  },
});

interface Lab {
  readonly netns: Netns;
  readonly server: RoomServer;
  readonly host: BrowserHost;
}

export const sharedTest = test.extend<object, { lab: Lab }>({
  lab: [
    async ({}, use, workerInfo) => {
      const netns = await createNetns();
      try {
        const wireLogPath = `${workerInfo.project.outputDir}/shared-server-${workerInfo.workerIndex}.wire.log`;
        const server = await startServer({ netns, wireLogPath, env: {} });
        const host = createBrowserHost(netns);
        try {
          await use({ netns, server, host });
        } finally {
          await host.close();
          await server.stop();
        }
      } finally {
        await netns.destroy();
      }
    },
    { scope: 'worker' },
  ],
  netns: async ({ lab }, use) => {
    await use(lab.netns);
  },
  server: async ({ lab, serverEnv }, use, testInfo) => {
    if (Object.keys(serverEnv).length > 0) throw new Error('sharedTest runs a default server: use test for serverEnv');
    await use(lab.server);
    if (failed(testInfo)) await report(testInfo, 'server output (shared by this worker)', lab.server.output());
  },
  browsers: async ({ lab, browserArgs, fullBrowser }, use, testInfo) => {
    const binary = testChromium(browserArgs, fullBrowser);
    await withPool(createBrowserPool(lab.netns, { args: browserArgs, host: lab.host, binary }), use, testInfo);
  },
});
