// A reload of the receiver's tab goes on where it stopped (client/files/unfinished.ts): the
// bytes its OPFS entry kept stay and count, hashed again from the disk before any more are
// written, so the verdict is still of the whole file; the file it accepted is not asked for
// again, and its sender sends only the rest. Nothing a tab lists is trusted: an entry that is
// not one made for the transfer is never opened, and the bytes kept are what the disk holds.
// On a stand-in OPFS (opfs-stand-in.ts) through the real sink (files/sink.ts).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, test } from 'node:test';
import { createIncoming, type IncomingResult } from '../../client/files/incoming.ts';
import { openDiskSink } from '../../client/files/sink.ts';
import { openStoreOnThisThread } from '../../client/files/store.ts';
import { encodeChunk, MIN_CHUNK_BYTES } from '../../protocol/index.ts';
import { createPage, fileOf, lineOf, link, reload, sha, until } from './files-pages.ts';
import { installOpfsStandIn } from './opfs-stand-in.ts';

afterEach(() => Reflect.deleteProperty(globalThis, 'navigator'));

const ID = 'V1StGXR8_Z5jdHi6B-myT';
const ENTRY = `${ID}-abcdefgh`;
const bytesOf = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) % 251);
const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Opens a store for `content` going on with `resume`, feeds it what is not kept yet, and gives the verdict. */
async function receiveRest(content: Uint8Array, resume?: string) {
  const store = await openStoreOnThisThread(ID, content.byteLength, openDiskSink, resume);
  assert.ok(store);
  let finished: (result: IncomingResult) => void = () => {};
  const verdict = new Promise<IncomingResult>((resolve) => (finished = resolve));
  const incoming = createIncoming({
    size: content.byteLength,
    sha256: digest(content),
    name: 'f.bin',
    type: 'application/octet-stream',
    store,
    stored: () => {},
    finished: (result) => finished(result),
  });
  const from = incoming.received;
  for (let at = from; at < content.byteLength; at += MIN_CHUNK_BYTES)
    incoming.chunk(encodeChunk(at, content.slice(at, at + MIN_CHUNK_BYTES)));
  incoming.end(content.byteLength);
  return { store, from, result: await verdict };
}

test('a file a reload left goes on from the bytes its entry kept, hashed again from the disk: verified whole', async () => {
  const opfs = installOpfsStandIn();
  const content = bytesOf(5 * MIN_CHUNK_BYTES + 17);
  const kept = 3 * MIN_CHUNK_BYTES + 100; // a batch cut anywhere as the page went
  opfs.files().set(ENTRY, { bytes: content.slice(0, kept), open: false });
  const { store, from, result } = await receiveRest(content, ENTRY);
  assert.equal(store.entry, ENTRY, 'the same entry');
  assert.equal(from, kept, 'the first byte asked for is the first not kept');
  assert.ok(result.ok);
  assert.equal(await sha(result.file), digest(content));
  assert.deepEqual([...opfs.files().keys()], [ENTRY], 'no other entry made');
});

test('a kept byte changed on the disk fails the check at the end, and the file is discarded', async () => {
  const opfs = installOpfsStandIn();
  const content = bytesOf(4 * MIN_CHUNK_BYTES);
  const tampered = content.slice(0, 2 * MIN_CHUNK_BYTES);
  tampered[1000] = (tampered[1000] ?? 0) ^ 0xff;
  opfs.files().set(ENTRY, { bytes: tampered, open: false });
  const { from, result } = await receiveRest(content, ENTRY);
  assert.equal(from, 2 * MIN_CHUNK_BYTES);
  assert.deepEqual(result, { ok: false, reason: 'corrupt' });
  assert.deepEqual([...opfs.files().keys()], [], 'removed');
});

test('only an entry made for the transfer is gone on with; one that holds more than the file starts over', async () => {
  const opfs = installOpfsStandIn();
  const content = bytesOf(2 * MIN_CHUNK_BYTES);
  const others = ['other-transfer-id-abcdefgh', `${ID}-../../x`, '../roomlink-files', `${ID}-abcdefgh/x`];
  for (const name of others) opfs.files().set(name, { bytes: content.slice(0, MIN_CHUNK_BYTES), open: false });
  for (const resume of others) {
    const { store, from, result } = await receiveRest(content, resume);
    assert.equal(from, 0, resume);
    assert.notEqual(store.entry, resume);
    assert.ok(result.ok);
    assert.equal(opfs.asked.includes(resume), false, `${resume} never opened`);
  }
  opfs.files().set(ENTRY, { bytes: bytesOf(3 * MIN_CHUNK_BYTES), open: false });
  const { store, from, result } = await receiveRest(content, ENTRY);
  assert.equal(store.entry, ENTRY);
  assert.equal(from, 0, 'more than the file is nothing it can claim');
  assert.ok(result.ok);
  assert.equal(await sha(result.file), digest(content));
});

test('an entry the reloaded page still holds is tried again until it lets go; one that is gone starts over', async () => {
  const opfs = installOpfsStandIn();
  const content = bytesOf(3 * MIN_CHUNK_BYTES);
  opfs.files().set(ENTRY, { bytes: content.slice(0, MIN_CHUNK_BYTES), open: true });
  setTimeout(() => {
    const file = opfs.files().get(ENTRY);
    if (file) file.open = false; // the old page's worker ends
  }, 600);
  const resumed = await receiveRest(content, ENTRY);
  assert.equal(resumed.from, MIN_CHUNK_BYTES);
  assert.ok(resumed.result.ok);

  const gone = await receiveRest(content, `${ID}-gone0000`);
  assert.equal(gone.from, 0);
  assert.ok(gone.result.ok);
});

test('a receiver that reloads mid-file goes on from the bytes it stored: not asked again, and only the rest is sent', async () => {
  const opfs = installOpfsStandIn();
  const tab = {
    storage: new Map<string, string>(),
    openStore: (id: string, size: number, resume?: string) => openStoreOnThisThread(id, size, openDiskSink, resume),
  };
  const alice = createPage('alice-000001');
  const bob = createPage('bob-00000001', undefined, tab);
  link(alice, bob);
  bob.acceptLimit = 0; // Bob asks before every file
  const file = fileOf(4 * 1024 * 1024, 'big.bin');
  const [id] = await alice.files.sendFiles([file]);
  assert.ok(id);
  await until(() => lineOf(bob, id)?.asking === true, 'Bob is asked');
  lineOf(bob, id)?.actions.accept?.();
  const stored = () => Math.max(0, ...[...opfs.files().values()].map((entry) => entry.bytes.byteLength));
  await until(() => stored() >= 1024 * 1024, 'a megabyte on Bob’s disk');

  const again = reload(alice, bob, 'keeping its tab');
  opfs.pageGone();
  const atReload = stored();
  assert.ok(atReload < file.size, 'mid-file');
  alice.sentBytes = 0;
  await until(() => lineOf(again, id)?.state === 'verified', 'received after the reload');
  const line = lineOf(again, id);
  assert.equal(line?.asking, false, 'not asked again');
  assert.ok(line?.file);
  assert.equal(await sha(line.file), await sha(file));
  // The rest only, each chunk with its 8-byte header.
  const rest = file.size - atReload;
  assert.ok(alice.sentBytes >= rest && alice.sentBytes <= rest * 1.001, `${alice.sentBytes} sent for ${rest} left`);
  assert.equal(opfs.files().size, 1, 'one entry: the one gone on with');
  assert.equal(again.tab.storage.get('roomlink:files-unfinished:room'), '[]', 'off the list once over');
});
