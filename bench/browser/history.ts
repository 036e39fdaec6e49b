// history: a room of 7 whose members have written 210 lines between them; a newcomer (the
// 8th) opens the link. In the newcomer's page, a 5 ms poll stamps when its member
// list shows all 7 links connected (its links are open: the mesh) and when it shows 200
// history lines (data-history="true"). history_ms = history shown − links open. Each run is
// a new newcomer in the same room (the one before it closes first).
import type { Page } from '@playwright/test';
import type { BrowserBenchEnv } from './env.ts';
import { closeUsers, createUsers, roomUrl } from './room.ts';

const MEMBERS = 7;
const LINES_EACH = 30;
const HISTORY_LINES = 200;
const TIMEOUT_MS = 90_000;

export interface HistoryRun {
  /** Navigation start → every link of the newcomer connected. */
  meshMs: number;
  /** Navigation start → 200 history lines on the page. */
  shownMs: number;
  /** shownMs − meshMs: the target is ≤ 200 ms. */
  afterLinksMs: number;
  /** History lines shown, and how many of them verified. */
  lines: number;
  verified: number;
}

interface WatchRecord {
  timeOrigin: number;
  linksAt: number | null;
  historyAt: number | null;
  lines: number;
  verified: number;
}

interface NodeLike {
  getAttribute(name: string): string | null;
}
interface DocumentLike {
  readyState: string;
  querySelectorAll(selector: string): ArrayLike<NodeLike>;
}

/** Runs in the newcomer's page before its script: stamps links-open and history-shown. */
function watchNewcomer(peers: number, lines: number, name: string): void {
  const g = globalThis as unknown as {
    document: DocumentLike;
    performance: { now(): number; timeOrigin: number };
    localStorage: { setItem(key: string, value: string): void };
    __history: WatchRecord;
  };
  g.localStorage.setItem('roomlink:name', name);
  const record: WatchRecord = {
    timeOrigin: g.performance.timeOrigin,
    linksAt: null,
    historyAt: null,
    lines: 0,
    verified: 0,
  };
  g.__history = record;
  const check = () => {
    const now = g.performance.now();
    if (record.linksAt === null) {
      const connected = g.document.querySelectorAll('[data-testid=peer][data-state=connected]').length;
      if (connected >= peers) record.linksAt = now;
    }
    if (record.historyAt === null) {
      const shown = g.document.querySelectorAll('[data-testid=message][data-history=true]');
      if (shown.length >= lines) {
        record.historyAt = now;
        record.lines = shown.length;
        record.verified = g.document.querySelectorAll('[data-testid=message][data-verified=true]').length;
      }
    }
  };
  // Polled every 5 ms from the start (no dependence on when the page's lists exist).
  const timer = setInterval(() => {
    check();
    if (record.linksAt !== null && record.historyAt !== null) clearInterval(timer);
  }, 5);
}

async function countShown(page: Page): Promise<number> {
  return page.locator('[data-testid=message][data-kind=chat]').count();
}

/** Waits (polling in the page; the page's CSP forbids string predicates) until `selector` matches `count` elements. */
async function waitForCount(page: Page, selector: string, count: number): Promise<void> {
  await page.waitForFunction(
    ([sel, n]) => (globalThis as unknown as { document: DocumentLike }).document.querySelectorAll(sel).length >= n,
    [selector, count] as const,
    { polling: 100, timeout: TIMEOUT_MS },
  );
}

export async function measureHistory(env: BrowserBenchEnv, runs: number): Promise<HistoryRun[]> {
  const users = await createUsers(env, 'app', MEMBERS);
  const url = roomUrl(env, 'app', MEMBERS + 1);
  const results: HistoryRun[] = [];
  try {
    // One after another: the room's setup is not what is measured, and on a loaded machine
    // seven pages loading at once can take longer than a navigation may.
    for (const user of users) await user.page.goto(url, { waitUntil: 'commit', timeout: TIMEOUT_MS });
    await Promise.all(
      users.map((user) => waitForCount(user.page, '[data-testid=peer][data-state=connected]', MEMBERS - 1)),
    );
    // Everyone writes, one after another, so that the last 200 lines have several authors.
    for (const [index, user] of users.entries()) {
      await user.page.evaluate(
        ({ count, label }) => {
          const bench = (globalThis as unknown as { __bench: { burst(count: number, prefix: string): unknown } })
            .__bench;
          bench.burst(count, label);
        },
        { count: LINES_EACH, label: `h${index}:` },
      );
    }
    const total = MEMBERS * LINES_EACH;
    await Promise.all(users.map((user) => waitForCount(user.page, '[data-testid=message][data-kind=chat]', total)));
    if ((await countShown(users[0]?.page as Page)) < total) throw new Error('history bench: lines missing');

    for (let run = 0; run < runs; run++) {
      const context = await env.browsers.newContext({ label: `history newcomer ${run}` });
      try {
        // tsx keeps function names with a __name() helper that exists only in Node: define it.
        await context.addInitScript(
          `var __name = (f) => f; (${watchNewcomer.toString()})(${MEMBERS}, ${HISTORY_LINES}, 'newcomer${run}')`,
        );
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'commit', timeout: TIMEOUT_MS });
        const finished = await page
          .waitForFunction(
            () => {
              const r = (globalThis as unknown as { __history?: WatchRecord }).__history;
              return r !== undefined && r.linksAt !== null && r.historyAt !== null;
            },
            undefined,
            { polling: 100, timeout: TIMEOUT_MS },
          )
          .then(
            () => true,
            () => false,
          );
        const record = await page.evaluate(() => (globalThis as unknown as { __history: WatchRecord }).__history);
        if (!finished) {
          // A run that did not finish is reported (NaN), with what the page had reached.
          const seen = await page.evaluate(() => {
            const w = globalThis as unknown as { roomlink: { history(): unknown; links(): Array<{ state: string }> } };
            return { history: w.roomlink.history(), links: w.roomlink.links().map((l) => l.state) };
          });
          console.log(`  history run ${run + 1}: unfinished after ${TIMEOUT_MS} ms: ${JSON.stringify(seen)}`);
        }
        // Where the time went: the page's own marks (client/timeline.ts), last of each step.
        const steps = await page.evaluate(() => {
          const span = new Map<string, [number, number]>();
          const perf = (globalThis as unknown as { performance: Performance }).performance;
          for (const entry of perf.getEntriesByType('mark')) {
            const step = entry.name.split(':')[1] ?? '';
            const [first, last] = span.get(step) ?? [entry.startTime, entry.startTime];
            span.set(step, [Math.min(first, entry.startTime), Math.max(last, entry.startTime)]);
          }
          return Object.fromEntries(span);
        });
        const at = (step: string) => {
          const span = steps[step];
          return span === undefined ? '?' : `${Math.round(span[0])}–${Math.round(span[1])}`;
        };
        console.log(
          `    newcomer ${run + 1} (first–last over its peers, ms): channel open ${at('channel-open')}, hello checked ${at('hello-checked')}, history asked ${at('history-asked')}, first lines ${at('history-lines')}, answered ${at('history-answered')}; all links shown ${Math.round(record.linksAt ?? Number.NaN)}, 200 lines shown ${Math.round(record.historyAt ?? Number.NaN)}`,
        );
        const meshMs = record.linksAt ?? Number.NaN;
        const shownMs = record.historyAt ?? Number.NaN;
        results.push({
          meshMs,
          shownMs,
          afterLinksMs: shownMs - meshMs,
          lines: record.lines,
          verified: record.verified,
        });
      } finally {
        await context.close().catch(() => {});
      }
    }
  } finally {
    await closeUsers(users);
  }
  return results;
}
