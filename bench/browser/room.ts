// A room of N simulated users for one measurement, roomlink's or the bare page's: one
// browser context per user, pages created before the clock starts, then every user
// navigates at once. The pages record what they see themselves (pages/shared.ts); this
// side only reads their records.
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import type { BenchPageApi, PageRecord } from '../pages/shared.ts';
import type { BrowserBenchEnv } from './env.ts';

export type Flavor = 'app' | 'bare';

export interface BenchUser {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
}

export interface RoomOptions {
  /** Send one mesh: message to everyone once the mesh is there (the mesh_ms measurement). */
  readonly meshMessage?: boolean;
  /** Indexes of users that get a browser of their own, to be frozen. */
  readonly freezable?: readonly number[];
}

/** The window of a page the bench probes (pages/shared.ts). */
export type BenchWindow = { __bench: BenchPageApi };

const urlSafe = (length: number): string => randomBytes(length).toString('base64url').slice(0, length);

export async function createUsers(
  env: BrowserBenchEnv,
  flavor: Flavor,
  count: number,
  options: RoomOptions = {},
): Promise<BenchUser[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const name = `user${index}`;
      const context = await env.browsers.newContext({
        label: `${flavor} ${name}`,
        freezable: options.freezable?.includes(index) ?? false,
      });
      if (flavor === 'app') {
        const config = { peers: count - 1, meshMessage: options.meshMessage ?? false };
        await context.addInitScript({ content: `window.__benchConfig = ${JSON.stringify(config)};\n${env.probe}` });
      }
      const page = await context.newPage();
      return { name, context, page };
    }),
  );
}

/**
 * The URL of a new room: roomlink's /?roomId=…#k=…, or the bare page's ?room=…&n=…
 * (`bareDraws`: the bare page that also puts each line on the page, bench/pages/bare.ts).
 */
export function roomUrl(env: BrowserBenchEnv, flavor: Flavor, count: number, bareDraws = false): string {
  return flavor === 'app'
    ? `${env.appUrl}/?roomId=${urlSafe(21)}#k=${urlSafe(22)}`
    : `${env.bareUrl}/?room=${urlSafe(21)}&n=${count}${bareDraws ? '&draw=1' : ''}`;
}

/** Navigation may take this long to commit (8 pages on a loaded 2-core machine are slow). */
const COMMIT_TIMEOUT_MS = 60_000;

/**
 * Starts every user's navigation at once; resolves when each has committed (its document
 * exists and the probe runs), not at its load event: the pages time themselves, and 8
 * pages under load took more than Playwright's 30 s to reach load.
 */
export async function navigateAll(users: readonly BenchUser[], url: string): Promise<void> {
  await Promise.all(users.map((user) => user.page.goto(url, { waitUntil: 'commit', timeout: COMMIT_TIMEOUT_MS })));
}

export async function readRecord(page: Page): Promise<PageRecord> {
  const record = await readRecordIfAny(page);
  if (record === null) throw new Error(`${page.url()}: the page has no bench probe (its init script never ran)`);
  return record;
}

/**
 * The page's record, or null when the page has no probe (its document never ran the bench's
 * init script). A run with such a page is incomplete, not a crash of the whole bench.
 */
export async function readRecordIfAny(page: Page): Promise<PageRecord | null> {
  return page.evaluate(() => (globalThis as unknown as Partial<BenchWindow>).__bench?.record() ?? null);
}

export async function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as BenchWindow).__bench.now());
}

/** Node's clock on the pages' scale: wall-clock ms with sub-ms resolution. */
export const nodeNow = (): number => performance.timeOrigin + performance.now();

/** page clock − node clock, from the midpoint of one round trip (for events Node causes). */
export async function clockOffset(page: Page): Promise<number> {
  const before = nodeNow();
  const inPage = await pageNow(page);
  const after = nodeNow();
  return inPage - (before + after) / 2;
}

/** Waits (polling in the page) until the page has heard a mesh: message from every other member. */
export async function waitMeshDone(page: Page, timeoutMs: number): Promise<boolean> {
  return (
    page
      // The probe must be there: without it (a document whose init script has not run yet)
      // `undefined !== null` passed at once, and the run read no record.
      .waitForFunction(
        () => {
          const bench = (globalThis as unknown as Partial<BenchWindow>).__bench;
          return bench !== undefined && bench.record().meshDoneAt !== null;
        },
        undefined,
        {
          polling: 50,
          timeout: timeoutMs,
        },
      )
      .then(
        () => true,
        () => false,
      )
  );
}

/** Waits until the page has received `count` texts with this prefix, or nothing new for stallMs. */
export async function waitForCount(page: Page, prefix: string, count: number, stallMs: number): Promise<number> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const seen = await page.evaluate((p) => (globalThis as unknown as BenchWindow).__bench.count(p), prefix);
    if (seen >= count) return seen;
    if (seen !== last) {
      last = seen;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) {
      return seen;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function closeUsers(users: readonly BenchUser[]): Promise<void> {
  await Promise.all(users.map((user) => user.context.close().catch(() => {})));
}
