// Room helpers for the across-networks tests: users in different browser pools (different
// namespaces), forced relay, and what a member entry says about its path.

import { expect, type Page } from '@playwright/test';
import type { BrowserPool } from './browser.ts';
import { newRoomLink, openUser, type User } from './users.ts';

/** `link` with `?relay=1` added (before the #k= fragment): forces TURN for that user. */
export function withRelay(link: string): string {
  const url = new URL(link);
  url.searchParams.set('relay', '1');
  return url.href;
}

export interface Seat {
  readonly pool: BrowserPool;
  readonly name: string;
}

/**
 * Every seat opens a new room at once, each in a context of its own pool: the first at
 * `startUrl` (a server's URL, maybe with ?relay=1), the others at the room's share link
 * (which never carries relay=1) rewritten by `linkFor` (e.g. withRelay, or a tunnel's host).
 */
export async function openRoomAcross(
  seats: readonly Seat[],
  startUrl: string,
  linkFor: (shared: string) => string = (shared) => shared,
): Promise<User[]> {
  if (seats.length === 0) throw new Error('openRoomAcross needs at least one seat');
  const first = new URL(newRoomLink(startUrl));
  const shared = new URL(first.href);
  shared.searchParams.delete('relay');
  return Promise.all(
    seats.map(async (seat, i) =>
      openUser(
        await seat.pool.newContext({ label: seat.name }),
        i === 0 ? first.href : linkFor(shared.href),
        seat.name,
      ),
    ),
  );
}

export interface CandidatePair {
  readonly local: string;
  readonly remote: string;
}

/** The selected ICE candidate pair's types, from getStats (window.roomlink.selectedPair). */
export async function selectedPair(page: Page, peerId: string): Promise<CandidatePair | null> {
  return page.evaluate(
    (id) =>
      (
        globalThis as unknown as { roomlink: { selectedPair(id: string): Promise<CandidatePair | null> } }
      ).roomlink.selectedPair(id),
    peerId,
  );
}

/** What the member entry for `peerId` shows: data-path (direct|relayed) and the reason line. */
export async function memberPath(page: Page, peerId: string): Promise<string | null> {
  const path = page.locator(`[data-testid=peer][data-peer-id="${peerId}"] .member-path`);
  await expect(path, `the entry for ${peerId} shows its path`).toHaveAttribute('data-path', /^(direct|relayed)$/);
  return path.getAttribute('data-path');
}

/** The unreachable entry's reason as "<code>: <plain words>" (code from data-reason). */
export async function memberReason(page: Page, peerId: string): Promise<string> {
  const reason = page.locator(`[data-testid=peer][data-peer-id="${peerId}"] .member-reason`);
  await expect(reason, `the entry for ${peerId} gives a reason`).not.toBeEmpty();
  return `${(await reason.getAttribute('data-reason')) ?? ''}: ${(await reason.textContent()) ?? ''}`;
}

/** Closes every peer connection (stale TURN allocations make coturn answer 437 later). */
export async function closeAllLinks(users: readonly User[]): Promise<void> {
  await Promise.all(
    users.map((user) =>
      user.page
        .evaluate(() => (globalThis as unknown as { roomlink: { closeAll(): void } }).roomlink.closeAll())
        .catch(() => {}),
    ),
  );
}
