// watchGoingUp (client/view/reader-intent.ts): a wheel turned up or a finger drawn down on the
// chat's list is the reader going up, known before any scroll, unless the list is at its top
// already. Zooming, a tap and a pinch are not. Keys are the current line's (list-focus.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchGoingUp } from '../../client/view/reader-intent.ts';

/** A list watched by watchGoingUp, where the test says whether it is at its top. */
function list(list: EventTarget = new EventTarget()) {
  const state = { atTop: false, calls: 0 };
  watchGoingUp(
    list,
    () => !state.atTop,
    () => state.calls++,
  );
  return { state, send: (event: Event) => list.dispatchEvent(event) };
}

const wheel = (deltaY: number, ctrlKey = false): Event => Object.assign(new Event('wheel'), { deltaY, ctrlKey });

/** A touch event with a finger at each of `ys` (none: the last finger lifted). */
const touch = (type: 'touchstart' | 'touchmove', ...ys: number[]): Event =>
  Object.assign(new Event(type), { touches: ys.map((clientY) => ({ clientY })) });

test('a wheel turned up is the reader going up', () => {
  const { state, send } = list();
  send(wheel(-100));
  assert.equal(state.calls, 1);
});

test('a wheel turned down, or sideways, is not', () => {
  const { state, send } = list();
  send(wheel(100));
  send(wheel(0));
  assert.equal(state.calls, 0);
});

test('a wheel turned up with Ctrl zooms the page: not going up', () => {
  const { state, send } = list();
  send(wheel(-100, true));
  assert.equal(state.calls, 0);
});

test('keys are not watched here: a key moves the current line, which says so itself', () => {
  const { state, send } = list();
  for (const name of ['ArrowUp', 'PageUp', 'Home']) send(Object.assign(new Event('keydown'), { key: name }));
  assert.equal(state.calls, 0);
});

test('a list at its top cannot go up: wheel and finger say nothing, until it has scrolled down', () => {
  const { state, send } = list();
  state.atTop = true;
  send(wheel(-100));
  send(touch('touchstart', 100));
  send(touch('touchmove', 200));
  assert.equal(state.calls, 0);
  state.atTop = false;
  send(wheel(-100));
  assert.equal(state.calls, 1, 'asked at each event, not once');
});

test('a finger drawn down less than the slop is a tap; from 10 px on it is going up, once per touch', () => {
  const { state, send } = list();
  send(touch('touchstart', 100));
  send(touch('touchmove', 109));
  assert.equal(state.calls, 0, '9 px: a tap');
  send(touch('touchmove', 110));
  assert.equal(state.calls, 1, '10 px: a drag');
  send(touch('touchmove', 150));
  send(touch('touchmove', 300));
  assert.equal(state.calls, 1, 'the rest of the same touch says nothing more');
  send(touch('touchstart', 100));
  send(touch('touchmove', 120));
  assert.equal(state.calls, 2, 'a new touch can say it again');
});

test('a finger drawn up is not going up', () => {
  const { state, send } = list();
  send(touch('touchstart', 300));
  send(touch('touchmove', 250));
  send(touch('touchmove', 100));
  assert.equal(state.calls, 0);
});

test('a finger drawn up, then down past the slop from its highest point, is going up', () => {
  const { state, send } = list();
  send(touch('touchstart', 300));
  send(touch('touchmove', 270));
  send(touch('touchmove', 279));
  assert.equal(state.calls, 0, '9 px below the highest point');
  // Still 18 px above where the touch started.
  send(touch('touchmove', 282));
  assert.equal(state.calls, 1);
});

test('two fingers pinch: not going up', () => {
  const { state, send } = list();
  send(touch('touchstart', 100, 300));
  send(touch('touchmove', 150, 400));
  assert.equal(state.calls, 0, 'two fingers from the start');
  send(touch('touchstart', 100));
  send(touch('touchmove', 150, 400));
  assert.equal(state.calls, 0, 'a second finger put down during the touch');
});

test('a touch that starts with two fingers and goes on with one does not go by an earlier touch', () => {
  const { state, send } = list();
  // A tap: its start is where the last one-finger touch began.
  send(touch('touchstart', 100));
  send(touch('touchstart', 100, 300));
  send(touch('touchmove', 200));
  assert.equal(state.calls, 0);
});

test('the wheel and touch listeners are passive: they never hold up the scroll', () => {
  const passive = new Map<string, unknown>();
  class Recording extends EventTarget {
    override addEventListener(
      type: string,
      listener: EventListenerOrEventListenerObject | null,
      options?: AddEventListenerOptions | boolean,
    ): void {
      passive.set(type, typeof options === 'object' ? options.passive : undefined);
      super.addEventListener(type, listener, options);
    }
  }
  list(new Recording());
  for (const type of ['wheel', 'touchstart', 'touchmove']) assert.equal(passive.get(type), true, type);
});
