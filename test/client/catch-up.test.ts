// When a page back from an outage of its own asks the room for what it missed, and from
// when: at once after its first outage, from shortly before it went away; a network that
// flaps gets one catch-up per gap at most, from its earliest outage not yet covered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATCH_UP_MARGIN_MS, CATCH_UP_MIN_GAP_MS, createCatchUpDecision } from '../../client/features/catch-up.ts';

function clock() {
  let ms = 1_000_000;
  return { wall: () => 1_700_000_000_000 + ms, now: () => ms, advance: (by: number) => (ms += by) };
}

test('no outage, nothing to catch up', () => {
  const decision = createCatchUpDecision(clock());
  assert.equal(decision.cameBack(), null);
  assert.equal(decision.run(), null);
});

test('back from an outage: a catch-up at once, of what was written since shortly before it began', () => {
  const time = clock();
  const decision = createCatchUpDecision(time);
  const wentAt = time.wall();
  decision.wentAway();
  time.advance(80_000);
  decision.wentAway(); // told again (the socket dropped too): still the same outage
  assert.deepEqual(decision.cameBack(), { since: wentAt - CATCH_UP_MARGIN_MS, afterMs: 0 });
  assert.equal(decision.run(), wentAt - CATCH_UP_MARGIN_MS);
  assert.equal(decision.cameBack(), null, 'caught up');
});

test('a flapping network: one catch-up per gap, covering every outage in it from the earliest', () => {
  const time = clock();
  const decision = createCatchUpDecision(time);
  decision.wentAway();
  decision.cameBack();
  decision.run();
  time.advance(5_000);
  const secondAt = time.wall();
  decision.wentAway();
  time.advance(2_000);
  assert.deepEqual(decision.cameBack(), { since: secondAt - CATCH_UP_MARGIN_MS, afterMs: CATCH_UP_MIN_GAP_MS - 7_000 });
  for (let i = 0; i < 5; i++) {
    time.advance(1_000);
    decision.wentAway();
    time.advance(1_000);
    assert.equal(decision.cameBack(), null, 'the one scheduled covers it');
  }
  assert.equal(decision.run(), secondAt - CATCH_UP_MARGIN_MS);
  assert.equal(decision.cameBack(), null);
});

test('away again when the scheduled catch-up runs: what is missed from then on is caught up once back', () => {
  const time = clock();
  const decision = createCatchUpDecision(time);
  decision.wentAway();
  decision.cameBack();
  decision.run();
  decision.wentAway();
  decision.cameBack();
  time.advance(10_000);
  decision.wentAway();
  time.advance(CATCH_UP_MIN_GAP_MS);
  const runAt = time.wall();
  decision.run();
  time.advance(5_000);
  assert.deepEqual(decision.cameBack(), { since: runAt - CATCH_UP_MARGIN_MS, afterMs: CATCH_UP_MIN_GAP_MS - 5_000 });
});
