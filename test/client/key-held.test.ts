// A member proves it holds the signing key its hello announced (`key:held`, after both hellos
// on a link): the page's own handshake (verify.ts) on a fake link, the other side played by
// the test with real keys. A member that announces another's key, which every member can
// (it is in that member's hellos) with a valid room-key proof, is vouched for with that key
// but never holds it, and shows no key code (Alice's would pass for Mallory's); an older page
// is sent no `key:held`, which its schema would refuse.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineFeature } from '../../client/feature.ts';
import { createIdentity, type Identity } from '../../client/identity.ts';
import type { Link } from '../../client/link.ts';
import { heldKey } from '../../client/member-key-hold.ts';
import { createMesh } from '../../client/mesh.ts';
import { createRouter } from '../../client/router.ts';
import { createHandshake, proveRoomKey } from '../../client/verify.ts';
import { CHANNEL_PROTOCOL_VERSION, type ChannelMessage } from '../../protocol/index.ts';
import { fakeLinkConfig, fakeLinks } from './fakes.ts';

const ROOM_KEY = 'Zm9vYmFyYmF6cXV4cXV1eA';
const OTHER = 'bbbbbbbbbbbb';
/** The fake link's fingerprints as we see them (fakes.ts), and as the other side does. */
const OURS = { local: 'local', remote: 'remote' };
const THEIRS = { local: 'remote', remote: 'local' };
/** The link as one end sees it: only its fingerprints matter to a `key:held`. */
const linkSeenAs = (fingerprints: typeof OURS): Link => ({ fingerprints: async () => fingerprints }) as unknown as Link;

function harness() {
  const { factory, made } = fakeLinks();
  let changes = 0;
  const mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake: createHandshake(ROOM_KEY, createIdentity()),
    router: createRouter([defineFeature({ name: 'chat', types: ['chat', 'ack'], receive: () => {} })]),
    sendSignal: () => {},
    changed: () => changes++,
    notice: () => {},
  });
  mesh.setSelf('aaaaaaaaaaaa');
  mesh.peerJoined({ id: OTHER, name: 'Bob' });
  const link = made[0];
  const member = mesh.member(OTHER);
  assert.ok(link && member);
  return { link, member, changes: () => changes };
}

/** Until every check under way (WebCrypto's) has settled. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Until the page's check of a `key:held` it was handed has had its time: the same check, made
 * here after it (WebCrypto's, which a loaded machine takes its time with), then a settle.
 */
async function checked(key: string, message: ChannelMessage): Promise<void> {
  if (message.t === 'key:held')
    await createHandshake(ROOM_KEY, createIdentity()).checkKeyHeld(linkSeenAs(OURS), key, message.sig);
  await settle();
}

/** Until `done` holds (WebCrypto makes a page's first key pair in its own time), for 5 s at most. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 5_000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
}

const sentTypes = (link: { sent: readonly ChannelMessage[] }): string[] => link.sent.map((m) => m.t);

/** The other side's hello announcing `key`, with a room-key proof for this link. */
async function helloWith(key: string, v = CHANNEL_PROTOCOL_VERSION): Promise<ChannelMessage> {
  const proof = (await proveRoomKey(ROOM_KEY, THEIRS, key)) ?? '';
  return { t: 'hello', v, proof, key };
}

/** `signer`'s `key:held` for this link. */
async function keyHeldBy(signer: Identity): Promise<ChannelMessage> {
  const sig = (await signer.signKeyHold({ sender: THEIRS.local, receiver: THEIRS.remote })) ?? '';
  return { t: 'key:held', sig };
}

test('a member that signs for the link with the key it announced holds it; ours goes once both hellos are on the link', async () => {
  const { link, member, changes } = harness();
  const bob = createIdentity();
  const bobKey = (await bob.publicKey()) ?? '';
  link.openChannel();
  await until(() => sentTypes(link).includes('hello'));
  await settle();
  assert.deepEqual(sentTypes(link), ['hello'], 'ours waits for its hello');
  link.deliver(await helloWith(bobKey));
  await settle();
  const before = changes();
  link.deliver(await keyHeldBy(bob));
  await until(() => member.keyHeld);
  assert.ok(changes() > before, 'the member list is drawn again, with its key code');
  assert.equal(member.key, bobKey);
  assert.equal(member.keyHeld, true);
  assert.equal(heldKey(member), bobKey, 'its key code is shown');
  // Ours waits for an idle moment (member-key-hold.ts: a timer's turn here, where node has no
  // requestIdleCallback).
  await until(() => sentTypes(link).includes('key:held'));
  const ours = link.sent.find((m) => m.t === 'key:held');
  assert.ok(ours?.t === 'key:held', 'ours went');
  // It checks on Bob's side of the link, with our hello's key.
  const ourHello = link.sent.find((m) => m.t === 'hello');
  assert.ok(ourHello?.t === 'hello' && ourHello.key);
  const bobSide = createHandshake(ROOM_KEY, bob);
  assert.equal(await bobSide.checkKeyHeld(linkSeenAs(THEIRS), ourHello.key, ours.sig), true);
});

test('a member that announces another member’s key with a valid room-key proof is vouched for with it, but does not hold it', async () => {
  const { link, member } = harness();
  const alice = createIdentity();
  const alicesKey = (await alice.publicKey()) ?? '';
  const mallory = createIdentity();
  link.openChannel();
  link.deliver(await helloWith(alicesKey));
  // What Mallory can sign, with her own key; and nothing at all.
  const hers = await keyHeldBy(mallory);
  link.deliver(hers);
  await checked(alicesKey, hers);
  assert.equal(member.key, alicesKey, 'its hello proved the room key');
  assert.equal(member.keyHeld, false);
  assert.equal(heldKey(member), null, 'no key code: Alice’s would be shown for Mallory');
});

test('a `key:held` for another key than the hello’s, or garbage, holds nothing; a member that never sends one holds nothing', async () => {
  const { link, member } = harness();
  const bob = createIdentity();
  const bobKey = (await bob.publicKey()) ?? '';
  link.openChannel();
  link.deliver(await helloWith(bobKey));
  await settle();
  assert.equal(member.keyHeld, false, 'nothing sent yet');
  link.deliver({ t: 'key:held', sig: 'AAAAAAAAAAAAAAAAAAAAAAAA' });
  const another = await keyHeldBy(createIdentity());
  link.deliver(another);
  await checked(bobKey, another);
  assert.equal(member.keyHeld, false);
  assert.equal(member.state, 'connected', 'and the link goes on');
});

test('a member whose hello said an older version is sent no `key:held`', async () => {
  const { link } = harness();
  const bob = createIdentity();
  link.openChannel();
  link.deliver(await helloWith((await bob.publicKey()) ?? '', 6));
  await until(() => sentTypes(link).includes('hello'));
  // Long enough for ours to have gone to a member that said 7 (the first test's wait).
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(sentTypes(link), ['hello']);
});
