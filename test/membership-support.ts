// What the membership tests share (membership*.test.ts, split by concern so that node's
// runner can run them side by side: one file of them took 86 s alone, most of it waiting
// out heartbeat windows): a redis-server of the file's own, the stores a test opened (closed
// after each test), and stores on that Redis with the tests' short timeout and heartbeat.
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { createClient } from '@redis/client';
import { createLogger } from '../server/logger.ts';
import type { MembershipStore } from '../server/membership.ts';
import { createRedisMembership, type RedisMembership } from '../server/membership-redis.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';
import { closeAll, newRoomId } from './support.ts';

export const logger = createLogger('silent');
export const TIMEOUT_MS = 400;
export const HEARTBEAT_MS = 200;

export const claim = (peerId: string, name: string, socketId = `s-${peerId}`) => ({ peerId, name, socketId });

export interface MembershipBed {
  /** The file's redis-server (started before its first test). */
  readonly redis: RedisProcess;
  /** Stores a test opened itself: closed after it, with those redisStore opened. */
  readonly stores: MembershipStore[];
  redisStore(
    gone?: (roomId: string, ids: string[]) => void,
    url?: string,
    heartbeatMs?: number,
    nameHoldMs?: number,
  ): Promise<RedisMembership>;
  twoNodesInOneRoom(
    urlA: string,
    urlB: string,
    heartbeatMs: number,
  ): Promise<{ a: RedisMembership; b: RedisMembership; room: string; goneHere: () => string[] }>;
}

/** Registers the file's hooks (its Redis, closing what each test opened); call once, at the top. */
export function membershipBed(): MembershipBed {
  let redis: RedisProcess | null = null;
  const theRedis = (): RedisProcess => {
    if (redis === null) throw new Error('the membership tests’ redis-server is not started (before())');
    return redis;
  };
  const stores: MembershipStore[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis?.stop());
  afterEach(closeAll);
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  async function redisStore(
    gone: (roomId: string, ids: string[]) => void = () => {},
    url = theRedis().url,
    heartbeatMs = HEARTBEAT_MS,
    nameHoldMs?: number,
  ): Promise<RedisMembership> {
    const store = createRedisMembership({
      target: { kind: 'single', url },
      logger,
      timeoutMs: TIMEOUT_MS,
      onGone: gone,
      onBack: () => {},
      heartbeatMs,
      ...(nameHoldMs !== undefined && { nameHoldMs }),
    });
    stores.push(store);
    assert.equal(await store.ready(3_000), true);
    return store;
  }

  /**
   * Two nodes (stores) with a member each in one new room, and what they announced as gone
   * there (a sweep of a live node is the defect the tests below look for).
   */
  async function twoNodesInOneRoom(urlA: string, urlB: string, heartbeatMs: number) {
    const gone: Array<[string, string[]]> = [];
    const a = await redisStore((roomId, ids) => gone.push([roomId, ids]), urlA, heartbeatMs);
    const b = await redisStore((roomId, ids) => gone.push([roomId, ids]), urlB, heartbeatMs);
    const room = newRoomId();
    await a.admit(room, claim('on-a', 'On A'), 6);
    await b.admit(room, claim('on-b', 'On B'), 6);
    // Each node records the rooms it holds after the admission, fire and forget: a sweep
    // finds a node's members through that record, so the tests start once both are written.
    const raw = createClient({ url: theRedis().url });
    await raw.connect();
    try {
      const recorded = async () =>
        (await Promise.all([a, b].map((node) => raw.sIsMember(`roomlink:node:${node.nodeId}:rooms`, room)))).every(
          (isMember) => Boolean(isMember),
        );
      const deadline = Date.now() + 5_000;
      while (!(await recorded())) {
        if (Date.now() > deadline) throw new Error('the nodes did not record their room');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      raw.destroy();
    }
    const goneHere = () => gone.filter(([roomId]) => roomId === room).flatMap(([, ids]) => ids);
    return { a, b, room, goneHere };
  }

  return {
    get redis() {
      return theRedis();
    },
    stores,
    redisStore,
    twoNodesInOneRoom,
  };
}
