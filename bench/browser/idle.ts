// An idle room: what a formed room costs while nobody writes, per page and second. A chat tab
// stays open for hours, so this is its battery and fan: the links' heartbeats, the path polls
// and whatever they redraw. The bare page keeps its data channels open and does nothing.
import type { CDPSession } from '@playwright/test';
import { machineBusyMs } from '../machine.ts';
import type { BrowserBenchEnv } from './env.ts';
import { closeUsers, createUsers, type Flavor, navigateAll, roomUrl, waitMeshDone } from './room.ts';

const FORM_TIMEOUT_MS = 45_000;

export interface IdleRun {
  /** Every process on the machine (browsers, GPU processes, servers), over the pages and seconds. */
  machineMs: number;
  /** The pages' main threads (Chromium's TaskDuration), per page and second. */
  mainThreadMs: number;
  /** Layouts per page and minute: each is the page drawing something new. */
  layoutsPerMinute: number;
}

export interface IdleTiming {
  /** After the last delivery, before measuring: the formation's tail (history, receipts) settles. */
  settleMs: number;
  measureMs: number;
}

type Metrics = Record<string, number>;

async function metrics(session: CDPSession): Promise<Metrics> {
  const { metrics: list } = await session.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** One room of n, formed, then measured idle; null when the room did not form. */
export async function measureIdleOnce(
  env: BrowserBenchEnv,
  flavor: Flavor,
  n: number,
  timing: IdleTiming,
): Promise<IdleRun | null> {
  const users = await createUsers(env, flavor, n, { meshMessage: true });
  try {
    await navigateAll(users, roomUrl(env, flavor, n));
    const formed = await Promise.all(users.map((user) => waitMeshDone(user.page, FORM_TIMEOUT_MS)));
    if (!formed.every(Boolean)) return null;
    await new Promise((resolve) => setTimeout(resolve, timing.settleMs));
    const sessions = await Promise.all(users.map((user) => user.context.newCDPSession(user.page)));
    await Promise.all(sessions.map((session) => session.send('Performance.enable')));
    const before = await Promise.all(sessions.map(metrics));
    const busyBefore = machineBusyMs();
    const startedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, timing.measureMs));
    const busy = machineBusyMs() - busyBefore;
    const seconds = (performance.now() - startedAt) / 1_000;
    const after = await Promise.all(sessions.map(metrics));
    const grown = (name: string) =>
      after.reduce((sum, metric, i) => {
        const [from, to] = [before[i]?.[name], metric[name]];
        // A metric Chromium no longer reports must fail the part, not read as an idle page.
        if (from === undefined || to === undefined) throw new Error(`idle: Chromium reported no ${name}`);
        return sum + to - from;
      }, 0);
    return {
      machineMs: busy / n / seconds,
      // TaskDuration is in seconds.
      mainThreadMs: (grown('TaskDuration') * 1_000) / n / seconds,
      layoutsPerMinute: (grown('LayoutCount') * 60) / n / seconds,
    };
  } finally {
    await closeUsers(users);
  }
}
