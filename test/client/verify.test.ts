// Room-key proofs: a peer holding the key proves it over both DTLS fingerprints; a swapped
// fingerprint (someone in the middle) is caught; missing pieces are "unverified", not alarms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRoomKeyProof, proveRoomKey } from '../../client/verify.ts';

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
