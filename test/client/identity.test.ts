// Line signatures: the author's per-join key signs (author, id, time, text, recipient); a
// change to any of them, another key, or malformed input fails the check, never throws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createIdentity,
  type KeyStore,
  type SignedLine,
  type SignedReaction,
  type StoredKeyPair,
  verifyLine,
  verifyReaction,
} from '../../client/identity.ts';

const line: SignedLine = { from: 'bob-00000001', id: 'abcdefghijklmnopqrstu', ts: 1_700_000_000_000, text: 'hi' };

test('a line signed by its author verifies with the author’s public key', async () => {
  const bob = createIdentity();
  const key = await bob.publicKey();
  const sig = await bob.sign(line);
  assert.ok(key && sig);
  assert.match(key, /^[A-Za-z0-9_-]{87}$/);
  assert.match(sig, /^[A-Za-z0-9_-]{86}$/);
  assert.equal(await verifyLine(key, sig, line), true);
});

test('changing the author, id, time, text or recipient breaks the signature', async () => {
  const bob = createIdentity();
  const key = (await bob.publicKey()) ?? '';
  const sig = (await bob.sign(line)) ?? '';
  const changed: SignedLine[] = [
    { ...line, from: 'alice-000001' },
    { ...line, id: 'bcdefghijklmnopqrstuv' },
    { ...line, ts: line.ts + 1 },
    { ...line, text: 'hi!' },
    { ...line, to: 'carol-000001' },
  ];
  for (const other of changed) assert.equal(await verifyLine(key, sig, other), false, JSON.stringify(other));
  const privateSig = (await bob.sign({ ...line, to: 'carol-000001' })) ?? '';
  assert.equal(await verifyLine(key, privateSig, line), false, 'a private line cannot pass as public');
});

test('another member’s key, or malformed keys and signatures, fail without throwing', async () => {
  const bob = createIdentity();
  const mallory = createIdentity();
  const sig = (await bob.sign(line)) ?? '';
  assert.equal(await verifyLine((await mallory.publicKey()) ?? '', sig, line), false);
  const key = (await bob.publicKey()) ?? '';
  for (const [badKey, badSig] of [
    ['not-a-key-at-all', sig],
    ['!!!', sig],
    [key, 'AAAA'],
    [key, '***'],
    [key, sig.slice(1)],
  ] as const) {
    assert.equal(await verifyLine(badKey, badSig, line), false);
  }
});

test('a tab that kept its key pair signs as before after a reload; a damaged copy is replaced', async () => {
  let kept: StoredKeyPair | null = null;
  const store: KeyStore = { load: () => kept, save: (pair) => (kept = pair) };
  const first = createIdentity(store);
  const sig = (await first.sign(line)) ?? '';
  const key = (await first.publicKey()) ?? '';
  assert.ok(kept, 'the pair was kept');
  const reloaded = createIdentity(store);
  assert.equal(await reloaded.publicKey(), key);
  assert.equal(await verifyLine(key, (await reloaded.sign(line)) ?? '', line), true);
  assert.equal(await verifyLine(key, sig, line), true);

  kept = { privateKey: { kty: 'EC', crv: 'P-256', d: 'broken' }, publicKey: { kty: 'EC' } };
  const fresh = createIdentity(store);
  const freshKey = (await fresh.publicKey()) ?? '';
  assert.notEqual(freshKey, key);
  assert.equal(await verifyLine(freshKey, (await fresh.sign(line)) ?? '', line), true);
});

test('the kept pair is read only once the tab knows it is its own: a duplicated tab’s copy, dropped meanwhile, is never used', async () => {
  let kept: StoredKeyPair | null = null;
  const store: KeyStore = { load: () => kept, save: (pair) => (kept = pair) };
  const originalKey = (await createIdentity(store).publicKey()) ?? '';
  // The copy's tab-claim.ts settles after its identity was made: it forgets what it copied.
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  let reads = 0;
  const copy = createIdentity(
    {
      load: () => {
        reads++;
        return kept;
      },
      save: (pair) => (kept = pair),
    },
    settled,
  );
  const key = copy.publicKey();
  await Promise.resolve();
  assert.equal(reads, 0, 'nothing read before the tab’s state is settled');
  kept = null;
  settle();
  assert.notEqual(await key, originalKey, 'a key of its own');
  assert.equal(reads, 1);
});

test('a kept pair whose halves come from two pairs is replaced: our lines must check with the key we announce', async () => {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  const [one, two] = await Promise.all([
    crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']),
    crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']),
  ]);
  let kept: StoredKeyPair | null = {
    privateKey: await crypto.subtle.exportKey('jwk', one.privateKey),
    publicKey: await crypto.subtle.exportKey('jwk', two.publicKey),
  };
  const mixed = kept;
  const identity = createIdentity({ load: () => kept, save: (pair) => (kept = pair) });
  const key = (await identity.publicKey()) ?? '';
  assert.notEqual(kept, mixed, 'a new pair was made and kept');
  assert.equal(await verifyLine(key, (await identity.sign(line)) ?? '', line), true);
});

test('a reaction state verifies only as signed: not with another emoji, state, time, line or reactor, nor as a line', async () => {
  const bob = createIdentity();
  const mallory = createIdentity();
  const key = (await bob.publicKey()) ?? '';
  const reaction: SignedReaction = {
    by: 'bob-00000001',
    author: 'alice-000001',
    id: line.id,
    emoji: '👍',
    on: true,
    ts: 5,
  };
  const sig = (await bob.signReaction(reaction)) ?? '';
  assert.equal(await verifyReaction(key, sig, reaction), true);
  const changed: SignedReaction[] = [
    { ...reaction, emoji: '❤️' },
    { ...reaction, on: false },
    { ...reaction, ts: 6 },
    { ...reaction, id: 'abcdefghijklmnopqrstv' },
    { ...reaction, author: 'carol-000001' },
    { ...reaction, by: 'mallory00001' },
  ];
  for (const other of changed) assert.equal(await verifyReaction(key, sig, other), false, JSON.stringify(other));
  assert.equal(await verifyReaction((await mallory.publicKey()) ?? '', sig, reaction), false, 'another key');
  // Domain separation: a line's signature is never a reaction's, nor the reverse.
  const lineSig = (await bob.sign(line)) ?? '';
  assert.equal(await verifyReaction(key, lineSig, reaction), false);
  assert.equal(await verifyLine(key, sig, line), false);
  assert.equal(await verifyReaction(key, 'not base64!', reaction), false);
});
