// relay: the latency of a line through a member (issue 14) next to a direct one, in the same
// room and run. The NAT lab of the e2e tests: alice and bob behind port-randomising NATs
// with STUN but no TURN (they cannot link), carol on the open network (both link to her).
// Alice sends private lines, alternately to bob (through carol, sealed) and to carol
// (direct); each page stamps sends and arrivals on the machine's clock
// (performance.timeOrigin + now(), the same clock for every page on one machine).
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import type { BrowserPool } from '../../e2e/support/browser.ts';
import { privatePeerRanges, startCoturn } from '../../e2e/support/coturn.ts';
import { createNatLab } from '../../e2e/support/natlab.ts';
import { startServer } from '../../e2e/support/server.ts';
import { createBenchPool } from './env.ts';

const TIMEOUT_MS = 120_000;
/** Between two lines: well under the relay's 50 a second per pair, so nothing queues. */
const GAP_MS = 60;

export interface RelayLatency {
  /** ms from alice's send to the line on carol's page (direct link). */
  direct: number[];
  /** ms from alice's send to the line on bob's page (through carol). */
  relayed: number[];
  /** The round trip alice's page shows for bob through carol (ms), and to carol directly. */
  relayRttMs: number | null;
  directRttMs: number | null;
}

interface Arrivals {
  at: Record<string, number>;
}

/**
 * Runs in bob's and carol's pages: stamps each bench line's text when it is on the page, by
 * a 5 ms poll from the start (as the history bench: no dependence on how lines are added).
 */
function stampArrivals(name: string): void {
  const g = globalThis as unknown as {
    performance: { now(): number; timeOrigin: number };
    localStorage: { setItem(key: string, value: string): void };
    document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
    __arrivals: Arrivals;
  };
  g.localStorage.setItem('roomlink:name', name);
  const record: Arrivals = { at: {} };
  g.__arrivals = record;
  setInterval(() => {
    const now = g.performance.timeOrigin + g.performance.now();
    for (const node of Array.from(g.document.querySelectorAll('[data-testid=message-text]'))) {
      const text = node.textContent;
      if (text?.startsWith('relay-bench ') && record.at[text] === undefined) record.at[text] = now;
    }
  }, 5);
}

type RoomlinkWindow = {
  roomlink: { sendPrivate(to: string, text: string): string | null; selfId(): string | null };
  performance: { now(): number; timeOrigin: number };
};

async function open(pool: BrowserPool, url: string, name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await pool.newContext({ label: name });
  await context.addInitScript(stampArrivals, name);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-testid=self][data-peer-id]').waitFor({ timeout: TIMEOUT_MS });
  return { context, page };
}

const idOf = async (page: Page) => (await page.locator('[data-testid=self]').getAttribute('data-peer-id')) ?? '';
const rttOf = async (page: Page, peerId: string): Promise<number | null> => {
  const text = await page.locator(`[data-testid=peer][data-peer-id="${peerId}"] .member-path`).textContent();
  const ms = /(\d+) ms/.exec(text ?? '')?.[1];
  return ms === undefined ? null : Number(ms);
};

export async function measureRelay(messages: number): Promise<RelayLatency> {
  const lab = await createNatLab('symmetric');
  const pools: BrowserPool[] = [];
  try {
    // STUN only (coturn answers it): what a deployment without TURN has.
    const coturn = await startCoturn({
      netns: lab.publicNetns,
      ip: lab.publicIp,
      secret: randomBytes(12).toString('hex'),
      deniedPeers: privatePeerRanges,
    });
    const server = await startServer({
      netns: lab.publicNetns,
      wireLogPath: '',
      logLevel: 'warn',
      urlHost: lab.publicIp,
      port: 3000,
      env: { WIRE_LOG: '', STUN_URLS: coturn.stunUrl },
    }).catch(async (error: unknown) => {
      await coturn.stop();
      throw error;
    });
    try {
      const args = [`--unsafely-treat-insecure-origin-as-secure=${server.url}`];
      const [home1, home2] = lab.homes;
      const openPool = createBenchPool(lab.publicNetns, args);
      const pool1 = createBenchPool(home1.netns, args);
      const pool2 = createBenchPool(home2.netns, args);
      pools.push(openPool, pool1, pool2);
      const key = randomBytes(16).toString('base64url');
      const url = `${server.url}/?roomId=${randomBytes(16).toString('base64url')}#k=${key}`;
      const carol = await open(openPool, url, 'carol');
      const [alice, bob] = await Promise.all([open(pool1, url, 'alice'), open(pool2, url, 'bob')]);
      const [carolId, bobId] = await Promise.all([idOf(carol.page), idOf(bob.page)]);
      // Bob through carol, carol direct, both with a round trip shown (else: what alice shows).
      const shown = () =>
        alice.page
          .locator('[data-testid=peer]')
          .evaluateAll((list) =>
            list.map((e) => `${e.getAttribute('data-state')} via=${e.getAttribute('data-via')} ${e.textContent}`),
          );
      await alice.page
        .locator(`[data-testid=peer][data-peer-id="${bobId}"][data-via="${carolId}"] .member-path`)
        .filter({ hasText: /ms/ })
        .waitFor({ timeout: TIMEOUT_MS })
        .catch(async (error: unknown) => {
          throw new Error(`bob never shown via carol: ${(await shown()).join(' | ')}`, { cause: error });
        });
      await alice.page
        .locator(`[data-testid=peer][data-peer-id="${carolId}"][data-state=connected] .member-path`)
        .filter({ hasText: /ms/ })
        .waitFor({ timeout: TIMEOUT_MS });
      const relayRttMs = await rttOf(alice.page, bobId);
      const directRttMs = await rttOf(alice.page, carolId);

      const sentAt = new Map<string, { to: 'bob' | 'carol'; at: number }>();
      for (let i = 0; i < messages; i++) {
        for (const [to, id] of [
          ['bob', bobId],
          ['carol', carolId],
        ] as const) {
          const text = `relay-bench ${to} ${i}`;
          const at = await alice.page.evaluate(
            (args) => {
              const w = globalThis as unknown as RoomlinkWindow;
              const now = w.performance.timeOrigin + w.performance.now();
              w.roomlink.sendPrivate(args.id, args.text);
              return now;
            },
            { id, text },
          );
          sentAt.set(text, { to, at });
          await new Promise((resolve) => setTimeout(resolve, GAP_MS));
        }
      }
      const arrivals = async (page: Page) => {
        // What has not arrived by then is left out (the row counts the lines it has).
        await page
          .waitForFunction(
            (count) => Object.keys((globalThis as unknown as { __arrivals: Arrivals }).__arrivals.at).length >= count,
            messages,
            { timeout: TIMEOUT_MS, polling: 50 },
          )
          .catch(() => {});
        return page.evaluate(() => (globalThis as unknown as { __arrivals: Arrivals }).__arrivals.at);
      };
      const [onBob, onCarol] = await Promise.all([arrivals(bob.page), arrivals(carol.page)]);
      const result: RelayLatency = { direct: [], relayed: [], relayRttMs, directRttMs };
      for (const [text, sent] of sentAt) {
        const at = (sent.to === 'bob' ? onBob : onCarol)[text];
        if (at !== undefined) (sent.to === 'bob' ? result.relayed : result.direct).push(at - sent.at);
      }
      for (const user of [alice, bob, carol]) {
        await user.page.evaluate(() =>
          (globalThis as unknown as { roomlink: { closeAll(): void } }).roomlink.closeAll(),
        );
        await user.context.close();
      }
      return result;
    } finally {
      await server.stop();
      await coturn.stop();
    }
  } finally {
    for (const pool of pools) await pool.close().catch(() => {});
    await lab.destroy();
  }
}
