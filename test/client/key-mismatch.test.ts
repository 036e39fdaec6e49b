// A room-key proof that fails (someone between us swapped a fingerprint) is a warning on the
// member's entry, never a chat line; the link is retried once with a fresh negotiation,
// then held as intercepted: closed, not made again, and nothing but link messages went.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineFeature, type MemberHandle } from '../../client/feature.ts';
import type { Handshake, MemberNoticeKind } from '../../client/member.ts';
import { createMesh } from '../../client/mesh.ts';
import { createRouter } from '../../client/router.ts';
import { fakeLinkConfig, fakeLinks } from './fakes.ts';

const OTHER = 'bbbbbbbbbbbb';

function harness(selfId: string) {
  const { factory, made } = fakeLinks();
  const opened: MemberHandle[] = [];
  const notices: MemberNoticeKind[] = [];
  const feature = defineFeature({
    name: 'chat',
    types: ['chat', 'ack'],
    receive: () => {},
    opened: (m) => opened.push(m),
  });
  const handshake: Handshake = {
    canProve: true,
    hello: async () => ({ t: 'hello', v: 2, proof: 'p' }),
    check: async () => 'mismatch',
  };
  const mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake,
    router: createRouter([feature]),
    sendSignal: () => {},
    changed: () => {},
    notice: (notice) => {
      if (notice.kind === 'intercepted') notices.push(notice.kind);
    },
  });
  mesh.setSelf(selfId);
  mesh.peerJoined({ id: OTHER, name: 'Bob' });
  return { mesh, made, opened, notices, reason: () => mesh.members()[0]?.reason?.code ?? null };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('the side that offers first retries on a fresh link once, then holds it as intercepted', async () => {
  const { mesh, made, opened, notices, reason } = harness('aaaaaaaaaaaa');
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'forged' });
  await settle();
  assert.equal(made.length, 2, 'a fresh link (a new negotiation) after the first mismatch');
  assert.equal(made[0]?.closed, true);
  assert.equal(reason(), 'room-key-mismatch', 'a warning on the entry meanwhile');
  assert.deepEqual(notices, [], 'not held yet');

  made[1]?.openChannel();
  await settle();
  made[1]?.deliver({ t: 'hello', v: 2, proof: 'forged again' });
  await settle();
  assert.equal(made.length, 2, 'no third link');
  assert.equal(made[1]?.closed, true);
  assert.equal(reason(), 'intercepted');
  assert.deepEqual(notices, ['intercepted']);
  assert.deepEqual(opened, [], 'features never heard of the link');
  assert.equal(mesh.member(OTHER)?.send({ t: 'chat', id: 'abcdefghij01', ts: 1, text: 'hi' }), false);
  // A later offer from it does not bring the link back.
  mesh.signal({ from: OTHER, description: { type: 'offer', sdp: 'another session' } });
  assert.equal(made.length, 2);
  for (const link of made)
    assert.deepEqual(
      link.sent.map((m) => m.t),
      ['hello'],
    );
});

test('the side that waits for offers keeps the warning until the fresh offer, then holds', async () => {
  const { mesh, made, notices, reason } = harness('cccccccccccc');
  mesh.signal({ from: OTHER, description: { type: 'offer', sdp: 'first session' } });
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'forged' });
  await settle();
  assert.equal(made.length, 1, 'the offering side starts the fresh negotiation, not this one');
  assert.equal(reason(), 'room-key-mismatch');
  // The offering side closes its end of the link first: ours sees its channel close (the
  // real link reports that) before the fresh offer comes through the server.
  made[0]?.options.events.closed();
  assert.equal(mesh.members().length, 1, 'a close the member was waiting for does not drop it');
  assert.equal(reason(), 'room-key-mismatch');

  mesh.signal({ from: OTHER, description: { type: 'offer', sdp: 'fresh session' } });
  assert.equal(made.length, 2, 'the fresh offer gets a fresh link');
  assert.equal(mesh.members()[0]?.name, 'Bob', 'the same member, not an unannounced one');
  made[1]?.openChannel();
  await settle();
  made[1]?.deliver({ t: 'hello', v: 2, proof: 'forged again' });
  await settle();
  assert.equal(reason(), 'intercepted');
  assert.deepEqual(notices, ['intercepted']);
});
