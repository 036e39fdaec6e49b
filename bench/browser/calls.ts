// The call benchmark: a room of N (2 or 4) on roomlink's page or the bare calls page, each
// user in a Chromium of its own with the fake camera and microphone (so that its processes
// can be told apart in /proc). N−1 users join the call one after another and see each
// other; then the last one clicks "join with video" and its page stamps the click and the
// first frame each remote <video> shows (pages/calls-shared.ts). With 4 in the call, the CPU
// time of each user's renderer, and of its whole browser, is read from /proc over a fixed
// window.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { type BrowserPool, fakeMediaArgs } from '../../e2e/support/browser.ts';
import type { CallsPageApi, CallsRecord } from '../pages/calls-types.ts';
import { type BrowserBenchEnv, createBenchPool } from './env.ts';
import type { Flavor } from './room.ts';

const SETUP_TIMEOUT_MS = 90_000;
const FRAME_TIMEOUT_MS = 60_000;
/** Clock ticks per second of /proc/<pid>/stat times (getconf CLK_TCK: 100 on Linux). */
const CLOCK_TICKS = 100;

export interface CallRun {
  flavor: Flavor;
  n: number;
  /** Click → the first frame from any other member shown on the joiner's page. */
  firstFrameMs: number;
  /** Click → a frame from every other member shown on the joiner's page. */
  allFramesMs: number;
  /** Click → every other member's page shows a frame of the joiner. */
  seenByAllMs: number;
  /** Per user, with everyone in the call (only when asked for). */
  cpu: PageCpu[] | null;
  /**
   * Where the time went, from the pages' call marks (client/timeline.ts; the bare page marks
   * its getUserMedia and its announcement the same way) in ms after the click, e.g. "joiner: call-media-open +410, …; caller0: call-state-in +520, …".
   */
  steps?: string;
}

/** The page's `roomlink:call-*` marks, as absolute times (timeOrigin + startTime). */
async function callMarks(page: Page): Promise<Array<{ name: string; at: number }>> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('roomlink:call-'))
      .map((m) => ({ name: m.name.slice('roomlink:'.length), at: performance.timeOrigin + m.startTime })),
  );
}

/** Each page's call marks after the click, peer ids replaced by user labels. */
async function stepsAfter(users: readonly CallUser[], ids: readonly string[], clickAt: number): Promise<string> {
  const label = (name: string): string => ids.reduce((text, id, i) => text.replace(id, `caller${i}`), name);
  const parts = await Promise.all(
    users.map(async (user, index) => {
      const marks = (await callMarks(user.page)).filter((m) => m.at >= clickAt - 5_000);
      marks.sort((a, b) => a.at - b.at);
      const text = marks.map((m) => `${label(m.name)} ${m.at - clickAt >= 0 ? '+' : ''}${Math.round(m.at - clickAt)}`);
      // ICE restarts so far (a link whose heartbeat went quiet restarts ICE), and stalls of
      // the page itself (client/silence-watch.ts), counted once per link that saw each one:
      // roomlink's page only.
      const counters = await user.page.evaluate(() =>
        (
          globalThis as unknown as {
            roomlink?: { counters?(): { iceRestarts: number; stalls: number; longestStallMs: number } };
          }
        ).roomlink?.counters?.(),
      );
      if (counters)
        text.push(
          `ICE restarts ${counters.iceRestarts}, page stalls seen by its links ${counters.stalls} (longest ${counters.longestStallMs} ms)`,
        );
      return `caller${index}: ${text.join(', ')}`;
    }),
  );
  return parts.join('; ');
}

export interface PageCpu {
  /** CPU time of the user's renderer process(es), in % of one core over the window. */
  rendererPct: number;
  /** CPU time of its whole browser (renderer, GPU, network, audio and capture services). */
  browserPct: number;
}

interface CallUser {
  context: BrowserContext;
  page: Page;
}

type CallsWindow = { __calls: CallsPageApi };

const urlSafe = (length: number): string => randomBytes(length).toString('base64url').slice(0, length);

function roomUrl(env: BrowserBenchEnv, flavor: Flavor, n: number): string {
  return flavor === 'app'
    ? `${env.appUrl}/?roomId=${urlSafe(21)}#k=${urlSafe(22)}`
    : `${env.bareUrl}/calls?room=${urlSafe(21)}&n=${n}`;
}

async function waitInPage(page: Page, what: string, fn: (arg: number) => boolean, arg: number, timeout: number) {
  await page.waitForFunction(fn, arg, { polling: 20, timeout }).catch((error: unknown) => {
    throw new Error(`call bench: ${what}: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
  });
}

async function recordOf(page: Page): Promise<CallsRecord> {
  return page.evaluate(() => (globalThis as unknown as CallsWindow).__calls.record());
}

/** utime + stime of each process, in clock ticks; cmdline tells renderers apart. */
function cpuTicks(pids: readonly number[]): Map<number, { ticks: number; renderer: boolean }> {
  const out = new Map<number, { ticks: number; renderer: boolean }>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const renderer = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer');
      out.set(pid, { ticks, renderer });
    } catch {
      // Exited meanwhile.
    }
  }
  return out;
}

/** CPU of each user's browser over windowMs, from /proc (processes alive at both ends). */
async function measureCpu(pool: BrowserPool, users: readonly CallUser[], windowMs: number): Promise<PageCpu[]> {
  const trees = users.map((user) => pool.processesOf(user.context));
  const before = trees.map(cpuTicks);
  const started = performance.now();
  // The measuring window itself, not a wait for something to happen.
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const seconds = (performance.now() - started) / 1000;
  return trees.map((tree, i) => {
    const after = cpuTicks(tree);
    let renderer = 0;
    let browser = 0;
    for (const [pid, end] of after) {
      const start = before[i]?.get(pid);
      if (!start) continue;
      const used = (end.ticks - start.ticks) / CLOCK_TICKS;
      browser += used;
      if (end.renderer) renderer += used;
    }
    return { rendererPct: (renderer / seconds) * 100, browserPct: (browser / seconds) * 100 };
  });
}

async function openUsers(env: BrowserBenchEnv, pool: BrowserPool, flavor: Flavor, n: number): Promise<CallUser[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, index) => {
      const context = await pool.newContext({ label: `${flavor} caller${index}`, freezable: true });
      if (flavor === 'app') {
        const config = { name: `caller${index}` };
        await context.addInitScript({
          content: `window.__callsConfig = ${JSON.stringify(config)};\n${env.callsProbe}`,
        });
      }
      return { context, page: await context.newPage() };
    }),
  );
}

async function selfIds(users: readonly CallUser[]): Promise<string[]> {
  return Promise.all(
    users.map(async (user) => {
      const id = await user.page.evaluate(() => (globalThis as unknown as CallsWindow).__calls.selfId());
      if (id === null) throw new Error('call bench: a user has no id');
      return id;
    }),
  );
}

/** What a page shows, for the error when it does not show what it should. */
async function shown(page: Page): Promise<unknown> {
  return page.evaluate(() => {
    const g = globalThis as unknown as CallsWindow & {
      document: {
        querySelectorAll(s: string): ArrayLike<{
          videoWidth: number;
          paused: boolean;
          parentElement: { dataset: Record<string, string> } | null;
        }>;
      };
    };
    return {
      record: g.__calls.record(),
      videos: Array.from(g.document.querySelectorAll('video')).map((v) => ({
        peer: v.parentElement?.dataset['peerId'] ?? '?',
        width: v.videoWidth,
        paused: v.paused,
      })),
    };
  });
}

/** Clicks join on one user's page, as a user would (a trusted click on the real button). */
async function clickJoin(user: CallUser): Promise<void> {
  await user.page.getByTestId('call-join-video').click({ force: true, timeout: SETUP_TIMEOUT_MS });
  await waitInPage(
    user.page,
    'own media open',
    () => (globalThis as unknown as CallsWindow).__calls.inCall(),
    0,
    SETUP_TIMEOUT_MS,
  );
}

/** Waits until this page shows a frame from each of these members. */
async function waitFrames(page: Page, ids: readonly string[], timeout: number): Promise<boolean> {
  return page
    .waitForFunction(
      (wanted) => wanted.every((id) => (globalThis as unknown as CallsWindow).__calls.record().firstFrame[id]),
      [...ids],
      { polling: 20, timeout },
    )
    .then(
      () => true,
      () => false,
    );
}

export async function measureCallOnce(
  env: BrowserBenchEnv,
  flavor: Flavor,
  n: number,
  cpuWindowMs: number | null,
): Promise<CallRun> {
  const pool = createBenchPool(env.netns, fakeMediaArgs);
  try {
    const users = await openUsers(env, pool, flavor, n);
    const url = roomUrl(env, flavor, n);
    for (const user of users) await user.page.goto(url, { waitUntil: 'commit', timeout: SETUP_TIMEOUT_MS });
    await Promise.all(
      users.map((user) =>
        waitInPage(
          user.page,
          'links up',
          // The page's script may not have run yet when the wait starts (its probe then does not exist).
          (peers) => (globalThis as unknown as Partial<CallsWindow>).__calls?.ready(peers) ?? false,
          n - 1,
          SETUP_TIMEOUT_MS,
        ),
      ),
    );
    const ids = await selfIds(users);
    const joiner = users[n - 1] as CallUser;
    const joinerId = ids[n - 1] as string;
    const early = users.slice(0, n - 1);

    // The others join one after another, each once it knows who is in the call already.
    for (const [index, user] of early.entries()) {
      await waitInPage(
        user.page,
        'sees the call',
        (count) => (globalThis as unknown as CallsWindow).__calls.callCount() >= count,
        index,
        SETUP_TIMEOUT_MS,
      );
      await clickJoin(user);
    }
    for (const [index, user] of early.entries()) {
      const others = ids.slice(0, n - 1).filter((_, i) => i !== index);
      if (!(await waitFrames(user.page, others, SETUP_TIMEOUT_MS)))
        throw new Error(
          `call bench: ${flavor} caller${index} does not show the others: ${JSON.stringify(await shown(user.page))}`,
        );
    }
    await waitInPage(
      joiner.page,
      'sees the call',
      (count) => (globalThis as unknown as CallsWindow).__calls.callCount() >= count,
      n - 1,
      SETUP_TIMEOUT_MS,
    );

    // The call is on, so the joiner's links have (or are getting) their media m-lines: the
    // click is measured once they are there, as for anyone joining a call that runs.
    await waitInPage(
      joiner.page,
      'media lines ready',
      (peers) => (globalThis as unknown as CallsWindow).__calls.mediaReady(peers),
      n - 1,
      SETUP_TIMEOUT_MS,
    );
    await joiner.page.getByTestId('call-join-video').click({ force: true, timeout: SETUP_TIMEOUT_MS });
    const joinerSaw = await waitFrames(joiner.page, ids.slice(0, n - 1), FRAME_TIMEOUT_MS);
    const othersSaw = await Promise.all(early.map((user) => waitFrames(user.page, [joinerId], FRAME_TIMEOUT_MS)));
    const mine = await recordOf(joiner.page);
    const clickAt = mine.clickAt ?? Number.NaN;
    const seen = ids.slice(0, n - 1).map((id) => mine.firstFrame[id] ?? Number.NaN);
    const byOthers = await Promise.all(early.map(async (user) => (await recordOf(user.page)).firstFrame[joinerId]));
    const run: CallRun = {
      flavor,
      n,
      firstFrameMs: Math.min(...seen.filter(Number.isFinite)) - clickAt,
      allFramesMs: joinerSaw ? Math.max(...seen) - clickAt : Number.NaN,
      seenByAllMs: othersSaw.every(Boolean)
        ? Math.max(...byOthers.map((at) => at ?? Number.NaN)) - clickAt
        : Number.NaN,
      cpu: null,
    };
    run.steps = await stepsAfter(users, ids, clickAt);
    if (cpuWindowMs !== null && joinerSaw && othersSaw.every(Boolean))
      run.cpu = await measureCpu(pool, users, cpuWindowMs);
    return run;
  } finally {
    await pool.close();
  }
}
