// A page that holds the room key talks (chat, and every other feature) only to members that
// proved they hold it too; the others are shown as "no room key". Link messages still go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineFeature, type MemberHandle } from '../../client/feature.ts';
import type { Handshake } from '../../client/member.ts';
import { createMesh } from '../../client/mesh.ts';
import { createRouter } from '../../client/router.ts';
import type { Verification } from '../../client/verify.ts';
import { fakeLinkConfig, fakeLinks } from './fakes.ts';

function harness(canProve: boolean, answer: Verification) {
  const { factory, made } = fakeLinks();
  const opened: MemberHandle[] = [];
  const feature = defineFeature({
    name: 'chat',
    types: ['chat', 'ack'],
    receive: () => {},
    opened: (m) => opened.push(m),
  });
  const handshake: Handshake = {
    canProve,
    hello: async () => ({ t: 'hello', v: 2, ...(canProve ? { proof: 'p' } : {}) }),
    check: async () => answer,
  };
  const mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake,
    router: createRouter([feature]),
    sendSignal: () => {},
    changed: () => {},
    notice: () => {},
  });
  mesh.setSelf('aaaaaaaaaaaa');
  mesh.peerJoined({ id: 'bbbbbbbbbbbb', name: 'Eve' });
  const link = made[0];
  const member = mesh.member('bbbbbbbbbbbb');
  assert.ok(link && member);
  return { mesh, link, member, opened };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const line = { t: 'chat', id: 'abcdefghij01', ts: 1, text: 'hi' } as const;

test('a member that did not prove it holds the key gets no chat, and is shown so', async () => {
  const { mesh, link, member, opened } = harness(true, 'unverified');
  link.openChannel();
  await settle();
  link.deliver({ t: 'hello', v: 2 });
  await settle();
  assert.deepEqual(opened, [], 'features never hear the link is open');
  assert.equal(member.writable, false);
  assert.equal(member.send(line), false);
  assert.equal(member.send({ t: 'bye' }), true, 'link messages still go');
  assert.deepEqual(
    link.sent.map((m) => m.t),
    ['hello', 'bye'],
  );
  assert.equal(mesh.members()[0]?.reason?.code, 'no-room-key');
});

test('a member that proved it holds the key gets chat once its proof is in', async () => {
  const { mesh, link, member, opened } = harness(true, 'verified');
  link.openChannel();
  await settle();
  assert.deepEqual(opened, [], 'not before its proof');
  assert.equal(member.send(line), false);
  link.deliver({ t: 'hello', v: 2, proof: 'p' });
  await settle();
  assert.deepEqual(opened, [member]);
  assert.equal(member.send(line), true);
  assert.equal(mesh.members()[0]?.reason, null);
});

test('a page that cannot prove anything (no key, or no crypto.subtle) talks to everyone', async () => {
  const { link, member, opened } = harness(false, 'unverified');
  link.openChannel();
  await settle();
  assert.deepEqual(opened, [member]);
  assert.equal(member.send(line), true);
});
