// A received file's download link is an object URL, which holds the whole file in memory until
// it is revoked: the page revokes it when the file's line goes for good, past the 2,000 lines
// it keeps (client/view/lines.ts whenDropped), and not while the line only waits off the page.
// The page's CSP lets no fetch read a blob: URL, so the page's URL.revokeObjectURL is watched.
// The file itself is written to the origin-private file system (OPFS, folder roomlink-files,
// one entry per transfer and tab: client/files/sink.ts); its entry is removed at the same time,
// and only its own, read from the page's OPFS.

import type { Page } from '@playwright/test';
import { fileLine, makeFile, sendFiles, waitForFileState } from './support/files.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { sendMany } from './support/history.ts';
import { openMeshedPair } from './support/users.ts';

/** Lines the page keeps (client/view/lines-kept.ts MAX_LINES). */
const MAX_LINES = 2_000;
/** The folder received files go to (client/files/sink.ts). */
const FOLDER = 'roomlink-files';

interface Opfs {
  navigator: {
    storage: {
      getDirectory(): Promise<{
        getDirectoryHandle(
          name: string,
          options?: { create: boolean },
        ): Promise<{
          keys(): AsyncIterable<string>;
          getFileHandle(name: string, options: { create: boolean }): Promise<unknown>;
        }>;
      }>;
    };
  };
}

/** Names of the entries in the page's received-files folder that start with `prefix`. */
function storedEntries(page: Page, prefix: string): Promise<string[]> {
  return page.evaluate(
    async ({ folderName, prefix }) => {
      const root = await (globalThis as unknown as Opfs).navigator.storage.getDirectory();
      const folder = await root.getDirectoryHandle(folderName, { create: true });
      const names: string[] = [];
      for await (const name of folder.keys()) if (name.startsWith(prefix)) names.push(name);
      return names.sort();
    },
    { folderName: FOLDER, prefix },
  );
}

interface Watched {
  URL: { revokeObjectURL(url: string): void };
  __revoked: string[];
  roomlink: { lines(): { onPage: number; earlier: number } };
}

/** Records every URL the page revokes, from now on. */
function watchRevoked(page: Page): Promise<void> {
  return page.evaluate(() => {
    const g = globalThis as unknown as Watched;
    const revoke = g.URL.revokeObjectURL.bind(g.URL);
    g.__revoked = [];
    g.URL.revokeObjectURL = (url) => {
      g.__revoked.push(url);
      revoke(url);
    };
  });
}

const revoked = (page: Page): Promise<string[]> => page.evaluate(() => (globalThis as unknown as Watched).__revoked);

/** Sends `count` lines of the page's own (they go on its page at once), and waits for the last. */
async function say(page: Page, prefix: string, count: number): Promise<void> {
  await sendMany(
    page,
    Array.from({ length: count }, (_, i) => `${prefix} ${i}`),
  );
  await expect(page.getByTestId('message-text').filter({ hasText: `${prefix} ${count - 1}` })).toHaveCount(1);
}

test('a received file’s download URL is revoked and its entry on disk removed once its line goes for good, not while it waits off the page; another tab’s entry stays', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  await watchRevoked(bob.page);

  const made = await makeFile(alice.page, { name: 'kept.txt', type: 'text/plain', text: 'held by its link' });
  const [id] = await sendFiles(alice.page, [made.name]);
  if (!id) throw new Error('no transfer id');
  await waitForFileState(bob.page, id, 'verified');
  const href = await fileLine(bob.page, id).getByTestId('file-download').getAttribute('href');
  expect(href).toMatch(/^blob:/);
  const [ours, ...more] = await storedEntries(bob.page, `${id}-`);
  expect(ours, 'Bob received the file to disk').toBeDefined();
  expect(more).toEqual([]);
  // The same transfer as another tab of Bob's browser would keep it: not this page's to remove.
  const otherTab = `${id}-otherTab`;
  await bob.page.evaluate(
    async ({ folderName, name }) => {
      const root = await (globalThis as unknown as Opfs).navigator.storage.getDirectory();
      const folder = await root.getDirectoryHandle(folderName);
      await folder.getFileHandle(name, { create: true });
    },
    { folderName: FOLDER, name: otherTab },
  );

  // Following the chat, the page keeps a few hundred lines: the file's line waits off it.
  await say(bob.page, 'pushing', 500);
  await expect(fileLine(bob.page, id)).toHaveCount(0);
  const kept = await bob.page.evaluate(() => (globalThis as unknown as Watched).roomlink.lines());
  expect(kept.earlier, 'lines wait off the page').toBeGreaterThan(0);
  expect(kept.onPage + kept.earlier, 'no line has gone for good yet').toBeLessThan(MAX_LINES);
  expect(await revoked(bob.page)).not.toContain(href);
  expect(await storedEntries(bob.page, `${id}-`), 'its file is kept on disk').toEqual([ours, otherTab].sort());

  // Past MAX_LINES newer lines, it goes for good, and its URL and entry with it (removed in the background).
  await say(bob.page, 'past the end', MAX_LINES);
  expect(await revoked(bob.page)).toContain(href);
  await expect.poll(() => storedEntries(bob.page, `${id}-`), { timeout: 5_000 }).toEqual([otherTab]);
});
