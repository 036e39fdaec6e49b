// Who is shown speaking in the call (client/view/call-speaking.ts), on a stand-in page
// (fake-dom.ts): a tile whose receiver's audio energy grows fast is speaking, unless its
// member is muted or one we ignore (ignored.ts), whatever arrives.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createCallSpeaking } from '../../client/view/call-speaking.ts';
import type { Tile } from '../../client/view/call-tile.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
beforeEach(() => {
  dom = installFakeDom(['call-status']);
});
afterEach(() => dom.restore());

/** A member's tile whose audio is loud at every read: its energy counters grow as a beep's would. */
function loudTile(name: string, ignored: boolean): Tile {
  let energy = 0;
  let duration = 0;
  const receiver = {
    track: { muted: false },
    async getStats() {
      energy += 0.05;
      duration += 0.2;
      return new Map([
        ['in', { type: 'inbound-rtp', kind: 'audio', totalAudioEnergy: energy, totalSamplesDuration: duration }],
      ]);
    },
  };
  const root = Object.assign(new FakeElement('figure'), { isConnected: true });
  root.dataset.muted = 'false';
  const caption = new FakeElement('span');
  caption.textContent = name;
  const look = {
    state: { inCall: true, audio: true, video: false, screen: false },
    relayed: false,
    heard: true,
    silence: 'theirs',
    ignored,
  } as const;
  return {
    root,
    sound: new FakeElement('audio'),
    name: caption,
    audio: receiver,
    energy: null,
    loudAt: Number.NEGATIVE_INFINITY,
    look: { ...look },
  } as unknown as Tile;
}

const polls = (n: number) => new Promise((resolve) => setTimeout(resolve, n * 200 + 100));

test('a member we ignore is never shown speaking, however loud what arrives; once we stop, it is', async () => {
  const status = new FakeElement('p');
  dom.byId('call-status').append(status);
  const bob = loudTile('bob', false);
  const mallory = loudTile('mallory', true);
  const speaking = createCallSpeaking(status as unknown as HTMLElement, () => [bob, mallory]);
  const names = () => (status.parentNode?.children[1]?.children[1] as FakeElement | undefined)?.textContent;
  speaking.follow(true);
  try {
    await polls(3);
    assert.equal(bob.root.dataset.speaking, 'true', 'bob speaks');
    assert.equal(mallory.root.dataset.speaking, 'false', 'mallory, ignored, does not');
    assert.equal(names(), 'bob');
    // Stop ignoring (the next drawing of its tile: call-tile.ts drawTile).
    mallory.look = { ...(mallory.look as NonNullable<Tile['look']>), ignored: false };
    await polls(3);
    assert.equal(mallory.root.dataset.speaking, 'true');
    assert.equal(names(), 'bob, mallory');
  } finally {
    speaking.follow(false);
  }
});
