// Revoked resume tickets across nodes (server/resume-revocations.ts), on a real
// redis-server: a leave on one node stops the ticket on the others, also when it came while
// Redis was away, or before Redis restarted empty — the node writes its revocations back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLogger } from '../server/logger.ts';
import { createRedisRevocations, type TicketRevocations } from '../server/resume-revocations.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';

const logger = createLogger('silent');
let redis: RedisProcess;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

/** Until `check` holds (Redis answers a few ms after a reconnect), or fails after 10 s. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('a revocation reaches the other node after Redis restarted empty, and one made while Redis was away too', async () => {
  const target = { kind: 'single', url: redis.url } as const;
  const open = (): TicketRevocations =>
    createRedisRevocations({ target, logger, lifetimeMs: 86_400_000, timeoutMs: 2_000 });
  const a = open();
  const b = open();
  try {
    await eventually(async () => {
      await a.revoke('room', 'written');
      return b.revoked('room', 'written');
    }, 'the first revocation seen by B');
    await redis.stop();
    await a.revoke('room', 'while-away');
    assert.equal(await a.revoked('room', 'while-away'), true, 'A knows its own at once');
    await redis.start();
    await eventually(() => b.revoked('room', 'written'), 'the revocation Redis lost, written back');
    await eventually(() => b.revoked('room', 'while-away'), 'the revocation made while Redis was away');
    assert.equal(await b.revoked('room', 'never'), false);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
