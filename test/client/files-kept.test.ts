// The list of files a tab received to disk, kept in sessionStorage for the tab's next load
// (client/files/kept.ts): added and forgotten by id, bounded, and whatever else is stored under
// its key (an older page's, a hand's) read as nothing rather than thrown on. So are the lists
// of the files it sent (sent-kept.ts) and of those it was still receiving (unfinished.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type KeptFile, keptFiles, MAX_KEPT_FILES } from '../../client/files/kept.ts';
import { MAX_SENT_KEPT, type SentFile, sentFiles } from '../../client/files/sent-kept.ts';
import { MAX_UNFINISHED_FILES, type OfferedFile, unfinishedFiles } from '../../client/files/unfinished.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

const fileId = (n: number) => `file-${String(n).padStart(16, '0')}`;
const file = (n: number): KeptFile => ({
  id: fileId(n),
  from: 'bob-00000001',
  senderName: 'Bob',
  name: `photo ${n}.jpg`,
  size: 3_000_000 + n,
  type: 'image/jpeg',
  privateWith: n % 2 === 0 ? 'Bob' : null,
  entry: `${fileId(n)}-abcdefgh`,
  at: 1_700_000_000_000 + n,
});

test('files are listed in the order received, once each, and forgotten by id; rooms apart', () => {
  const storage = memoryStorage();
  const kept = keptFiles('room-a', storage);
  kept.add(file(1));
  kept.add(file(2));
  kept.add(file(1)); // again: one entry, now the newest
  assert.deepEqual(kept.list(), [file(2), file(1)]);
  kept.forget(file(2).from, file(2).id);
  kept.forget(file(2).from, 'no-such-file');
  assert.deepEqual(kept.list(), [file(1)]);
  assert.equal(kept.has(file(1).from, file(1).id), true);
  assert.deepEqual(keptFiles('room-b', storage).list(), [], 'another room has its own list');
  assert.deepEqual(keptFiles('room-a', storage).list(), [file(1)], 'read again, as the next load does');
});

test('a file is known by its sender and id: another member offering under the same id is another file', () => {
  const kept = keptFiles('room-a', memoryStorage());
  const alices = { ...file(1), from: 'alice-000001' };
  const mallorys = { ...file(1), from: 'mallory-0001', name: 'not alice’s.jpg' };
  kept.add(alices);
  kept.add(mallorys);
  assert.deepEqual(kept.list(), [alices, mallorys], 'Alice’s is not replaced');
  kept.forget(mallorys.from, mallorys.id);
  assert.deepEqual(kept.list(), [alices], 'nor forgotten with Mallory’s');
  assert.equal(kept.has('mallory-0001', alices.id), false);
});

test(`at most ${MAX_KEPT_FILES} are listed: the newest`, () => {
  const kept = keptFiles('room-a', memoryStorage());
  for (let n = 0; n < MAX_KEPT_FILES + 5; n++) kept.add(file(n));
  const listed = kept.list();
  assert.equal(listed.length, MAX_KEPT_FILES);
  assert.equal(listed[0]?.id, file(5).id);
  assert.equal(listed.at(-1)?.id, file(MAX_KEPT_FILES + 4).id);
});

test(`over ${MAX_KEPT_FILES}, the oldest of whoever sent the most go first: one member's many files do not push the others' off`, () => {
  const kept = keptFiles('room-a', memoryStorage());
  const alices = [1, 2, 3].map((n) => ({ ...file(n), from: 'alice-000001' }));
  kept.add(alices[0] as KeptFile);
  for (let n = 10; n < 10 + MAX_KEPT_FILES; n++) kept.add(file(n));
  kept.add(alices[1] as KeptFile);
  kept.add(alices[2] as KeptFile);
  const listed = kept.list();
  assert.equal(listed.length, MAX_KEPT_FILES);
  assert.deepEqual(
    listed.filter((one) => one.from === 'alice-000001'),
    alices,
    'all three of Alice’s stay',
  );
  assert.equal(listed.find((one) => one.from === 'bob-00000001')?.id, file(13).id, 'Bob’s oldest went');
});

test('what does not read as a kept file is left out; unreadable or throwing storage keeps nothing, and throws nothing', () => {
  const storage = memoryStorage();
  const key = 'roomlink:files:room-a';
  for (const junk of ['not json', '{"id":1}', 'null', '"a string"']) {
    storage.items.set(key, junk);
    assert.deepEqual(keptFiles('room-a', storage).list(), [], junk);
  }
  const { size: _, ...sizeless } = file(2);
  storage.items.set(
    key,
    JSON.stringify([
      file(1),
      sizeless,
      { ...file(3), size: -1 },
      { ...file(4), name: 'x'.repeat(600) },
      { ...file(6), entry: 'someone-elses-entry' },
      { ...file(7), entry: `${file(7).id}-../../x` },
      null,
      7,
      file(5),
    ]),
  );
  assert.deepEqual(keptFiles('room-a', storage).list(), [file(1), file(5)]);
  const throwing = {
    getItem(): string | null {
      throw new Error('denied');
    },
    setItem(): void {
      throw new Error('quota');
    },
  };
  const kept = keptFiles('room-a', throwing);
  kept.add(file(1));
  kept.forget(file(1).from, file(1).id);
  assert.deepEqual(kept.list(), []);
  assert.deepEqual(keptFiles('room-a', null).list(), [], 'no storage at all');
});

const sentFile = (n: number): SentFile => ({
  id: fileId(n),
  from: 'alice-000001',
  name: `report ${n}.pdf`,
  size: 1_000 + n,
  type: 'application/pdf',
  privateWith: null,
  privateWithId: null,
  at: 1_700_000_000_000 + n,
  state: 'verified',
  status: '',
  recipients: [{ id: 'bob-00000001', name: 'Bob', state: 'verified', mark: '✓', words: 'received' }],
});

test(`the files a tab sent are listed as their lines ended, the newest ${MAX_SENT_KEPT}, forgotten by id; junk left out`, () => {
  const storage = memoryStorage();
  const sent = sentFiles('room-a', storage);
  for (let n = 0; n < MAX_SENT_KEPT + 3; n++) sent.add(sentFile(n));
  sent.forget(sentFile(MAX_SENT_KEPT + 2).id);
  const listed = sentFiles('room-a', storage).list();
  assert.equal(listed.length, MAX_SENT_KEPT - 1);
  assert.deepEqual([listed[0]?.id, listed.at(-1)?.id], [sentFile(3).id, sentFile(MAX_SENT_KEPT + 1).id]);
  assert.deepEqual(sentFiles('room-b', storage).list(), [], 'another room has its own list');
  const key = 'roomlink:sent:room-a';
  storage.items.set(
    key,
    JSON.stringify([
      sentFile(1),
      { ...sentFile(2), state: 'transferring' },
      { ...sentFile(3), recipients: [{ id: 'x', name: '<b>', state: 'hacked', mark: '', words: '' }] },
      { ...sentFile(4), recipients: 'Bob' },
      { ...sentFile(5), status: 'x'.repeat(300) },
      { ...sentFile(6), privateWithId: 7 },
      null,
      sentFile(7),
    ]),
  );
  assert.deepEqual(
    sentFiles('room-a', storage)
      .list()
      .map((one) => one.id),
    [sentFile(1).id, sentFile(7).id],
  );
  storage.items.set(key, 'not json');
  assert.deepEqual(sentFiles('room-a', storage).list(), []);
});

test('a sent file listed again (its sharing brought a newcomer, whose transfer ended it again) takes its own place: once, in the order sent', () => {
  const storage = memoryStorage();
  const sent = sentFiles('room-a', storage);
  for (const n of [1, 2, 3]) sent.add(sentFile(n));
  const again: SentFile = {
    ...sentFile(1),
    recipients: [
      ...sentFile(1).recipients,
      { id: 'carol-000001', name: 'Carol', state: 'verified', mark: '✓', words: 'received' },
    ],
  };
  sent.add(again);
  const listed = sentFiles('room-a', storage).list();
  assert.deepEqual(
    listed.map((one) => one.id),
    [1, 2, 3].map(fileId),
  );
  assert.deepEqual(listed[0], again);
});

const offeredFile = (n: number, from = 'alice-000001'): OfferedFile => ({
  id: fileId(n),
  from,
  size: 200_000_000 + n,
  sha256: String(n % 10).repeat(64),
});

test('a file taken is listed until it is over, with the entry its bytes go to, and found only as the same file', () => {
  const storage = memoryStorage();
  const unfinished = unfinishedFiles('room-a', storage);
  const taken = offeredFile(1);
  unfinished.taken(taken);
  assert.deepEqual(unfinished.find(taken), { ...taken, entry: null }, 'taken, not started: no entry yet');
  unfinished.storedAt(taken.from, taken.id, `${taken.id}-abcdefgh`);
  unfinished.storedAt(taken.from, taken.id, 'someone-elses-entry'); // not one made for it: ignored
  const started = { ...taken, entry: `${taken.id}-abcdefgh` };
  const next = unfinishedFiles('room-a', storage); // the tab's next load
  assert.deepEqual(next.find(taken), started);
  next.taken(taken); // taken again after the reload: its entry stays
  assert.deepEqual(next.find(taken), started);
  assert.equal(next.find({ ...taken, size: taken.size + 1 }), null, 'another size is another file');
  assert.equal(next.find({ ...taken, sha256: 'f'.repeat(64) }), null, 'and so is another hash');
  assert.equal(next.find({ ...taken, from: 'mallory-0001' }), null, 'and another sender’s under its id');
  next.taken({ ...taken, sha256: 'f'.repeat(64) }); // the same id offered as another file: listed anew
  assert.deepEqual(next.find({ ...taken, sha256: 'f'.repeat(64) }), { ...taken, sha256: 'f'.repeat(64), entry: null });
  next.forget(taken.from, taken.id);
  assert.equal(unfinishedFiles('room-a', storage).find(taken), null);
  assert.equal(unfinishedFiles('room-b', storage).find(taken), null, 'rooms apart');
});

test(`at most ${MAX_UNFINISHED_FILES} files are listed as unfinished, fairly; what does not read as one is left out`, () => {
  const storage = memoryStorage();
  const unfinished = unfinishedFiles('room-a', storage);
  unfinished.taken(offeredFile(0, 'bob-00000001'));
  for (let n = 1; n <= MAX_UNFINISHED_FILES; n++) unfinished.taken(offeredFile(n, 'mallory-0001'));
  assert.ok(unfinished.find(offeredFile(0, 'bob-00000001')), 'Bob’s one file stays');
  assert.equal(unfinished.find(offeredFile(1, 'mallory-0001')), null, 'the oldest of whoever sent the most goes');

  const key = 'roomlink:files-unfinished:room-a';
  const good = { ...offeredFile(1), entry: `${fileId(1)}-abcdefgh` };
  storage.items.set(
    key,
    JSON.stringify([
      good,
      { ...offeredFile(2), entry: `${fileId(3)}-abcdefgh` }, // another transfer's entry
      { ...offeredFile(4), entry: `${fileId(4)}-../../x` },
      { ...offeredFile(5), entry: '../roomlink-files' },
      { ...offeredFile(6), entry: `${fileId(6)}-abcdefgh/x` },
      { ...offeredFile(7), sha256: 'not a hash' },
      { ...offeredFile(8), size: -1 },
      { ...offeredFile(9), id: '../../etc' },
      { ...offeredFile(10), from: 'x'.repeat(100) },
      null,
      'x',
    ]),
  );
  assert.deepEqual(unfinishedFiles('room-a', storage).find(offeredFile(1)), good);
  for (const n of [2, 4, 5, 6, 7, 8, 9, 10])
    assert.equal(unfinishedFiles('room-a', storage).find(offeredFile(n)), null, `entry ${n} left out`);
  storage.items.set(key, 'not json');
  assert.equal(unfinishedFiles('room-a', storage).find(offeredFile(1)), null);
  assert.equal(unfinishedFiles('room-a', null).find(offeredFile(1)), null, 'no storage at all');
});
