// Page helpers for roomlink's UI, written against its test hooks (issue 2): data-testid
// name-input, message-input, send-button, share-link, self[data-peer-id],
// peer[data-peer-id][data-state], message[data-id][data-from][data-kind] > message-text.
//
// The root tsconfig has no DOM lib, so functions that run in the page declare the few
// element members they use instead of naming DOM types.

import { randomBytes } from 'node:crypto';
import { type BrowserContext, expect, type Page } from '@playwright/test';
import { ROOM_ID_LENGTH, ROOM_KEY_LENGTH } from '../../protocol/limits.ts';
import type { BrowserPool } from './browser.ts';

/** Mesh formation with 8 browsers on 2 cores takes a few seconds; leave room for slow CI. */
const meshTimeoutMs = 45_000;
const messageTimeoutMs = 20_000;
const joinTimeoutMs = 20_000;

export type PeerState = 'connecting' | 'connected' | 'reconnecting' | 'unreachable';

export interface User {
  readonly name: string;
  /** The peer id the server gave this user (from data-peer-id of `self`). */
  readonly id: string;
  readonly page: Page;
  readonly context: BrowserContext;
}

export interface PeerEntry {
  readonly id: string;
  readonly state: string;
  /** The entry's visible text (includes the name). */
  readonly text: string;
}

export interface ChatLine {
  readonly id: string;
  readonly from: string;
  readonly kind: string;
  readonly text: string;
}

export interface ExpectedMessage {
  /** Sender's peer id. */
  readonly from: string;
  readonly text: string;
}

interface ElementLike {
  getAttribute(name: string): string | null;
  querySelector(selector: string): ElementLike | null;
  readonly textContent: string | null;
}

/** The own peer id once joined (waits for `self` to get its data-peer-id). */
export async function selfId(page: Page, timeout = joinTimeoutMs): Promise<string> {
  const self = page.locator('[data-testid=self][data-peer-id]');
  await expect(self).toHaveAttribute('data-peer-id', /.+/, { timeout });
  const id = await self.getAttribute('data-peer-id');
  if (!id) throw new Error('self has an empty data-peer-id');
  return id;
}

/**
 * Opens `url` in a new page of `context` as a returning user who is `name`: the page joins at
 * once under the name it remembers (a first-time visitor would join under a generated one;
 * see ui.spec.ts). Does not wait for the join (a full room refuses it: room-full.spec.ts).
 */
export async function openPage(context: BrowserContext, url: string, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript((remembered) => {
    (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem(
      'roomlink:name',
      remembered,
    );
  }, name);
  await page.goto(url);
  return page;
}

/** Opens `url` in a new page of `context` as `name` (openPage) and waits until joined. */
export async function openUser(context: BrowserContext, url: string, name: string): Promise<User> {
  const page = await openPage(context, url, name);
  const id = await selfId(page);
  await expect(page.getByTestId('self')).toContainText(name, { timeout: joinTimeoutMs });
  return { name, id, page, context };
}

/** The full link (with #k=) the page offers for sharing. */
export async function shareLink(page: Page): Promise<string> {
  const link = page.getByTestId('share-link');
  const read = () =>
    link.evaluate((el: ElementLike & { value?: unknown }) =>
      (typeof el.value === 'string' && el.value ? el.value : (el.textContent ?? '')).trim(),
    );
  await expect
    .poll(read, { timeout: joinTimeoutMs, message: 'share-link holds the room URL with its #k= key' })
    .toMatch(/\?roomId=[\w-]+#k=[\w-]+$/);
  return read();
}

export interface RoomOptions {
  /** Names of users that get a browser of their own (see BrowserPool.freeze). */
  readonly freezable?: readonly string[];
}

/**
 * A link to a new room at `base` (a server's URL, maybe with ?relay=1), as a page opening
 * `/` would make one: a fresh room id and key, in the formats of protocol/limits.ts. Lets
 * a test open every member at once instead of waiting for the first page to make the room
 * (ui.spec.ts covers that path).
 */
export function newRoomLink(base: string): string {
  // base64url: the alphabet of both patterns; enough bytes for `length` characters.
  const random = (length: number) => randomBytes(length).toString('base64url').slice(0, length);
  const url = new URL(base);
  url.searchParams.set('roomId', random(ROOM_ID_LENGTH));
  url.hash = `k=${random(ROOM_KEY_LENGTH)}`;
  return url.href;
}

/**
 * Opens a page per name, all at once, on the link of a new room (see newRoomLink).
 * Resolves once everyone has joined (not yet once everyone is connected).
 */
export async function openRoom(
  browsers: BrowserPool,
  serverUrl: string,
  names: readonly string[],
  options: RoomOptions = {},
): Promise<User[]> {
  if (names.length === 0) throw new Error('openRoom needs at least one name');
  const link = newRoomLink(serverUrl);
  const contextFor = (name: string) =>
    browsers.newContext({ label: name, freezable: options.freezable?.includes(name) ?? false });
  return Promise.all(names.map(async (name) => openUser(await contextFor(name), link, name)));
}

/** The member list as the page shows it right now. */
export async function peersOf(page: Page): Promise<PeerEntry[]> {
  return page.getByTestId('peer').evaluateAll((elements: ElementLike[]) =>
    elements.map((el) => ({
      id: el.getAttribute('data-peer-id') ?? '',
      state: el.getAttribute('data-state') ?? '',
      text: el.textContent ?? '',
    })),
  );
}

/**
 * Waits until the member list holds exactly `expected` (these peer ids, or this many
 * entries), all in `state` (any state when null).
 */
export async function waitForPeers(
  page: Page,
  expected: readonly string[] | number,
  state: PeerState | null = 'connected',
  timeout = meshTimeoutMs,
): Promise<PeerEntry[]> {
  const describe = (peers: readonly PeerEntry[]): string[] =>
    peers
      .map((peer) => (typeof expected === 'number' ? '' : peer.id) + (state === null ? '' : `:${peer.state}`))
      .sort();
  const want =
    typeof expected === 'number'
      ? Array.from({ length: expected }, () => (state === null ? '' : `:${state}`))
      : expected.map((id) => id + (state === null ? '' : `:${state}`)).sort();
  await expect
    .poll(async () => describe(await peersOf(page)), {
      timeout,
      message: `member list of ${page.url()} should be ${typeof expected === 'number' ? `${expected} entries` : expected.join(', ')}${state === null ? '' : `, all ${state}`}`,
    })
    .toEqual(want);
  return peersOf(page);
}

/** Waits until every user lists every other user as connected. */
export async function waitForMesh(users: readonly User[], timeout = meshTimeoutMs): Promise<void> {
  await Promise.all(
    users.map((user) =>
      waitForPeers(
        user.page,
        users.filter((other) => other !== user).map((other) => other.id),
        'connected',
        timeout,
      ),
    ),
  );
}

/**
 * Two users in a room of their own (openRoom), each listing the other as connected
 * (waitForMesh, with its `timeout`). `names`: Alice and Bob unless the test needs others.
 */
export async function openMeshedPair(
  browsers: BrowserPool,
  serverUrl: string,
  names: readonly [string, string] = ['alice', 'bob'],
  timeout = meshTimeoutMs,
): Promise<[User, User]> {
  const [first, second] = await openRoom(browsers, serverUrl, names);
  if (!first || !second) throw new Error('openRoom returned fewer users');
  const pair: [User, User] = [first, second];
  await waitForMesh(pair, timeout);
  return pair;
}

/** Types `text` into message-input and presses Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('message-input');
  await input.fill(text);
  await input.press('Enter');
}

/** Every chat line shown, in order, system lines included. */
export async function chatMessages(page: Page): Promise<ChatLine[]> {
  return page.getByTestId('message').evaluateAll((elements: ElementLike[]) =>
    elements.map((el) => ({
      id: el.getAttribute('data-id') ?? '',
      from: el.getAttribute('data-from') ?? '',
      kind: el.getAttribute('data-kind') ?? '',
      text: el.querySelector('[data-testid=message-text]')?.textContent ?? '',
    })),
  );
}

/** The texts of the chat (not system) lines shown, in order. */
export async function chatTexts(page: Page): Promise<string[]> {
  return (await chatMessages(page)).filter((line) => line.kind === 'chat').map((line) => line.text);
}

/** Waits until every expected message is shown (as a chat line from that sender). */
export async function waitForMessages(
  page: Page,
  expected: readonly ExpectedMessage[],
  timeout = messageTimeoutMs,
): Promise<void> {
  const key = (message: ExpectedMessage): string => `${message.from}: ${message.text}`;
  await expect
    .poll(
      async () => {
        const shown = new Set((await chatMessages(page)).filter((line) => line.kind === 'chat').map(key));
        return expected.map(key).filter((wanted) => !shown.has(wanted));
      },
      { timeout, message: `messages still missing on ${page.url()}` },
    )
    .toEqual([]);
}

export async function waitForMessage(page: Page, message: ExpectedMessage, timeout = messageTimeoutMs): Promise<void> {
  await waitForMessages(page, [message], timeout);
}

/** Everyone sends one fresh line (label + a random tag); everyone else must get it. */
export async function everyoneHearsEveryone(
  users: readonly User[],
  label: string,
  timeout = messageTimeoutMs,
): Promise<void> {
  const lines = users.map((user) => ({
    from: user.id,
    text: `${label} from ${user.name} ${randomBytes(4).toString('hex')}`,
  }));
  await Promise.all(users.map((user, i) => sendMessage(user.page, lines[i]?.text ?? '')));
  await Promise.all(
    users.flatMap((user) =>
      lines.filter((line) => line.from !== user.id).map((line) => waitForMessage(user.page, line, timeout)),
    ),
  );
}
