// The chat flood of issue 9, for hostile-member.spec.ts (which checks the mute, the cut and
// the caps) and the flood benchmark (bench/browser/flood.ts, which times the victim). In a
// room of Alice (instrumented), Mallory (hostile) and Carol, Mallory floods Alice with chat
// lines of 4,000 characters until Alice cuts her off; once Alice has muted her, Carol says
// something, and both Carol's page and Alice's stamp when the line appears on them.

import { expect, type Page } from '@playwright/test';
import type { BrowserPool } from './browser.ts';
import {
  arrivedAt,
  type FloodResult,
  flood,
  hostileMemberScript,
  resetVictim,
  type VictimReport,
  victimReport,
  victimScript,
} from './hostile-member.ts';
import { openUser, sendMessage, shareLink, type User, waitForMesh, waitForMessage } from './users.ts';

/** How long Alice may take to show Mallory muted, then cut off: a flood gets there in seconds. */
const REASON_TIMEOUT_MS = 30_000;
/** More lines than a flood can send before it is cut: the flood ends with the link. */
const FLOOD_MAX_LINES = 1_000_000;

/** Alice (instrumented) and Mallory (hostile) first, so Mallory's channel #0 is Alice's; then Carol. */
export async function openRoomWithMallory(browsers: BrowserPool, serverUrl: string): Promise<[User, User, User]> {
  const aliceContext = await browsers.newContext({ label: 'alice' });
  await aliceContext.addInitScript(victimScript);
  const alice = await openUser(aliceContext, `${serverUrl}/`, 'alice');
  const link = await shareLink(alice.page);
  const malloryContext = await browsers.newContext({ label: 'mallory' });
  await malloryContext.addInitScript(hostileMemberScript);
  const mallory = await openUser(malloryContext, link, 'mallory');
  await waitForMesh([alice, mallory]);
  // Carol's own page stamps when her line appears there: the start of its trip to Alice.
  const carolContext = await browsers.newContext({ label: 'carol' });
  await carolContext.addInitScript(victimScript);
  const carol = await openUser(carolContext, link, 'carol');
  await waitForMesh([alice, mallory, carol]);
  return [alice, mallory, carol];
}

/** The reason a member entry on `page` shows for `peerId` (muted, flooding…). */
export function memberReason(page: Page, peerId: string, reason: string) {
  return page.locator(`[data-testid=peer][data-peer-id="${peerId}"] .member-reason[data-reason="${reason}"]`);
}

export interface ChatFloodRun {
  /** Mallory's side: lines sent, for how long, her channel's state at the end. */
  readonly flood: FloodResult;
  /** What Carol wrote mid-flood. */
  readonly carolLine: string;
  /** When her line appeared on her own page and on Alice's (Date.now(), one machine's clock). */
  readonly carolShownAt: number | null;
  readonly aliceShownAt: number | null;
  /** Alice's instruments from the flood's start to its end. */
  readonly report: VictimReport;
}

/**
 * Mallory floods Alice with chat lines until Alice cuts her off; Carol writes once Alice has
 * muted Mallory, and her line must reach Alice. Throws if Alice never shows Mallory muted or
 * cut off, or never shows Carol's line.
 */
export async function floodChatWhileCarolSpeaks([alice, mallory, carol]: readonly [
  User,
  User,
  User,
]): Promise<ChatFloodRun> {
  await resetVictim(alice.page);
  const flooding = flood(mallory.page, 0, 'chat', FLOOD_MAX_LINES);
  // Awaited below; this only keeps a failure before then from going unhandled.
  flooding.catch(() => {});
  // Mid-flood, once Alice's budget for Mallory has run out, Carol says something. (The flood's
  // lines are unsigned, so Alice's chat shows none of them; the budget, which runs before any
  // feature, counts every one.)
  await expect(
    memberReason(alice.page, mallory.id, 'muted').or(memberReason(alice.page, mallory.id, 'flooding')),
  ).toBeVisible({ timeout: REASON_TIMEOUT_MS });
  const carolLine = `carol during the flood ${Date.now()}`;
  await sendMessage(carol.page, carolLine);
  await waitForMessage(alice.page, { from: carol.id, text: carolLine });
  const [carolShownAt, aliceShownAt] = await Promise.all([
    arrivedAt(carol.page, carolLine),
    arrivedAt(alice.page, carolLine),
  ]);
  await expect(memberReason(alice.page, mallory.id, 'flooding')).toBeVisible({ timeout: REASON_TIMEOUT_MS });
  const result = await flooding;
  return { flood: result, carolLine, carolShownAt, aliceShownAt, report: await victimReport(alice.page) };
}
