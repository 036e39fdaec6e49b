// Files sent as replies (client/files/sending*.ts, receiving-offers.ts), between stand-in pages
// (files-pages.ts): the offer carries the line the file answers (`re`) to a page that said
// FILE_REPLY_VERSION, whose line shows it, and so does the sender's own; never to an older page
// or one whose hello has not come (its strict schema would refuse the whole offer), which gets
// the file without it; a newcomer offered a shared file gets it with the file; and the lists a
// tab keeps for its next load keep it, the sent and the received.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { keptFiles } from '../../client/files/kept.ts';
import { sentFiles } from '../../client/files/sent-kept.ts';
import { openDiskSink } from '../../client/files/sink.ts';
import { openStoreOnThisThread } from '../../client/files/store.ts';
import { FILE_EARLIER_VERSION, FILE_REPLY_VERSION, type ReplyRef } from '../../protocol/index.ts';
import {
  createPage,
  fileOf,
  hello,
  joinLater,
  lineOf,
  link,
  offersTo,
  type Page,
  room,
  stateOf,
  until,
} from './files-pages.ts';
import { installOpfsStandIn } from './opfs-stand-in.ts';

afterEach(() => Reflect.deleteProperty(globalThis, 'navigator'));

const re: ReplyRef = { from: 'carol-00001', id: 'V1StGXR8_Z5jdHi6B-myT', name: 'carol', text: 'send me the plan' };

test('a file sent as a reply carries it to a page that said FILE_REPLY_VERSION: its line and the sender’s show it, and the sender lists it for the next load', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  hello([alice, bob], FILE_REPLY_VERSION);
  const offers = offersTo(alice, bob.id);
  const [id, second] = await alice.files.sendFiles([fileOf(300, 'plan.pdf'), fileOf(200, 'map.png')], null, re);
  assert.ok(id && second);
  await until(() => stateOf(bob, id) === 'verified' && stateOf(bob, second) === 'verified', 'bob has both');
  assert.deepEqual(
    offers.map((offer) => offer.re),
    [re, re],
    'each file of the pick answers it',
  );
  assert.deepEqual(lineOf(bob, id)?.info.re, re);
  assert.deepEqual(lineOf(alice, id)?.info.re, re, 'our own line shows what it answers');
  await until(() => alice.sent.length === 2, 'listed as ended');
  assert.deepEqual(
    alice.sent.map((kept) => kept.re),
    [re, re],
  );
  assert.deepEqual(
    sentFiles('room', { getItem: (key) => alice.tab.storage.get(key) ?? null, setItem: () => {} })
      .list()
      .map((kept) => kept.re),
    [re, re],
    'read back as the next load reads it',
  );

  // A file sent as no reply says none.
  const [plain] = await alice.files.sendFiles([fileOf(100, 'plain.txt')]);
  assert.ok(plain);
  await until(() => stateOf(bob, plain) === 'verified', 'bob has it');
  assert.equal(offers.at(-1)?.re, undefined);
  assert.equal('re' in (lineOf(bob, plain)?.info ?? {}), false);
});

test('a page that said an older version, or none yet, gets the file without `re`, which its schema would refuse', async () => {
  for (const version of [FILE_REPLY_VERSION - 1, null]) {
    const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
    hello([alice, bob], version);
    const offers = offersTo(alice, bob.id);
    const [id] = await alice.files.sendFiles([fileOf(300)], null, re);
    assert.ok(id);
    await until(() => stateOf(bob, id) === 'verified', `bob (${version}) has it`);
    assert.deepEqual(
      offers.map((offer) => 're' in offer),
      [false],
      `said ${version}`,
    );
    assert.deepEqual(lineOf(alice, id)?.info.re, re, 'our line still shows what it answers');
  }
});

test('a newcomer offered a file shared with the room gets what it answers with when it was sent', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  hello([alice, bob], FILE_REPLY_VERSION);
  const [id] = await alice.files.sendFiles([fileOf(300, 'plan.pdf')], null, re);
  assert.ok(id);
  await until(() => stateOf(bob, id) === 'verified', 'bob has it');
  const carol = joinLater([alice, bob], 'carol-00001', FILE_REPLY_VERSION);
  await until(() => stateOf(carol, id) === 'verified', 'carol has it');
  assert.ok(lineOf(carol, id)?.info.sharedAt !== undefined, 'among the earlier lines');
  assert.deepEqual(lineOf(carol, id)?.info.re, re);
  // One on the version before replies to files (but after earlier files) gets it without.
  const dave = joinLater([alice, bob], 'dave-000001', FILE_EARLIER_VERSION);
  await until(() => stateOf(dave, id) === 'verified', 'dave has it');
  assert.equal(lineOf(dave, id)?.info.re, undefined);
});

test('a file received as a reply to disk is listed for the next load with what it answers', async () => {
  installOpfsStandIn();
  const tab = {
    storage: new Map<string, string>(),
    openStore: (id: string, size: number, resume?: string) => openStoreOnThisThread(id, size, openDiskSink, resume),
    keepsReceived: true,
  };
  const alice = createPage('alice-00001');
  const bob = createPage('bob-0000001', undefined, tab);
  link(alice, bob);
  hello([alice, bob], FILE_REPLY_VERSION);
  const [id] = await alice.files.sendFiles([fileOf(300, 'plan.pdf')], null, re);
  assert.ok(id);
  await until(() => stateOf(bob, id) === 'verified', 'bob has it');
  const listed = keptFiles('room', { getItem: (key) => tab.storage.get(key) ?? null, setItem: () => {} }).list();
  assert.deepEqual(
    listed.map((kept) => [kept.id, kept.re]),
    [[id, re]],
  );
});
