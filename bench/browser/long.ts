// A long chat in one tab: what thousands of lines leave behind in the pages. A chat tab stays
// open for days; every per-line record a page keeps (the lines themselves, their edit state,
// the originals quotes check against, receipts, reactions, what history hands on) is bounded,
// most at the 2,000 lines a page keeps, so past those the heap must stop growing. Two users:
// the sender sends `long:` lines in bursts; after each, both pages are garbage-collected
// (DevTools' HeapProfiler.collectGarbage) and read: the JavaScript heap in use
// (Runtime.getHeapUsage) and the DOM's nodes and listeners (Memory.getDOMCounters). The bare
// page does the same in the same run; it draws nothing and keeps nothing of its own, but its
// probe records every line it gets as ours does (pages/shared.ts), so its growth is the
// probe's, and ours beyond it is the page's.
import type { CDPSession } from '@playwright/test';
import type { BrowserBenchEnv } from './env.ts';
import {
  type BenchWindow,
  closeUsers,
  createUsers,
  type Flavor,
  navigateAll,
  roomUrl,
  waitForCount,
  waitMeshDone,
} from './room.ts';

const FORM_TIMEOUT_MS = 45_000;
/** A burst is over when nothing new arrived for this long. */
const STALL_MS = 10_000;

/** One page's reading after a number of lines. */
export interface LongReading {
  lines: number;
  /** JavaScript heap in use after a full garbage collection, MB. */
  heapMb: number;
  domNodes: number;
  listeners: number;
}

export interface LongRun {
  flavor: Flavor;
  /** Lines the receiver got of those sent. */
  sent: number;
  received: number;
  /** Readings after the room formed (0 lines) and after each burst. */
  sender: LongReading[];
  receiver: LongReading[];
}

async function read(session: CDPSession, lines: number): Promise<LongReading> {
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  const { nodes, jsEventListeners } = await session.send('Memory.getDOMCounters');
  return { lines, heapMb: usedSize / 1024 / 1024, domNodes: nodes, listeners: jsEventListeners };
}

/** A room of two; `bursts` bursts of `perBurst` lines from one to the other, both pages read after each. */
export async function measureLongOnce(
  env: BrowserBenchEnv,
  flavor: Flavor,
  bursts: number,
  perBurst: number,
): Promise<LongRun | null> {
  const users = await createUsers(env, flavor, 2, { meshMessage: true });
  try {
    await navigateAll(users, roomUrl(env, flavor, 2));
    const formed = await Promise.all(users.map((user) => waitMeshDone(user.page, FORM_TIMEOUT_MS)));
    if (!formed.every(Boolean)) return null;
    const [sender, receiver] = users.map((user) => user.page);
    if (!sender || !receiver) return null;
    const sessions = await Promise.all(users.map((user) => user.context.newCDPSession(user.page)));
    const [senderSession, receiverSession] = sessions;
    if (!senderSession || !receiverSession) return null;
    const run: LongRun = { flavor, sent: 0, received: 0, sender: [], receiver: [] };
    const readBoth = async (lines: number) => {
      run.sender.push(await read(senderSession, lines));
      run.receiver.push(await read(receiverSession, lines));
    };
    await readBoth(0);
    for (let burst = 0; burst < bursts; burst++) {
      // One prefix for the whole run: the page's count of it is the lines so far.
      await sender.evaluate(
        ([count, from]) => {
          const bench = (globalThis as unknown as BenchWindow).__bench;
          // burst() numbers from 0 each time; the text only needs to be distinct per line.
          return bench.burst(count, `long${from}`);
        },
        [perBurst, burst] as const,
      );
      run.sent += perBurst;
      // A line drawn again (its element replaced) counts again in the probe: once here.
      const got = await waitForCount(receiver, `long${burst}`, perBurst, STALL_MS);
      run.received += Math.min(got, perBurst);
      await readBoth(run.sent);
    }
    return run;
  } finally {
    await closeUsers(users);
  }
}
