// A received file kept on disk (an OPFS entry, files/sink.ts) is taken off the device through
// the verdict's remove (files/store.ts), which the file's line calls when it goes for good
// (dropped-lines.test.ts): only its own entry, since another tab of the browser may hold the
// same transfer under a name of its own, and never with a rejection. On a stand-in OPFS put
// on navigator.storage (Node has none).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, test } from 'node:test';
import { createIncoming, type IncomingResult } from '../../client/files/incoming.ts';
import { createMemorySink, removeStoredFile, type Sink, sweepStaleFiles } from '../../client/files/sink.ts';
import { openStoreOnThisThread } from '../../client/files/store.ts';
import { encodeChunk } from '../../protocol/index.ts';

const FOLDER = 'roomlink-files';
const notFound = (): DOMException => new DOMException('not found', 'NotFoundError');

/** Folders of entry names; removeEntry rejects as the browser's does, or always with `refuse`. */
function installOpfs(folders: Record<string, Set<string>>, refuse?: Error) {
  const asked: string[] = [];
  const root = {
    async getDirectoryHandle(name: string, options?: { create?: boolean }) {
      asked.push(name);
      let entries = folders[name];
      if (!entries) {
        if (!options?.create) throw notFound();
        entries = folders[name] = new Set();
      }
      const found = entries;
      return {
        async removeEntry(entry: string) {
          if (refuse) throw refuse;
          if (!found.delete(entry)) throw notFound();
        },
      };
    },
  };
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    value: { storage: { getDirectory: async () => root } },
  });
  return { asked };
}

afterEach(() => Reflect.deleteProperty(globalThis, 'navigator'));

/** Receives `content` through a store on `sink` and returns the verdict. */
async function receive(content: Uint8Array, sink: Sink): Promise<IncomingResult> {
  const store = await openStoreOnThisThread('V1StGXR8_Z5jdHi6B-myT', content.byteLength, async () => sink);
  assert.ok(store);
  let finished: (result: IncomingResult) => void = () => {};
  const verdict = new Promise<IncomingResult>((resolve) => (finished = resolve));
  const incoming = createIncoming({
    size: content.byteLength,
    sha256: createHash('sha256').update(content).digest('hex'),
    name: 'f.bin',
    type: 'application/octet-stream',
    store,
    stored: () => {},
    finished: (result) => finished(result),
  });
  incoming.chunk(encodeChunk(0, content));
  incoming.end(content.byteLength);
  return verdict;
}

test('a verified file kept on disk is removed by its verdict’s remove: its own entry only, and again safely', async () => {
  const entries = new Set(['V1StGXR8_Z5jdHi6B-myT-ours0001', 'V1StGXR8_Z5jdHi6B-myT-tab20002', 'other-entry']);
  installOpfs({ [FOLDER]: entries });
  const onDisk: Sink = { ...createMemorySink(), kind: 'disk', entry: 'V1StGXR8_Z5jdHi6B-myT-ours0001' };
  const result = await receive(new Uint8Array([1, 2, 3]), onDisk);
  assert.ok(result.ok);
  assert.equal(entries.size, 3, 'kept until asked');

  await result.remove();
  assert.deepEqual([...entries], ['V1StGXR8_Z5jdHi6B-myT-tab20002', 'other-entry'], 'another tab’s copy stays');
  await result.remove(); // gone already: resolves all the same
});

test('a file received into memory has nothing on the device to remove', async () => {
  const { asked } = installOpfs({ [FOLDER]: new Set(['V1StGXR8_Z5jdHi6B-myT-tab20002']) });
  const result = await receive(new Uint8Array([4, 5]), createMemorySink());
  assert.ok(result.ok);
  await result.remove();
  assert.deepEqual(asked, [], 'OPFS not even opened');
});

test('removing never rejects: no OPFS, no folder, or an entry the browser will not remove', async () => {
  await removeStoredFile('x-1'); // Node: no navigator.storage
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: {} });
  await removeStoredFile('x-1');
  const folders: Record<string, Set<string>> = {};
  installOpfs(folders);
  await removeStoredFile('x-1');
  assert.equal(folders[FOLDER], undefined, 'no folder is made to remove from');
  const kept = new Set(['x-1']);
  installOpfs({ [FOLDER]: kept }, new DOMException('in use', 'NoModificationAllowedError'));
  await removeStoredFile('x-1');
  assert.deepEqual([...kept], ['x-1'], 'left for the sweep');
});

/** A stand-in for the origin's Web Locks, shared by every "tab" of the test. */
function installLocks() {
  const held = new Set<string>();
  return {
    held,
    locks: {
      async request(name: string, callback: () => Promise<void>) {
        held.add(name);
        try {
          await callback();
        } finally {
          held.delete(name);
        }
      },
      async query() {
        return { held: [...held].map((name) => ({ name })) };
      },
    },
  };
}

test('a tab’s sweep leaves a file another tab still offers, however old, and removes the left-behind ones', async () => {
  const day = 24 * 60 * 60 * 1000;
  const now = Date.now();
  const ages: Record<string, number> = { offered: 2 * day, 'left-behind': 2 * day, recent: 1_000 };
  const entries = new Set(Object.keys(ages));
  const folder = {
    async *entries() {
      for (const name of [...entries])
        yield [name, { kind: 'file', getFile: async () => ({ lastModified: now - (ages[name] ?? 0) }) }] as const;
    },
    async removeEntry(name: string) {
      if (!entries.delete(name)) throw notFound();
    },
  };
  const { held, locks } = installLocks();
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    value: { locks, storage: { getDirectory: async () => ({ getDirectoryHandle: async () => folder }) } },
  });
  // The long-open tab received "offered" and still offers it for download.
  const onDisk: Sink = { ...createMemorySink(), kind: 'disk', entry: 'offered' };
  const result = await receive(new Uint8Array([7, 8, 9]), onDisk);
  assert.ok(result.ok);
  assert.deepEqual([...held], ['roomlink-offered-file:offered']);

  await sweepStaleFiles(now); // a new tab starts
  assert.deepEqual([...entries].sort(), ['offered', 'recent']);

  await result.remove(); // its line went for good: the lock goes with the file
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual([...held], []);
  assert.deepEqual([...entries], ['recent']);
});
