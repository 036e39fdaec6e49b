// server/heartbeat.ts: the node's `alive` key is refreshed from a thread of its own, so a
// main thread busy past the key's TTL keeps it; one silent past the limit lets it expire.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from '@redis/client';
import { type BeatResult, startHeartbeat } from '../server/heartbeat.ts';
import { createLogger } from '../server/logger.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';
import { stall } from './stall.ts';

const INTERVAL_MS = 100;
const TTL_MS = 300;
/**
 * The TTL where beats must never lapse: a beat may come up to 900 ms late before the key
 * goes. With 300 ms, a machine whose two cores were also running browsers delayed one beat
 * past it (a fresh clone's `npm test`, beside other work) while the key was in no danger.
 */
const BUSY_TTL_MS = 1_000;

let redis: RedisProcess;
let client: ReturnType<typeof createClient>;
before(async () => {
  redis = await startRedis();
  client = createClient({ url: redis.url });
  await client.connect();
});
after(async () => {
  client.destroy();
  await redis.stop();
});

/** A heartbeat whose results are kept, once its thread has beaten. */
async function beating(key: string, mainSilenceLimitMs: number, ttlMs = TTL_MS) {
  const results: BeatResult[] = [];
  const heartbeat = startHeartbeat(
    { target: { kind: 'single', url: redis.url }, key, ttlMs, intervalMs: INTERVAL_MS, mainSilenceLimitMs },
    (result) => results.push(result),
    createLogger('silent'),
  );
  const deadline = Date.now() + 30_000;
  while (!results.some((r) => r.type === 'beat') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(
    results.some((r) => r.type === 'beat'),
    `the thread never beat: ${JSON.stringify(results)}`,
  );
  results.length = 0;
  return { heartbeat, results };
}

test('a main thread busy for twice the TTL: the key is refreshed all along and never lapses', async () => {
  const key = 'test:alive:busy';
  const { heartbeat, results } = await beating(key, 10_000, BUSY_TTL_MS);
  try {
    stall(2 * BUSY_TTL_MS);
    assert.ok((await client.pTTL(key)) > 0, 'the key expired while the main thread was busy');
    await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS));
    assert.ok(results.filter((r) => r.type === 'beat').length >= 12, `beats: ${JSON.stringify(results)}`);
    assert.deepEqual(
      results.filter((r) => r.type !== 'beat' || r.lapsed),
      [],
      'every beat found the key alive',
    );
    // A key that is there keeps its generation: only one written anew gets another.
    const generations = new Set(results.map((r) => (r.type === 'beat' ? r.generation : '')));
    assert.deepEqual([...generations], [await client.get(key)]);
  } finally {
    heartbeat.close();
  }
});

test('a main thread silent past the limit: the beats stop and the key expires, then resume', async () => {
  const key = 'test:alive:stuck';
  const limitMs = 3 * INTERVAL_MS;
  const { heartbeat, results } = await beating(key, limitMs);
  try {
    const generationBefore = await client.get(key);
    stall(limitMs + 4 * TTL_MS);
    // What the thread said meanwhile is read now that this thread runs.
    const deadline = Date.now() + 5_000;
    const held = () => results.findIndex((r) => r.type === 'held');
    const beatAfter = () => (held() < 0 ? undefined : results.slice(held()).find((r) => r.type === 'beat'));
    while (!beatAfter() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(held() >= 0, `results: ${JSON.stringify(results)}`);
    // Running again: the next beat finds the key gone, so it expired while the thread held
    // (found by the beat's own script, not by a separate read that a beat may precede), and
    // writes it under a new generation.
    const after = beatAfter();
    assert.equal(after?.type === 'beat' && after.lapsed, true, JSON.stringify(after));
    assert.ok(after?.type === 'beat' && after.generation !== generationBefore, 'a new generation');
  } finally {
    heartbeat.close();
  }
});

test('live() says whether the thread reports: false before its first beat and once closed', async () => {
  const heartbeat = startHeartbeat(
    {
      target: { kind: 'single', url: redis.url },
      key: 'test:alive:live',
      ttlMs: TTL_MS,
      intervalMs: INTERVAL_MS,
      mainSilenceLimitMs: 10_000,
    },
    () => {},
    createLogger('silent'),
  );
  // The thread loads and connects first (the main thread beats meanwhile: membership-upkeep.ts).
  assert.equal(heartbeat.live(), false);
  const deadline = Date.now() + 30_000;
  while (!heartbeat.live() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(heartbeat.live(), true);
  heartbeat.close();
  await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS));
  assert.equal(heartbeat.live(), false);
});
