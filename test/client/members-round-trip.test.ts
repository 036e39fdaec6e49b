// How the member list writes a round trip, the same for a direct link and a route through a
// member: whole ms, "<1 ms" below one (a relayed member read "via carol · 0 ms" beside a direct
// one's "<1 ms").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roundTrip } from '../../client/view/members.ts';

test('a round trip reads in whole ms, "<1 ms" below one, and nothing when unknown', () => {
  assert.equal(roundTrip(null), '');
  assert.equal(roundTrip(0), ' · <1 ms');
  assert.equal(roundTrip(1), ' · 1 ms');
  assert.equal(roundTrip(37), ' · 37 ms');
});
