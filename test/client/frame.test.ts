// perFrame (client/view/frame.ts): however many changes ask for a draw, one draw comes, on the
// next frame or, where no frame comes (a hidden tab), from its timer; now() draws at once.
// requestAnimationFrame is a stand-in here: Node has none.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { perFrame } from '../../client/view/frame.ts';

let frames = new Map<number, FrameRequestCallback>();
let nextFrame = 1;
const runFrames = () => {
  const due = [...frames.values()];
  frames = new Map();
  for (const callback of due) callback(0);
};

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout'] });
  frames = new Map();
  Object.assign(globalThis, {
    requestAnimationFrame: (callback: FrameRequestCallback) => {
      frames.set(nextFrame, callback);
      return nextFrame++;
    },
    cancelAnimationFrame: (id: number) => frames.delete(id),
  });
});
afterEach(() => mock.timers.reset());

test('many changes before a frame make one draw, on that frame, and the timer then does nothing', () => {
  let draws = 0;
  const draw = perFrame(() => draws++);
  for (let i = 0; i < 10; i++) draw();
  assert.equal(draws, 0);
  runFrames();
  assert.equal(draws, 1);
  mock.timers.tick(1_000);
  assert.equal(draws, 1, 'the fallback timer was cleared');
  draw();
  runFrames();
  assert.equal(draws, 2, 'a later change draws again');
});

test('without frames (a hidden tab) the timer draws', () => {
  let draws = 0;
  const draw = perFrame(() => draws++);
  draw();
  draw();
  mock.timers.tick(99);
  assert.equal(draws, 0);
  mock.timers.tick(1);
  assert.equal(draws, 1);
  runFrames();
  assert.equal(draws, 1, 'the frame was cancelled');
});

test('now() draws at once and drops the pending draw', () => {
  let draws = 0;
  const draw = perFrame(() => draws++);
  draw();
  draw.now();
  assert.equal(draws, 1);
  runFrames();
  mock.timers.tick(1_000);
  assert.equal(draws, 1);
});
