// Message latency and burst between two users in one room. Latency: the sender sends
// `lat:i:writtenAt` every LATENCY_INTERVAL_MS through the app's composer (so no message
// queues behind another), and notes when each went: the Enter key on roomlink's page (the
// text is in the message box before, as typed), the send call on the bare page. The
// receiver's MutationObserver stamps each line as it appears.
// Burst: the sender submits `b:i` as fast as one synchronous loop can; the receiver's
// arrivals give messages/s, losses and order. The burst has a room of its own: the
// latency lines before it would count against the receiver's line cap and budget.
import type { Page } from '@playwright/test';
import type { PageRecord } from '../pages/shared.ts';
import { type Summary, summarize } from '../stats.ts';
import { type BrowserBenchEnv, createBenchPool } from './env.ts';
import { pinToCore } from './pin.ts';
import {
  type BenchWindow,
  closeUsers,
  createUsers,
  type Flavor,
  navigateAll,
  readRecord,
  roomUrl,
  waitForCount,
  waitMeshDone,
} from './room.ts';

const LATENCY_INTERVAL_MS = 10;
const MESH_TIMEOUT_MS = 30_000;
/** A burst is over when nothing new arrived for this long. */
const STALL_MS = 5_000;

export interface LatencyResult {
  flavor: Flavor;
  sent: number;
  received: number;
  summary: Summary;
  samplesMs: number[];
}

export interface BurstResult {
  flavor: Flavor;
  sent: number;
  received: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  /** First submit to last arrival. */
  ms: number;
  perSecond: number;
  /** How long the sender's loop took (the app's own cost per message, sender side). */
  sendLoopMs: number;
  /** Problems the receiver's member list showed during the burst (e.g. the sender muted). */
  problems: string[];
}

export interface MessagingResult {
  latency: LatencyResult | null;
  burst: BurstResult | null;
}

/**
 * Sends `lat:` lines paced LATENCY_INTERVAL_MS apart and waits for them at the receiver:
 * when each was sent (see BenchPageApi.sendPaced) and the receiver's record.
 */
export async function paceLatencyLines(
  sender: Page,
  receiver: Page,
  messages: number,
): Promise<{ sentAt: number[]; record: PageRecord }> {
  const sentAt = await sender.evaluate(
    ([count, interval]) => (globalThis as unknown as BenchWindow).__bench.sendPaced(count, interval, 'lat'),
    [messages, LATENCY_INTERVAL_MS] as const,
  );
  await waitForCount(receiver, 'lat', messages, STALL_MS);
  return { sentAt, record: await readRecord(receiver) };
}

async function measureLatency(sender: Page, receiver: Page, flavor: Flavor, messages: number): Promise<LatencyResult> {
  const { sentAt, record } = await paceLatencyLines(sender, receiver, messages);
  const samplesMs = record.received
    .filter((m) => m.text.startsWith('lat:'))
    .map((m) => m.at - (sentAt[Number(m.text.split(':')[1])] ?? Number.NaN));
  return { flavor, sent: messages, received: samplesMs.length, summary: summarize(samplesMs), samplesMs };
}

async function measureBurst(sender: Page, receiver: Page, flavor: Flavor, messages: number): Promise<BurstResult> {
  const loop = await sender.evaluate(
    (count) => (globalThis as unknown as BenchWindow).__bench.burst(count, 'b'),
    messages,
  );
  await waitForCount(receiver, 'b', messages, STALL_MS);
  const record = await readRecord(receiver);
  const arrivals = record.received.filter((m) => m.text.startsWith('b:'));
  const seen = new Set<number>();
  let duplicates = 0;
  let outOfOrder = 0;
  let highest = -1;
  for (const message of arrivals) {
    const seq = Number(message.text.split(':')[1]);
    if (seen.has(seq)) {
      duplicates++;
      continue;
    }
    seen.add(seq);
    if (seq < highest) outOfOrder++;
    highest = Math.max(highest, seq);
  }
  const last = arrivals.at(-1)?.at ?? Number.NaN;
  const ms = last - loop.start;
  return {
    flavor,
    sent: messages,
    received: seen.size,
    lost: messages - seen.size,
    duplicates,
    outOfOrder,
    ms,
    perSecond: seen.size / (ms / 1000),
    sendLoopMs: loop.end - loop.start,
    problems: Object.keys(record.problems ?? {}),
  };
}

/**
 * Two users in a new room, meshed; closed after `measure`. `initScript`: run in both pages too.
 * `ownBrowsers`: each user in a browser of its own (freezable: its processes can be found).
 * `bareDraws`: the bare page that also puts each line on the page.
 */
export async function inRoom<T>(
  env: BrowserBenchEnv,
  flavor: Flavor,
  measure: (sender: Page, receiver: Page) => Promise<T>,
  options: { initScript?: string; ownBrowsers?: boolean; bareDraws?: boolean } = {},
): Promise<T> {
  const users = await createUsers(env, flavor, 2, {
    meshMessage: true,
    ...(options.ownBrowsers ? { freezable: [0, 1] } : {}),
  });
  try {
    const { initScript } = options;
    if (initScript !== undefined) for (const user of users) await user.context.addInitScript({ content: initScript });
    await navigateAll(users, roomUrl(env, flavor, 2, options.bareDraws));
    const [sender, receiver] = users;
    if (!sender || !receiver) throw new Error('two users expected');
    const meshed = await Promise.all(users.map((user) => waitMeshDone(user.page, MESH_TIMEOUT_MS)));
    if (!meshed.every(Boolean)) throw new Error(`${flavor}: two users did not connect within ${MESH_TIMEOUT_MS} ms`);
    return await measure(sender.page, receiver.page);
  } finally {
    await closeUsers(users);
  }
}

/**
 * The latency in a room of two whose browsers each run on a core of their own (pin.ts): what
 * two people on two machines would see, without the two pages taking CPU from each other.
 */
export async function measurePinnedLatency(
  env: BrowserBenchEnv,
  flavor: Flavor,
  messages: number,
): Promise<LatencyResult> {
  // A pool of its own: its browsers are closed with it, not kept to the end of the run.
  const pool = createBenchPool(env.netns);
  try {
    return await inRoom(
      { ...env, browsers: pool },
      flavor,
      (sender, receiver) => {
        for (const [core, page] of [sender, receiver].entries()) pinToCore(pool.processesOf(page.context()), core);
        return measureLatency(sender, receiver, flavor, messages);
      },
      { ownBrowsers: true },
    );
  } finally {
    await pool.close();
  }
}

/**
 * The latency between two bare pages that put each line on the page (bench/pages/bare.ts);
 * it fails rather than report a page that did not draw them.
 */
export function measureDrawingBareLatency(env: BrowserBenchEnv, messages: number): Promise<LatencyResult> {
  return inRoom(
    env,
    'bare',
    async (sender, receiver) => {
      const result = await measureLatency(sender, receiver, 'bare', messages);
      const drawn = Number(await receiver.evaluate("document.querySelectorAll('ol > li').length"));
      if (drawn < result.received) throw new Error(`the drawing bare page drew ${drawn} of ${result.received} lines`);
      return result;
    },
    { bareDraws: true },
  );
}

export async function measureMessaging(
  env: BrowserBenchEnv,
  flavor: Flavor,
  options: { latency: number | null; burst: number | null },
): Promise<MessagingResult> {
  const { latency, burst } = options;
  return {
    latency: latency === null ? null : await inRoom(env, flavor, (s, r) => measureLatency(s, r, flavor, latency)),
    burst: burst === null ? null : await inRoom(env, flavor, (s, r) => measureBurst(s, r, flavor, burst)),
  };
}
