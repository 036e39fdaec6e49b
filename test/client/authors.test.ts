// Who wrote what: the keys a member announced are what its history lines are checked
// against — a bounded few, however often it says hello with a fresh one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MemberHandle } from '../../client/feature.ts';
import { checkLine, createAuthors, MAX_KEYS_PER_AUTHOR, nameIsHere } from '../../client/features/authors.ts';
import { createHistory } from '../../client/features/history.ts';
import { createTranscript } from '../../client/features/transcript.ts';
import { createIdentity, type Identity } from '../../client/identity.ts';
import type { HistoryLine } from '../../protocol/index.ts';
import { skeleton } from '../../protocol/name-key.ts';
import { keysWithSkeleton, skeletonWith } from '../../protocol/name-skeleton.ts';
import { fakeMember } from './fake-member.ts';

test('a member saying hello with a fresh key every time: only its newest keys are kept', () => {
  const authors = createAuthors();
  const mallory = fakeMember('mallory-0001');
  for (let i = 0; i < 300; i++) {
    mallory.key = `key-${i}`;
    authors.learn(mallory, true);
  }
  assert.deepEqual(
    [...(authors.get(mallory.id)?.keys ?? [])],
    Array.from({ length: MAX_KEYS_PER_AUTHOR }, (_, i) => `key-${300 - MAX_KEYS_PER_AUTHOR + i}`),
  );
});

test('a key heard again is the newest: a repaired link does not lose the member’s key', () => {
  const authors = createAuthors();
  const bob = fakeMember('bob-00000001', 'bob-key');
  authors.learn(bob, true);
  for (let i = 0; i < MAX_KEYS_PER_AUTHOR - 1; i++) {
    bob.key = `other-${i}`;
    authors.learn(bob);
  }
  bob.key = 'bob-key';
  authors.learn(bob); // its link repaired, the same key again
  bob.key = 'one-more';
  authors.learn(bob);
  const keys = [...(authors.get(bob.id)?.keys ?? [])];
  assert.equal(keys.length, MAX_KEYS_PER_AUTHOR);
  assert.ok(keys.includes('bob-key'));
  assert.ok(!keys.includes('other-0'), 'the oldest one goes');
});

test('history lines are checked against the newest keys only: a line of a forgotten key is not verified', async () => {
  const identities: Identity[] = [];
  const member = fakeMember('mallory-0001');
  const history = createHistory({
    selfId: () => 'newcomer-001',
    selfName: () => 'newcomer',
    ownKey: async () => null,
    members: () => [member],
    transcript: createTranscript(),
    show: () => {},
  });
  history.feature.added?.(member);
  for (let i = 0; i < MAX_KEYS_PER_AUTHOR + 2; i++) {
    const identity = createIdentity();
    identities.push(identity);
    member.key = await identity.publicKey();
    history.feature.verified?.(member);
  }
  const author = history.author(member.id);
  assert.equal(author?.keys.size, MAX_KEYS_PER_AUTHOR);
  const signedBy = async (identity: Identity | undefined, id: string): Promise<HistoryLine> => {
    const body = { from: member.id, id, ts: 1_700_000_000_000, text: 'hi' };
    const sig = await identity?.sign(body);
    assert.ok(sig);
    return { ...body, name: 'mallory', sig };
  };
  assert.equal(await checkLine(await signedBy(identities.at(-1), 'line-0000000001'), author), 'true');
  assert.equal(await checkLine(await signedBy(identities[0], 'line-0000000002'), author), 'false');
});

test('a name is taken for a present one when it looks like it, as the server compares names, and so is a name no member could have', () => {
  const bob = { id: 'bob-00000001', name: 'Bob', disposed: false } as MemberHandle;
  assert.equal(nameIsHere('BOB', 'Ann', [bob]), true);
  assert.equal(nameIsHere('ann', 'Ann', [bob]), true, 'ours');
  assert.equal(nameIsHere('Carol', 'Ann', [bob]), false);
  // A Cyrillic о: folds apart from "Bob", reads the same; the server refuses such a name.
  assert.equal(nameIsHere('B\u043Eb', 'Ann', [bob]), true);
  assert.equal(nameIsHere('Ca\u200Brol', 'Ann', [bob]), true, 'an invisible character');
  // Compared as the server compares names (nameKeys): "I" reads as "l", full width as narrow.
  const alice = { id: 'alice-000001', name: 'Alice', disposed: false } as MemberHandle;
  assert.equal(nameIsHere('AIice', 'Ann', [alice]), true, 'a capital I');
  assert.equal(nameIsHere('\uFF21lice', 'Ann', [alice]), true, 'a full-width A');
  // With the confusables table (the page's, once fetched): whole-script look-alikes too.
  const cyrillic = skeletonWith({ '\u0430': 'a', '\u0441': 'c', '\u0435': 'e', '\u0440': 'p' });
  const pace = { id: 'pace-0000001', name: 'pace', disposed: false } as MemberHandle;
  const keys = (name: string) => keysWithSkeleton(name, cyrillic);
  assert.equal(nameIsHere('\u0440\u0430\u0441\u0435', 'Ann', [pace]), false, 'without the table');
  assert.equal(nameIsHere('\u0440\u0430\u0441\u0435', 'Ann', [pace], keys), true, 'with it');
  // In capitals too: Cyrillic "ВОВ" is drawn as "BOB" (its small letters are not: "вов").
  const bobInCaps = { id: 'bob-00000002', name: 'BOB', disposed: false } as MemberHandle;
  const table = (name: string) => keysWithSkeleton(name, skeleton);
  assert.equal(nameIsHere('\u0412\u041E\u0412', 'Ann', [bobInCaps], table), true, 'ВОВ beside BOB');
  assert.equal(nameIsHere('\u0412\u041E\u0412', 'Ann', [bob], table), true, 'ВОВ beside Bob');
  assert.equal(nameIsHere('\u0412\u043E\u0432\u0430', 'Ann', [bob], table), false, 'Вова is not Bob');
});
