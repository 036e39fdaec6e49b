import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { routeKey } from '../../client/route-key.ts';

test('a room routing key is four hex digits, the same for every member of the room', () => {
  const roomId = randomBytes(16).toString('base64url').slice(0, 21);
  assert.match(routeKey(roomId), /^[0-9a-f]{4}$/);
  assert.equal(routeKey(roomId), routeKey(`${roomId}`));
  assert.notEqual(routeKey('a'), routeKey('b'));
});

test('room ids spread evenly over the keys, so that the rooms spread over the nodes', () => {
  // What nginx's consistent hash sees: 20,000 rooms over 16 equal buckets of the key space.
  const buckets = new Array<number>(16).fill(0);
  for (let i = 0; i < 20_000; i++) {
    const key = routeKey(randomBytes(16).toString('base64url').slice(0, 21));
    buckets[Number.parseInt(key[0] ?? '0', 16)] = (buckets[Number.parseInt(key[0] ?? '0', 16)] ?? 0) + 1;
  }
  // 1,250 expected in each; ±15 % is over 8 standard deviations.
  for (const count of buckets) assert.ok(count > 1_060 && count < 1_440, `bucket of ${count}`);
});
