// What a member's hello says of the channel protocol it speaks, as features see it: nothing
// before its first hello, and the last one said, on any link: a link replaced after a reload
// keeps it until the new link's hello (features send newer fields only to members that say so).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMesh } from '../../client/mesh.ts';
import type { IncomingSignal } from '../../protocol/index.ts';
import { fakeLinkConfig, fakeLinks, noFeatures, trustingHandshake } from './fakes.ts';

const ALICE = 'aaaaaaaaaaaa';
/** Sorts after Alice: waits for her offers. */
const SELF = 'bbbbbbbbbbbb';
const offer = (sdp: string): IncomingSignal => ({ from: ALICE, description: { type: 'offer', sdp } });

test('a member speaks the version its latest hello said: none before one, the last one while a new link has not said it', () => {
  const { factory, made } = fakeLinks();
  const mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake: trustingHandshake,
    router: noFeatures,
    sendSignal: () => {},
    changed: () => {},
    notice: () => {},
  });
  mesh.setSelf(SELF);
  mesh.signal(offer('first-session'));
  mesh.peerJoined({ id: ALICE, name: 'Alice' });
  assert.equal(mesh.member(ALICE)?.version, null, 'no hello heard yet');
  made[0]?.openChannel();
  made[0]?.deliver({ t: 'hello', v: 3 });
  assert.equal(mesh.member(ALICE)?.version, 3);
  // She reloads: a new session, a new link, the same member object.
  mesh.signal(offer('after-reload'));
  assert.equal(made.length, 2);
  assert.equal(mesh.member(ALICE)?.version, 3, 'kept while the new link has not said hello');
  made[1]?.openChannel();
  made[1]?.deliver({ t: 'hello', v: 2 });
  assert.equal(mesh.member(ALICE)?.version, 2);
});
