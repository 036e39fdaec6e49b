// A call tile's Full screen (view/full-screen.ts): the tile where elements go full screen, the
// <video> alone where only that can (an iPhone's Safari), no button where neither can.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fullScreenWay } from '../../client/view/full-screen.ts';

test('the tile goes full screen where elements can', async () => {
  const asked: unknown[] = [];
  const root = {
    requestFullscreen(this: unknown) {
      asked.push(this);
      return Promise.reject(new Error('not now'));
    },
  };
  const video = { webkitEnterFullscreen: () => assert.fail('the tile, not its video') };
  const go = fullScreenWay(root, video, true);
  assert.ok(go);
  go();
  assert.deepEqual(asked, [root], 'asked of the tile itself');
  await new Promise((resolve) => setImmediate(resolve)); // a refusal is swallowed, not thrown
});

test('on an iPhone (no element full screen), the video plays full screen in the system player', () => {
  let entered = 0;
  const video = {
    webkitEnterFullscreen(this: unknown) {
      assert.equal(this, video);
      entered += 1;
    },
  };
  const go = fullScreenWay({}, video, undefined);
  assert.ok(go);
  go();
  assert.equal(entered, 1);
  // Before its first frame Safari throws: the tap does nothing, and nothing breaks.
  const early = fullScreenWay(
    {},
    {
      webkitEnterFullscreen() {
        throw new Error('InvalidStateError');
      },
    },
    undefined,
  );
  assert.doesNotThrow(() => early?.());
});

test('where neither works (or full screen is not allowed and the video has no way), no button is offered', () => {
  assert.equal(fullScreenWay({}, {}, undefined), null);
  assert.equal(fullScreenWay({ requestFullscreen: () => Promise.resolve() }, {}, false), null);
});
