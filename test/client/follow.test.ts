// createFollow (client/view/follow.ts): the chat keeps following its newest line while the
// list grows below the view, and stops only when the reader scrolls up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFollow } from '../../client/view/follow.ts';

const SLACK = 48;
const unmeasured = () => assert.fail('measured the page while nothing asked for it');

test('lines that come, or grow, between our scroll and its event do not stop the following', () => {
  const follow = createFollow(SLACK);
  follow.followed(1_000);
  // Two lines came after our scroll: the bottom is now 130 px below the view, more than the
  // slack, but the reader did not move. Nor does the page measure itself to find that out.
  follow.scrolled(1_000, unmeasured);
  assert.equal(follow.following, true);
  follow.followed(1_130);
  follow.scrolled(1_130, unmeasured);
  assert.equal(follow.following, true);
});

test('scrolling up stops the following, until the reader is back at the bottom', () => {
  const follow = createFollow(SLACK);
  follow.followed(1_000);
  follow.scrolled(600, () => 400);
  assert.equal(follow.following, false);
  // Down again, but not to the bottom: still reading back.
  follow.scrolled(800, () => 200);
  assert.equal(follow.following, false);
  follow.scrolled(990, () => 10);
  assert.equal(follow.following, true);
  // A nudge up from there, within the slack, keeps following.
  follow.scrolled(970, () => 30);
  assert.equal(follow.following, true);
});

test('the list moving up under a reader at the bottom (old lines removed) keeps the following', () => {
  const follow = createFollow(SLACK);
  follow.followed(5_000);
  // The oldest lines went; the browser kept the view on the same lines, so the offset fell.
  follow.scrolled(4_800, () => 0);
  assert.equal(follow.following, true);
  // From there on that is the offset the reader is judged against.
  follow.scrolled(4_800, unmeasured);
  assert.equal(follow.following, true);
});

test('a page starts out following', () => {
  assert.equal(createFollow(SLACK).following, true);
});

test('lines going off the top while new ones wait below do not stop the following', () => {
  const follow = createFollow(SLACK);
  follow.followed(20_000);
  // A hundred lines went off the page: the browser moved the offset down by their height, and
  // the lines that came with them are below the view, not scrolled to yet.
  follow.shifted();
  follow.scrolled(13_000, unmeasured);
  assert.equal(follow.following, true);
  // Judged from the new offset on: a reader scrolling up from there stops it.
  follow.scrolled(12_000, () => 900);
  assert.equal(follow.following, false);
});

test('a shift while reading back does not make the chat follow again', () => {
  const follow = createFollow(SLACK);
  follow.followed(5_000);
  follow.scrolled(3_000, () => 2_000);
  follow.shifted();
  follow.scrolled(2_500, () => 2_000);
  assert.equal(follow.following, false);
});

test('a wheel turned up stops the following before its scroll: the first steps of the scroll, within the slack, do not start it again', () => {
  const follow = createFollow(SLACK);
  follow.followed(1_000);
  follow.leaving();
  assert.equal(follow.following, false);
  // The browser's animation of the wheel: the first frames move a few px up.
  follow.scrolled(994, () => 6);
  follow.scrolled(975, () => 25);
  assert.equal(follow.following, false, 'still going up, however near the bottom');
  follow.scrolled(500, () => 500);
  assert.equal(follow.following, false);
  // Back down to the bottom: following again.
  follow.scrolled(990, () => 10);
  assert.equal(follow.following, true);
});

test('a reader not following whose list grew taller, clamping the offset to the very bottom, follows again', () => {
  const follow = createFollow(SLACK);
  follow.followed(1_000);
  follow.scrolled(960, () => 40);
  follow.leaving();
  assert.equal(follow.following, false);
  // The keyboard closed: the list is taller, the browser moved the offset up to its end.
  follow.scrolled(900, () => 0);
  assert.equal(follow.following, true);
});

test('our move keeping the bottom line in place, as the list gets lower or taller, is not the reader coming back down', () => {
  const follow = createFollow(SLACK);
  follow.followed(1_000);
  follow.leaving();
  follow.scrolled(980, () => 20);
  assert.equal(follow.following, false);
  // The keyboard opened: the list is 170 px lower, and its offset went down as much to keep the
  // line at the bottom of the view where it was: still 20 px from the bottom, within the slack.
  follow.kept();
  follow.scrolled(1_150, unmeasured);
  assert.equal(follow.following, false);
  // The reader's own scroll after it is judged as before.
  follow.scrolled(1_170, () => 0);
  assert.equal(follow.following, true);
});
