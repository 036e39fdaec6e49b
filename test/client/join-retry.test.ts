// The pace of a join sent again after a refusal that waiting can end (client/join-retry.ts):
// soon at first, then less often, never further apart than the cap, each wait jittered
// between half of it and all of it, and never faster than the server's one join a second.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  JOIN_RETRY_FIRST_MS,
  JOIN_RETRY_MAX_MS,
  JOIN_RETRY_MIN_GAP_MS,
  joinRetryDelay,
  refusalPasses,
  SEAT_FREED_JITTER_MS,
  seatFreedDelay,
} from '../../client/join-retry.ts';

test('the waits grow from the first to the cap and stay there', () => {
  const longest = Array.from({ length: 12 }, (_, i) => joinRetryDelay(i + 1, 0.999_999));
  assert.equal(longest[0], JOIN_RETRY_FIRST_MS);
  for (let i = 1; i < longest.length; i++) assert.ok(longest[i]! >= longest[i - 1]!, `wait ${i + 1} is no shorter`);
  assert.ok(longest[1]! > longest[0]!, 'the second wait is longer than the first');
  assert.equal(longest.at(-1), JOIN_RETRY_MAX_MS);
  assert.ok(longest.every((ms) => ms <= JOIN_RETRY_MAX_MS));
});

test('each wait is drawn between half of it and all of it: pages refused together come back apart', () => {
  for (const refusals of [1, 2, 5, 40]) {
    const shortest = joinRetryDelay(refusals, 0);
    const longest = joinRetryDelay(refusals, 0.999_999);
    assert.equal(shortest, Math.round(longest / 2), `after ${refusals}`);
    const middle = joinRetryDelay(refusals, 0.5);
    assert.ok(shortest < middle && middle < longest);
  }
});

test('never more than one join a second, whatever the dice say', () => {
  for (const random of [0, -1, Number.NaN, 2]) {
    const ms = joinRetryDelay(1, random);
    assert.ok(ms >= JOIN_RETRY_MIN_GAP_MS, `${random}: ${ms}`);
    assert.ok(ms <= JOIN_RETRY_FIRST_MS);
  }
  assert.equal(joinRetryDelay(0, 0.999_999), JOIN_RETRY_FIRST_MS, 'a count of 0 is taken as the first');
});

test('a full room, a rate limit, a server going away or failing pass; a bad name or request does not', () => {
  for (const code of ['room_full', 'rate_limited', 'shutting_down', 'internal'] as const)
    assert.ok(refusalPasses(code));
  for (const code of ['invalid_name', 'invalid_room', 'bad_request', 'already_joined', 'name_taken'] as const) {
    assert.equal(refusalPasses(code), false, code);
  }
});

test('a freed seat is asked for at once, jittered, and never within a second of the last join', () => {
  assert.equal(seatFreedDelay(60_000, 0), 0, 'long after the last join: at once');
  assert.equal(seatFreedDelay(60_000, 0.999_999), SEAT_FREED_JITTER_MS);
  for (const random of [0, 0.5, 0.999_999, -1, Number.NaN, 2]) {
    for (const since of [0, 400, 999]) {
      const ms = seatFreedDelay(since, random);
      assert.ok(since + ms >= JOIN_RETRY_MIN_GAP_MS, `${since} ms after a join, ${random}: ${ms}`);
      assert.ok(ms <= JOIN_RETRY_MIN_GAP_MS - since + SEAT_FREED_JITTER_MS);
    }
  }
});
