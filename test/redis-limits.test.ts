// The pub/sub output buffer limit a node warns about (server/redis-limits.ts): the advice
// from CONFIG GET values, and a real redis-server's default and recommended settings.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from '@redis/client';
import { createRedisConnection } from '../server/cluster.ts';
import { configValue, pubSubLimitAdvice, RECOMMENDED_PUBSUB_LIMIT, watchPubSubLimit } from '../server/redis-limits.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';

const DEFAULTS = 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60';

test('the default pub/sub limit gets advice naming the setting; the recommended one, none, nor no limit', () => {
  const advice = pubSubLimitAdvice(DEFAULTS);
  assert.match(advice ?? '', /passes 32 MB or stays over 8 MB for 60 s/);
  assert.match(advice ?? '', new RegExp(`client-output-buffer-limit ${RECOMMENDED_PUBSUB_LIMIT}`));
  assert.equal(pubSubLimitAdvice('normal 0 0 0 slave 268435456 67108864 60 pubsub 268435456 67108864 60'), null);
  assert.equal(pubSubLimitAdvice('normal 0 0 0 replica 0 0 0 pubsub 0 0 0'), null);
  // A large hard limit does not excuse a small soft one that is enforced.
  assert.match(pubSubLimitAdvice('pubsub 0 8388608 60') ?? '', /backlog stays over 8 MB for 60 s:/);
  // A soft limit of 0 s is enforced as well (a subscriber is cut about a second over it).
  assert.match(pubSubLimitAdvice('pubsub 0 8388608 0') ?? '', /backlog stays over 8 MB for 1 s:/);
  assert.equal(pubSubLimitAdvice('garbage'), null);
});

test('both reply shapes of CONFIG GET are read; anything else is not', () => {
  assert.equal(configValue(['client-output-buffer-limit', DEFAULTS]), DEFAULTS);
  assert.equal(configValue({ 'client-output-buffer-limit': DEFAULTS }), DEFAULTS);
  assert.equal(configValue(null), null);
  assert.equal(configValue([1, 2]), null);
});

let redis: RedisProcess;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

/** The advice a fresh connection to the test's Redis gives, once it has asked (or null). */
async function adviceFromRedis(): Promise<string | null> {
  const connection = createRedisConnection({ kind: 'single', url: redis.url });
  let advice: string | null = null;
  const answered = watchPubSubLimit(connection, (text) => {
    advice = text;
  });
  await connection.connect();
  await answered;
  connection.destroy();
  return advice;
}

test('a real Redis: its default limit is warned about; once set as the README says, it is not', async () => {
  assert.match((await adviceFromRedis()) ?? '', /client-output-buffer-limit pubsub 256mb 64mb 60/);
  const admin = createClient({ url: redis.url });
  await admin.connect();
  try {
    await admin.configSet('client-output-buffer-limit', RECOMMENDED_PUBSUB_LIMIT);
  } finally {
    admin.destroy();
  }
  assert.equal(await adviceFromRedis(), null);
});
