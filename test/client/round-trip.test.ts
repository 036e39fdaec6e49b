// client/round-trip.ts: a link reports the median of its last three round trips, so one odd
// reading never reaches the member list; a reported round trip counts as changed only past
// 2 ms or 10 % of the one kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRoundTripFilter, sameRoundTrip } from '../../client/round-trip.ts';

test('one spike among steady readings is never reported; a lasting change is, from its second reading', () => {
  const filter = createRoundTripFilter();
  const path = 'host|host';
  assert.deepEqual(
    [1, 1, 12, 1, 1, 15, 1, 1].map((ms) => filter.add(ms, path)),
    [1, 1, 1, 1, 1, 1, 1, 1],
  );
  assert.deepEqual(
    [40, 40, 40].map((ms) => filter.add(ms, path)),
    [1, 40, 40],
  );
});

test('the first reading is reported as it is; of two, the lower', () => {
  const filter = createRoundTripFilter();
  assert.equal(filter.add(30, 'a'), 30);
  assert.equal(filter.add(50, 'a'), 30);
  assert.equal(filter.add(45, 'a'), 45);
});

test('another path starts afresh; a reading with no round trip changes nothing, and before any reports none', () => {
  const filter = createRoundTripFilter();
  filter.add(5, 'host|host');
  filter.add(5, 'host|host');
  assert.equal(
    filter.add(80, 'relay|host'),
    80,
    'the relayed path’s own round trip, not the median with the direct one',
  );
  assert.equal(filter.add(null, 'relay|host'), 80, 'one missing reading: what was shown stays');
  assert.equal(filter.add(82, 'relay|host'), 80);
  assert.equal(createRoundTripFilter().add(null, 'host|host'), null);
});

test('a round trip is the same within 2 ms, or within 10 % above 20 ms; unknown is the same only as unknown', () => {
  assert.equal(sameRoundTrip(1, 3), true);
  assert.equal(sameRoundTrip(1, 4), false);
  assert.equal(sameRoundTrip(0, 2), true);
  assert.equal(sameRoundTrip(50, 55), true);
  assert.equal(sameRoundTrip(50, 56), false);
  assert.equal(sameRoundTrip(50, 44), false);
  assert.equal(sameRoundTrip(null, null), true);
  assert.equal(sameRoundTrip(null, 3), false);
  assert.equal(sameRoundTrip(3, null), false);
});
