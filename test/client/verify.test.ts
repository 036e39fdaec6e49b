// Room-key proofs: a peer holding the key proves it over both DTLS fingerprints; a swapped
// fingerprint (someone in the middle) is caught; missing pieces are "unverified", not alarms.
// And a member's proof that it holds the signing key it announced (`key:held`): only for its
// own link, only with its own key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIdentity } from '../../client/identity.ts';
import type { Link } from '../../client/link.ts';
import { checkRoomKeyProof, createHandshake, proveRoomKey } from '../../client/verify.ts';

const key = 'Zm9vYmFyYmF6cXV4cXV1eA';
const alice = 'sha-256 aa:aa';
const bob = 'sha-256 bb:bb';
const mallory = 'sha-256 cc:cc';

test('a proof made with the room key over both fingerprints verifies on the other side', async () => {
  const proof = await proveRoomKey(key, { local: alice, remote: bob });
  assert.ok(proof);
  assert.equal(await checkRoomKeyProof(key, proof, { local: bob, remote: alice }), 'verified');
});

test('a fingerprint swapped in the middle is a mismatch', async () => {
  // Alice believes she talks to mallory; bob sees mallory's fingerprint as "alice".
  const proof = await proveRoomKey(key, { local: alice, remote: mallory });
  assert.ok(proof);
  assert.equal(await checkRoomKeyProof(key, proof, { local: bob, remote: mallory }), 'mismatch');
});

test('a wrong key is a mismatch', async () => {
  const proof = await proveRoomKey('another-key-0000000000', { local: alice, remote: bob });
  assert.ok(proof);
  assert.equal(await checkRoomKeyProof(key, proof, { local: bob, remote: alice }), 'mismatch');
});

test('no key, no proof or no fingerprints: unverified', async () => {
  assert.equal(await proveRoomKey(null, { local: alice, remote: bob }), null);
  assert.equal(await checkRoomKeyProof(null, 'x', { local: bob, remote: alice }), 'unverified');
  assert.equal(await checkRoomKeyProof(key, undefined, { local: bob, remote: alice }), 'unverified');
  const proof = await proveRoomKey(key, { local: alice, remote: bob });
  assert.equal(await checkRoomKeyProof(key, proof ?? '', { local: bob, remote: '' }), 'unverified');
});

test('the proof covers the sender’s signing key: a key swapped in between is a mismatch', async () => {
  const proof = await proveRoomKey(key, { local: alice, remote: bob }, 'alice-signing-key-0000');
  assert.ok(proof);
  assert.equal(
    await checkRoomKeyProof(key, proof, { local: bob, remote: alice }, 'alice-signing-key-0000'),
    'verified',
  );
  assert.equal(
    await checkRoomKeyProof(key, proof, { local: bob, remote: alice }, 'mallory-signing-key-00'),
    'mismatch',
  );
  assert.equal(await checkRoomKeyProof(key, proof, { local: bob, remote: alice }), 'mismatch');
});

/** A link as seen from one end: only its fingerprints matter here. */
const linkSeenBy = (local: string, remote: string): Link =>
  ({ fingerprints: async () => ({ local, remote }) }) as unknown as Link;

test('a member proves it holds its signing key for its own link only: not for another link, and not with a key it only copied', async () => {
  const aliceIdentity = createIdentity();
  const aliceKey = (await aliceIdentity.publicKey()) ?? '';
  const aliceSide = createHandshake(key, aliceIdentity);
  const bobSide = createHandshake(key, createIdentity());
  const held = await aliceSide.keyHeld(linkSeenBy(alice, bob));
  assert.equal(held?.t, 'key:held');
  const sig = held?.sig ?? '';
  assert.equal(await bobSide.checkKeyHeld(linkSeenBy(bob, alice), aliceKey, sig), true, 'Alice’s, on her link to Bob');
  // Mallory copied Alice's public key and her signature from that link: on Mallory's own link
  // (another fingerprint) it does not check, nor does a signature Mallory makes with her own.
  assert.equal(await bobSide.checkKeyHeld(linkSeenBy(bob, mallory), aliceKey, sig), false, 'replayed on another link');
  const malloryHeld = await createHandshake(key, createIdentity()).keyHeld(linkSeenBy(mallory, bob));
  assert.equal(await bobSide.checkKeyHeld(linkSeenBy(bob, mallory), aliceKey, malloryHeld?.sig ?? ''), false);
  // Either end's fingerprint, reversed ends, garbage: false, never a throw.
  assert.equal(await bobSide.checkKeyHeld(linkSeenBy(alice, bob), aliceKey, sig), false, 'ends reversed');
  assert.equal(await bobSide.checkKeyHeld(linkSeenBy(bob, ''), aliceKey, sig), false, 'no fingerprint');
  assert.equal(await bobSide.checkKeyHeld(linkSeenBy(bob, alice), 'not-a-key-000000', sig), false);
  assert.equal(await bobSide.checkKeyHeld(linkSeenBy(bob, alice), aliceKey, '%%%'), false);
  assert.equal(await aliceSide.keyHeld(linkSeenBy(alice, '')), null, 'nothing to sign for');
});
