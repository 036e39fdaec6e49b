// Who keeps sending video when more members than the cap turned theirs on at the same moment
// (client/calls/video-order.ts): every page orders the same claims alike, so exactly the
// latest yield; a claim heard too long after our own video went on, or none, is never one our
// video yields to, so a member lying about its time cannot push an honest member's camera off;
// nor can it veto one again and again, turning its own on and off at each honest one's moment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SAME_MOMENT_MS, type VideoClaim, YIELD_AGAIN_MS, yieldTo } from '../../client/calls/video-order.ts';

/** A member whose video went on at `since` (its clock), as a page heard it at `heardAt` (its own). */
const claim = (id: string, since: number | undefined, heardAt: number): VideoClaim => ({
  id,
  name: id,
  since,
  heardAt,
});

test('three cameras on at the same moment past a cap of two: every page finds the same one yields, the latest by its claim', () => {
  // Each turned on by its own clock at these times; each page heard the others' within a second
  // of its own (monotonic clocks that have nothing to do with one another).
  const since = { alice: 1_000, bob: 1_200, carol: 1_100 };
  const onAt = { alice: 50, bob: 7_000, carol: 300 };
  const yields = (Object.keys(since) as (keyof typeof since)[]).filter((self) => {
    const others = (Object.keys(since) as (keyof typeof since)[])
      .filter((other) => other !== self)
      .map((other) => claim(other, since[other], onAt[self] + 400));
    return yieldTo({ id: self, since: since[self], onAt: onAt[self] }, others, 2) !== null;
  });
  assert.deepEqual(yields, ['bob']);
  // Bob is told whom his camera went off for: the one heard last among those before him.
  const toBob = yieldTo(
    { id: 'bob', since: 1_200, onAt: 0 },
    [claim('alice', 1_000, 300), claim('carol', 1_100, 200)],
    2,
  );
  assert.equal(toBob?.name, 'alice');
});

test('claims of the same time are ordered by peer id, alike on every page', () => {
  const ids = ['b-peer', 'a-peer', 'c-peer'];
  const yields = ids.filter(
    (self) =>
      yieldTo(
        { id: self, since: 5_000, onAt: 0 },
        ids.filter((other) => other !== self).map((other) => claim(other, 5_000, 100)),
        2,
      ) !== null,
  );
  assert.deepEqual(yields, ['c-peer']);
  // Below the cap nobody yields.
  assert.equal(yieldTo({ id: 'c-peer', since: 5_000, onAt: 0 }, [claim('a-peer', 5_000, 100)], 2), null);
});

test('a member that claims the earliest time but whose video went on well after ours does not push ours off', () => {
  const own = { id: 'alice', since: 1_000_000, onAt: 10_000 };
  // Bob's camera has been on since before Alice's; Mallory turns hers on a minute after
  // Alice's, claiming the dawn of time, past a cap of two.
  const bob = claim('bob', 900_000, 2_000);
  const mallory = claim('mallory', 0, 70_000);
  assert.equal(yieldTo(own, [bob, mallory], 2), null, 'Alice keeps her camera');
  // Just past the same moment, all the same.
  assert.equal(yieldTo(own, [bob, { ...mallory, heardAt: own.onAt + SAME_MOMENT_MS + 1 }], 2), null);
  // Within it, the claim is taken as a member's at the same moment: which an honest one's is.
  assert.equal(yieldTo(own, [bob, { ...mallory, heardAt: own.onAt + SAME_MOMENT_MS }], 2)?.id, 'mallory');
});

test('a member heard on before our video went on is taken at its word; one that says no time (an older page) never ranks before us', () => {
  const own = { id: 'bob', since: 2_000, onAt: 10_000 };
  assert.equal(yieldTo(own, [claim('alice', 1_000, 9_000)], 1)?.id, 'alice');
  assert.equal(yieldTo(own, [claim('alice', undefined, 9_000)], 1), null);
  // One whose claim is later than ours ranks after us, however early we heard it.
  assert.equal(yieldTo(own, [claim('alice', 3_000, 9_000)], 1), null);
});

test('a member that made our video yield and turned its own on anew within YIELD_AGAIN_MS is not yielded to again, whatever it claims', () => {
  // Bob's camera is on; Mallory watches for cameras going on past a cap of two, turns hers on
  // at once claiming an early time, and off again once ours yielded.
  const bob = claim('bob', 500, 0);
  const first = { id: 'alice', since: 1_000_000, onAt: 10_000 };
  const mallory = claim('mallory', 1, 10_200);
  assert.equal(yieldTo(first, [bob, mallory], 2)?.id, 'mallory', 'the first time, as a claim of our moment');
  const yields = new Map([['mallory', 10_200]]);
  // Alice turns hers on again a minute later; Mallory does the same at once.
  const again = { id: 'alice', since: 1_060_000, onAt: 70_000 };
  assert.equal(yieldTo(again, [bob, claim('mallory', 1, 70_200)], 2, yields), null, 'ours keeps on');
  // Her video that made ours yield still counts, had she kept it on (it is the slot she took).
  assert.equal(yieldTo(again, [bob, mallory], 2, yields)?.id, 'mallory');
  // One of hers turned on anew but heard before ours went on is a slot she holds, counted as ever.
  assert.equal(yieldTo(again, [claim('mallory', 1, 69_000), claim('carol', 2, 70_300)], 2, yields)?.id, 'carol');
  // Another member at our moment is yielded to as ever.
  assert.equal(yieldTo(again, [bob, mallory, claim('carol', 2, 70_300)], 2, yields)?.id, 'carol');
  // Once YIELD_AGAIN_MS have passed since ours yielded, she may make it yield once more.
  const later = { id: 'alice', since: 2_000_000, onAt: 10_200 + YIELD_AGAIN_MS };
  assert.equal(yieldTo(later, [bob, claim('mallory', 1, later.onAt + 100)], 2, yields)?.id, 'mallory');
});
