// Every alive key lost while a node's connection to Redis stays up (a restart from a
// snapshot, a FLUSHALL), at the worst moments made on purpose through a cuttable path: the
// node that finds its own key gone waits the long window, and never takes a live node for
// dead. The other heartbeat cases are membership-heartbeats.test.ts.
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, test } from 'node:test';
import { createClient } from '@redis/client';
import type { RedisMembership } from '../server/membership-redis.ts';
import { membershipBed } from './membership-support.ts';
import { cuttablePath } from './redis-support.ts';
import { until } from './support.ts';

const bed = membershipBed();
const { twoNodesInOneRoom } = bed;

/** RECOVERY_TTLS in server/membership-liveness.ts: the long window is four TTLs. */
const LONG_WINDOW_TTLS = 4;

/**
 * B away for a TTL and a beat (A's upkeeps find its key missing meanwhile), then back (its
 * client reconnects within about a second), within the long window A waits after finding its
 * own key lapsed: B is never swept, and A still sees both members. Counted from when A began
 * that window (`longWindowSince`), not from the end of the test's own steps: in the test that
 * holds the heartbeat thread's report, A can find the lapse itself well before those steps
 * end, and counted from their end B once came back after A's window had closed ("a live node
 * was swept", 25.5 s for a test of 18 under load).
 */
async function backWithinTheLongWindow(
  pathB: { mend(): void },
  lostAt: number,
  { a, b, room, goneHere }: { a: RedisMembership; b: RedisMembership; room: string; goneHere: () => string[] },
): Promise<void> {
  await until(() => (a.longWindowSince() ?? 0) >= lostAt, 'A waiting its long window after the loss', 10_000);
  const since = a.longWindowSince() ?? lostAt;
  const closes = since + LONG_WINDOW_TTLS * TTL_MS;
  await sleepUntil(since + TTL_MS + HEARTBEAT_MS);
  pathB.mend();
  const raw = createClient({ url: bed.redis.url });
  await raw.connect();
  try {
    const giveUp = Date.now() + 10_000;
    while ((await raw.exists(aliveKey(b.nodeId))) === 0) {
      assert.ok(Date.now() < giveUp, "B's key not written again within 10 s of the mend");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Past this, A could have taken B for dead before B came back: the machine starved B's
    // return, and the test proves nothing either way (said apart from a product failure).
    const late = Date.now() - closes;
    assert.ok(late < 0, `B came back ${late} ms after A's long window closed: the test's premise did not hold`);
  } finally {
    await raw.quit();
  }
  // Two upkeeps past the window's end: a sweep of B would have happened by then.
  await sleepUntil(closes + 2 * HEARTBEAT_MS);
  assert.deepEqual(goneHere(), [], 'a live node was swept');
  assert.deepEqual((await a.members(room)).map((m) => m.id).sort(), ['on-a', 'on-b']);
}

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/**
 * B's way back does not scale with the beat (its client reconnects, then its thread beats:
 * its key was back 0.6-0.95 s after the mend in 6 runs beside other work). At 600 ms, B is
 * back ~3.4 s into A's 7.2 s window.
 */
const HEARTBEAT_MS = 600;
const TTL_MS = 3 * HEARTBEAT_MS;
const aliveKey = (node: string) => `roomlink:{nodes}:alive:${node}`;

/**
 * Two nodes in one room, A through `urlA` and B through a path cut meanwhile, both beating
 * and past A's first steady window (so that only the loss can hold a sweep back); then B is
 * cut off, `lose` makes every alive key go at the moment its test chooses (`keys` holds them
 * by then) and settles once they went, and B comes back within the long window.
 */
async function keysLostWhileBIsAway(urlA: string, keys: string[], lose: () => Promise<void>): Promise<void> {
  const pathB = await cuttablePath(bed.redis.port);
  try {
    const { a, b, room, goneHere } = await twoNodesInOneRoom(urlA, pathB.url, HEARTBEAT_MS);
    keys.push(aliveKey(a.nodeId), aliveKey(b.nodeId));
    await until(() => a.beatsOnItsThread() && b.beatsOnItsThread(), 'both heartbeat threads beating', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2 * TTL_MS));
    pathB.cut();
    const lostAt = Date.now();
    await lose();
    await backWithinTheLongWindow(pathB, lostAt, { a, b, room, goneHere });
  } finally {
    pathB.close();
  }
}

describe('every alive key lost between two heartbeats, without a failure seen (a restart from a snapshot)', () => {
  test('a node that finds its own key gone waits the long window before taking another for dead', async () => {
    // The keys vanish while A's connection stays up (Redis restarted from its snapshot, where
    // the short-lived alive keys had expired, or a FLUSHALL): A sees no failure, only its own
    // key missing at its next beat. B cannot reach Redis for a while, longer than a TTL and a
    // sweep pass, shorter than the four TTLs a node waits after an outage of its own. Taken
    // for a short hiccup, A would sweep B at its next upkeep: B's key is missing.
    const client = createClient({ url: bed.redis.url });
    await client.connect();
    const keys: string[] = [];
    try {
      await keysLostWhileBIsAway(bed.redis.url, keys, async () => {
        assert.equal(await client.del(keys), 2);
      });
    } finally {
      await client.quit();
    }
  });
});

describe("every alive key lost between a node reading its own and reading another's", () => {
  test('the node does not take the other for dead: it reads both keys at one instant', async () => {
    // The worst moment for the loss above, made on purpose: A's upkeep has read its own key
    // (there), and every key is deleted before A's next command. Read apart, the other
    // node's key then looked missing on its own and A swept a live node (this failed once
    // in a full run before the reads became one MGET; read together, the loss lands after
    // the read, and A's next upkeep finds its own key gone too). B is cut off meanwhile, so
    // that it cannot write its key back before A reads it.
    const client = createClient({ url: bed.redis.url });
    await client.connect();
    let ownKey: string | null = null;
    /** The connection whose next command the deletion goes before, once A read its own key. */
    let deleteBeforeNextOn: Socket | null = null;
    let deleted = false;
    const keys: string[] = [];
    const pathA = await cuttablePath(bed.redis.port, async (chunk, connection) => {
      if (deleted) return;
      if (deleteBeforeNextOn === connection) {
        assert.equal(await client.del(keys), 2);
        deleted = true;
        return;
      }
      const text = chunk.toString('latin1');
      // A's upkeep reading its own key (EXISTS before 86b106a, the MGET of every alive key
      // since); the heartbeat's SET on the thread's connection writes it, and is not matched.
      if (ownKey !== null && /EXISTS|MGET/i.test(text) && text.includes(ownKey)) deleteBeforeNextOn = connection;
    });
    try {
      await keysLostWhileBIsAway(pathA.url, keys, async () => {
        ownKey = keys[0] ?? null;
        await until(() => deleted, "every key deleted between A's reads", 10_000);
      });
    } finally {
      pathA.close();
      await client.quit();
    }
  });
});

describe("every alive key lost, and written anew by the node's heartbeat thread before its upkeep reads it", () => {
  test('the node does not take the other for dead before the thread reports the lapse', async () => {
    // The order a clean clone's run once met by chance, made on purpose: every key is deleted
    // just before A's heartbeat thread beats, so that beat writes A's key anew; its reply (and
    // so the thread's report that the key had lapsed) is held until A's main thread has read
    // the keys. A's own key is there then, B's is not (B is cut off): only the key's new
    // generation tells A that its key lapsed too. Without it, A swept live B at once (and so
    // it did when A's main thread, the thread's beats late, beat itself and heard the new
    // generation while its upkeep was waiting for the read: that lapse must count too).
    const client = createClient({ url: bed.redis.url });
    await client.connect();
    const keys: string[] = [];
    let armed = false;
    /** A's main connection (it reads the alive keys) and its heartbeat thread's (it beats). */
    let mainConnection: Socket | null = null;
    let threadConnection: Socket | null = null;
    /**
     * watching: until both connections are known; deleted: every key gone, the thread's beat
     * on its way; rewritten: the beat wrote A's key anew (its answer held); reading: A's main
     * connection asked for the keys; read: it was answered; done: it sent its next command
     * (the read was acted on: a sweep's lock, or the next upkeep), and the answer is let go.
     */
    let phase: 'watching' | 'deleted' | 'rewritten' | 'reading' | 'read' | 'done' = 'watching';
    let releaseReport: () => void = () => {};
    const reportReleased = new Promise<void>((resolve) => {
      releaseReport = resolve;
    });
    const pathA = await cuttablePath(
      bed.redis.port,
      async (chunk, connection) => {
        const text = chunk.toString('latin1');
        if (connection === mainConnection && phase === 'read') {
          phase = 'done';
          return releaseReport();
        }
        if (!armed || !text.includes(keys[0] ?? '\0')) return;
        if (/MGET/i.test(text)) {
          mainConnection = connection;
          if (phase === 'rewritten') phase = 'reading';
          return;
        }
        if (connection === mainConnection) return;
        threadConnection = connection;
        // The thread's beat: every key goes just before it, once A's reads are known.
        if (phase === 'watching' && mainConnection !== null) {
          assert.equal(await client.del(keys), 2);
          phase = 'deleted';
        }
      },
      async (_chunk, connection) => {
        if (connection === mainConnection && phase === 'reading') phase = 'read';
        if (connection !== threadConnection || phase === 'watching' || phase === 'done') return;
        if (phase === 'deleted') phase = 'rewritten';
        await reportReleased;
      },
    );
    try {
      await keysLostWhileBIsAway(pathA.url, keys, async () => {
        armed = true;
        await until(() => phase === 'done', "A's read between the key's rewrite and the thread's report", 10_000);
      });
    } finally {
      releaseReport();
      pathA.close();
      await client.quit();
    }
  });
});
