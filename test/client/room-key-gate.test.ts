// A link speaks for a member only once its hello proved the room key (when this page holds
// the key and can check): what comes right behind the hello waits for the check, and a link
// whose proof failed, or that offered none, delivers nothing to the features — on either
// side of the negotiation. A page opened without the key hears everyone, as before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineFeature } from '../../client/feature.ts';
import type { Handshake } from '../../client/member.ts';
import { createMesh } from '../../client/mesh.ts';
import { createRouter } from '../../client/router.ts';
import type { Verification } from '../../client/verify.ts';
import type { ChannelMessage } from '../../protocol/index.ts';
import { fakeLinkConfig, fakeLinks } from './fakes.ts';

const BOB = 'bbbbbbbbbbbb';
/** Sorts before Bob: offers first (roles.ts), and starts the fresh link after a mismatch. */
const OFFERS = 'aaaaaaaaaaaa';
/** Sorts after Bob: waits for Bob's offers. */
const WAITS = 'cccccccccccc';
const KEY = 'BobsSigningKey0123456789';

const line = (text: string): ChannelMessage => ({ t: 'chat', id: `line-${text}`.padEnd(12, '0'), ts: 1, text });

/** The check of each hello waits for the test to settle it. */
function harness(selfId: string, canProve = true) {
  const { factory, made } = fakeLinks();
  const heard: string[] = [];
  /** Members the features were told are shut out (MemberHandle.shut), as they were told. */
  const shut: Array<{ id: string; shut: boolean }> = [];
  const feature = defineFeature({
    name: 'chat',
    types: ['chat', 'ack'],
    receive: (_member, message) => {
      if (message.t === 'chat') heard.push(message.text);
    },
    shut: (member) => {
      shut.push({ id: member.id, shut: member.shut });
    },
  });
  const checks: Array<(result: Verification) => void> = [];
  const handshake: Handshake = {
    canProve,
    hello: async () => ({ t: 'hello', v: 2, proof: 'p' }),
    check: () => new Promise<Verification>((resolve) => checks.push(resolve)),
  };
  const mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake,
    router: createRouter([feature]),
    sendSignal: () => {},
    changed: () => {},
    notice: () => {},
  });
  mesh.setSelf(selfId);
  mesh.peerJoined({ id: BOB, name: 'Bob' });
  /** Settles the oldest pending check, and lets what follows it run. */
  async function checked(result: Verification): Promise<void> {
    const settle = checks.shift();
    assert.ok(settle, 'a hello is being checked');
    settle(result);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { mesh, made, heard, shut, checked, reason: () => mesh.members()[0]?.reason?.code ?? null };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('what comes right behind a hello waits for its check, and is heard in order once it proved the key', async () => {
  const { made, heard, checked } = harness(OFFERS);
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good', key: KEY });
  made[0]?.deliver(line('one'));
  made[0]?.deliver(line('two'));
  assert.deepEqual(heard, [], 'nothing before the check');
  await checked('verified');
  made[0]?.deliver(line('three'));
  assert.deepEqual(heard, ['one', 'two', 'three']);
});

test('on the side that offers, a line right behind a forged hello is never heard', async () => {
  const { made, heard, checked, reason } = harness(OFFERS);
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'forged', key: KEY });
  made[0]?.deliver(line('as bob'));
  assert.deepEqual(heard, [], 'not while the hello is checked');
  await checked('mismatch');
  assert.deepEqual(heard, [], 'nor once it failed');
  assert.equal(reason(), 'room-key-mismatch');
});

test('on the side that waits for the fresh offer, a link whose proof failed delivers nothing more', async () => {
  const { mesh, made, heard, checked, reason } = harness(WAITS);
  mesh.signal({ from: BOB, description: { type: 'offer', sdp: 'first session' } });
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'forged', key: KEY });
  await checked('mismatch');
  assert.equal(made.length, 1, 'the link stays until the fresh offer');
  made[0]?.deliver(line('later, as bob'));
  assert.deepEqual(heard, []);
  assert.equal(reason(), 'room-key-mismatch');

  // The fresh link proves the key: it is heard.
  mesh.signal({ from: BOB, description: { type: 'offer', sdp: 'fresh session' } });
  made[1]?.openChannel();
  await settle();
  made[1]?.deliver({ t: 'hello', v: 2, proof: 'good', key: KEY });
  await checked('verified');
  made[1]?.deliver(line('from bob'));
  assert.deepEqual(heard, ['from bob']);
});

test('an answer to our ICE restart with other fingerprints than the proven link’s is never applied: a fresh link, proven anew', async () => {
  // Whoever answers our restart "from Bob" with a fingerprint of its own (the signaling
  // server; or Bob's reloaded page, honestly) is not the one that proved the key on this link.
  const { mesh, made, heard, checked } = harness(OFFERS);
  mesh.signal({ from: BOB, description: { type: 'answer', sdp: 'bob first session' } });
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good', key: KEY });
  await checked('verified');
  assert.equal(mesh.members()[0]?.verification, 'verified');
  // Same session, new ICE credentials: applied as ever.
  mesh.signal({ from: BOB, description: { type: 'answer', sdp: 'bob first session' } });
  assert.equal(made.length, 1);
  mesh.signal({ from: BOB, description: { type: 'answer', sdp: 'the server’s own' } });
  assert.equal(made.length, 2, 'a fresh link, with a proof of its own');
  assert.equal(made[0]?.closed, true);
  assert.deepEqual(
    made.flatMap((link) => link.received.map((signal) => signal.description?.sdp)),
    ['bob first session', 'bob first session'],
    'the answer went to no link: the fresh one makes its own offer',
  );
  assert.equal(mesh.members()[0]?.verification, 'unverified', 'the ✓ is for a proven link only');
  made[0]?.deliver(line('on the old link'));
  assert.deepEqual(heard, []);
});

test('an offer with other fingerprints than the proven link’s is never applied to it: a fresh link takes it, proven anew', async () => {
  const { mesh, made, checked } = harness(WAITS);
  mesh.signal({ from: BOB, description: { type: 'offer', sdp: 'bob first session' } });
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good', key: KEY });
  await checked('verified');
  mesh.signal({ from: BOB, description: { type: 'offer', sdp: 'the server’s own' } });
  assert.equal(made.length, 2);
  assert.deepEqual(
    made.map((link) => link.received.map((signal) => signal.description?.sdp)),
    [['bob first session'], ['the server’s own']],
  );
  assert.equal(mesh.members()[0]?.verification, 'unverified');
});

test('a hello without a proof: the entry says "no room key", the link speaks for nobody, and the features send it nothing', async () => {
  const { made, heard, shut, checked, reason } = harness(OFFERS);
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, key: KEY });
  made[0]?.deliver(line('right behind'));
  await checked('unverified');
  made[0]?.deliver(line('later'));
  assert.deepEqual(heard, []);
  assert.equal(reason(), 'no-room-key');
  assert.deepEqual(shut, [{ id: BOB, shut: true }], 'told once, and shut as told');
});

test('a page opened without the room key hears everyone, as before', async () => {
  const { made, heard } = harness(OFFERS, false);
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, key: KEY });
  made[0]?.deliver(line('no key here'));
  assert.deepEqual(heard, ['no key here']);
});

test('a second hello on the same link with another signing key holds the link: nothing more is heard from it', async () => {
  const { mesh, made, heard, checked, reason } = harness(OFFERS);
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good', key: KEY });
  await checked('verified');
  made[0]?.deliver(line('before'));
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good', key: 'SomeoneElsesKey012345678' });
  made[0]?.deliver(line('after'));
  await settle();
  assert.deepEqual(heard, ['before']);
  assert.equal(reason(), 'key-mismatch');
  assert.equal(made[0]?.closed, true);
  assert.equal(mesh.member(BOB)?.key, KEY, 'the key it proved stays the one lines are checked with');
});

test('a second hello with another key while the first is still checked: held, and what waited is dropped', async () => {
  const { mesh, made, heard, checked, reason } = harness(OFFERS);
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good', key: KEY });
  made[0]?.deliver(line('behind the first'));
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good', key: 'SomeoneElsesKey012345678' });
  await checked('verified');
  assert.deepEqual(heard, []);
  assert.equal(reason(), 'key-mismatch');
  assert.equal(mesh.member(BOB)?.key, KEY);
});

test('the same hello again on the same link changes nothing', async () => {
  const { made, heard, checked, reason } = harness(OFFERS);
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good', key: KEY });
  await checked('verified');
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good', key: KEY });
  made[0]?.deliver(line('still bob'));
  await settle();
  assert.deepEqual(heard, ['still bob']);
  assert.equal(reason(), null);
});

test('an honest backlog right behind a hello (a reconnect resending 1,250 lines and their signatures) waits whole', async () => {
  const { made, heard, checked, reason } = harness(OFFERS);
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good', key: KEY });
  for (let i = 0; i < 1_250; i++) {
    made[0]?.deliver(line(String(i)));
    made[0]?.deliver({ t: 'chat:sig', id: `line-${i}`.padEnd(12, '0'), sig: 's' });
  }
  await checked('verified');
  assert.equal(heard.length, 1_250, 'every line, none dropped while the check ran');
  assert.equal(reason(), null);
});

test('more than a check can be made to wait for is a flood: the member is cut, visibly, not dropped from silently', async () => {
  const { made, heard, checked, reason } = harness(OFFERS);
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good', key: KEY });
  // Within each type's own budget (chat's burst is 2,500), past what the check keeps.
  for (let i = 0; i < 2_500; i++) made[0]?.deliver(line(String(i)));
  for (let i = 0; i < 1_600; i++) made[0]?.deliver({ t: 'chat:sig', id: `line-${i}`.padEnd(12, '0'), sig: 's' });
  assert.equal(reason(), 'flooding');
  await checked('verified');
  assert.deepEqual(heard, [], 'nothing of it is heard');
});
