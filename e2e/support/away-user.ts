// A member on a network of its own (attached-netns.ts), which a test cuts alone while the
// room, its server and the other members carry on: its own browsers in that namespace, its
// page opened on the room's link through the namespace's gateway. Tests get them from the
// `openAway` fixture (fixtures.ts), which closes them after the test, timed out or not.
//
//   const erin = await openAway(alice.page, 'erin');
//   await erin.cut.dropTraffic();

import type { Page } from '@playwright/test';
import { type AttachedNetns, attachNetns } from './attached-netns.ts';
import { type BrowserPool, createBrowserPool } from './browser.ts';
import type { Netns } from './netns.ts';
import { openUser, shareLink, type User } from './users.ts';

export interface AwayUser {
  readonly user: User;
  /** Its namespace: cut it, drop its traffic, restore it. */
  readonly cut: AttachedNetns;
  readonly browsers: BrowserPool;
  /** Its browsers, then its namespace. */
  close(): Promise<void>;
}

/**
 * Opens `name` in a new namespace hanging off `netns`, in the room `roomPage` is in (joined,
 * not yet meshed). `args`: more Chromium flags (the fake camera).
 */
export async function openAwayUser(
  netns: Pick<Netns, 'name'>,
  serverPort: number,
  roomPage: Page,
  name: string,
  args: readonly string[] = [],
): Promise<AwayUser> {
  const cut = await attachNetns(netns);
  const serverUrl = cut.serverUrl(serverPort);
  const browsers = createBrowserPool(cut, {
    args: [...args, `--unsafely-treat-insecure-origin-as-secure=${serverUrl}`],
  });
  const close = async () => {
    try {
      await browsers.close();
    } finally {
      await cut.destroy();
    }
  };
  try {
    const link = new URL(await shareLink(roomPage));
    const user = await openUser(
      await browsers.newContext({ label: name }),
      `${serverUrl}${link.pathname}${link.search}${link.hash}`,
      name,
    );
    return { user, cut, browsers, close };
  } catch (error) {
    await close();
    throw error;
  }
}
