// A received file's store, as the page sees it. Each chunk's bytes go to a worker serving
// that file alone while it comes (handed on to the next file after: worker-pool.ts), in batches, transferred rather than copied; the worker writes them to disk
// and hashes them (store-service.ts), so the page's main thread — chat, the UI, the other
// transfers — only checks each chunk and passes it on. Where workers are unavailable, the same service runs
// on this thread, in memory (small files only). A file on disk is held (a Web Lock: sink.ts)
// from the moment its entry is opened, so no other tab's sweep takes it while it comes, and
// none goes on with an entry this page writes to (a reload's, unfinished.ts).
import { sanitizeFileName } from '../../protocol/index.ts';
import { downloadable } from './incoming.ts';
import { holdStoredFile, holdStoredFileIfFree, readStoredFile, removeStoredFile, type Sink } from './sink.ts';
import {
  createStoreService,
  type DiskOpener,
  type StoreReply,
  type StoreRequest,
  type TaggedReply,
} from './store-service.ts';
import { createWorkerPool } from './worker-pool.ts';

/** Where the build puts the worker (scripts/build-client.ts). */
const WORKER_URL = '/store-worker.js';
/** Store workers kept idle for the next file: as many as run at once from one member. */
const workers = createWorkerPool(WORKER_URL, 4);
/** The last file given a worker (StoreRequest's session). */
let sessions = 0;
/**
 * Chunks are passed on in batches of this many bytes: a message to the worker costs about
 * the same for one 16 KiB chunk as for sixteen (profiled here: ~0.8 ms of the page's main
 * thread each, on a loaded machine, when every chunk was posted on its own).
 */
const BATCH_BYTES = 256 * 1024;
/** A batch that is not full goes this long after its first chunk at the latest. */
const BATCH_WAIT_MS = 20;

type ServiceResult = Extract<StoreReply, { kind: 'finished' }>['result'];

/**
 * The verdict as the page sees it. `remove`: takes the file off the device once the page no
 * longer offers it (its OPFS entry: sink.ts removeStoredFile; nothing for one in memory).
 * Never rejects, and is safe more than once. `entry`: where it is kept in OPFS (null: in
 * memory, gone with the page), which a reload of this tab finds it by (kept.ts).
 */
export type StoreResult =
  | { ok: true; file: Blob; entry: string | null; remove(): Promise<void> }
  | Extract<ServiceResult, { ok: false }>;

const nothingToRemove = (): Promise<void> => Promise.resolve();

/** `release`: the hold on its entry, from the moment it was opened, kept while the file is offered. */
function pageResult(result: ServiceResult, release: () => void): StoreResult {
  if (!result.ok) return result;
  const { file, entry } = result;
  if (entry === null) return { ok: true, file, entry, remove: nothingToRemove };
  // Held while offered, so that no other tab's sweep removes it (sink.ts).
  return { ok: true, file, entry, remove: letGo(entry, release) };
}

/** The remove of an entry this page holds (`release`): the hold goes, then the file. */
function letGo(entry: string, release: () => void): () => Promise<void> {
  return () => {
    release();
    return removeStoredFile(entry);
  };
}

/**
 * What a reload finds of a file this tab received before (kept.ts): `kept`, still in OPFS, the
 * file named and typed for download as when it came (the entry has neither) and its remove,
 * held as a file just received is; `gone` from the device (removed, swept, the browser's
 * storage cleared), its remove taking away whatever is left of its entry; or offered by
 * another page (`elsewhere`: a duplicated tab's copy of the list), which this one leaves it to.
 */
export type ReopenedFile =
  | { kind: 'kept'; file: File; remove(): Promise<void> }
  | { kind: 'gone'; remove(): Promise<void> }
  | { kind: 'elsewhere' };

export async function reopenStoredFile(kept: { entry: string; name: string; type: string }): Promise<ReopenedFile> {
  const release = await holdStoredFileIfFree(kept.entry);
  if (release === null) return { kind: 'elsewhere' };
  const stored = await readStoredFile(kept.entry);
  if (stored === null) {
    release();
    return { kind: 'gone', remove: () => removeStoredFile(kept.entry) };
  }
  return {
    kind: 'kept',
    file: downloadable(stored, sanitizeFileName(kept.name).name, kept.type),
    remove: letGo(kept.entry, release),
  };
}

export interface StoreEvents {
  /** Bytes [0, bytes) are written (in batches: store-service.ts, and at each settled()). */
  stored(bytes: number): void;
  /** The verdict, once: after finish(), or as soon as a write failed. */
  finished(result: StoreResult): void;
}

export interface Store {
  readonly where: Sink['kind'];
  /** Its entry in OPFS (null: in memory), for the tab's next load to go on with (unfinished.ts). */
  readonly entry: string | null;
  /**
   * Bytes [0, kept) are on the store already, and hashed: those an entry gone on with had
   * (a reload's). The first write is at `kept`.
   */
  readonly kept: number;
  /** Who hears what is stored and the verdict; set once, before the first write. */
  watch(events: StoreEvents): void;
  /** Bytes at offset, in order. Their buffer is the store's from now on: the caller must not touch it. */
  write(offset: number, bytes: Uint8Array): void;
  /** Resolves once every write asked for so far is done, and stored() has been told. */
  settled(): Promise<void>;
  /** Every byte is written: check the whole against `sha256` and give the verdict. */
  finish(sha256: string): void;
  /** Drops what was written, without a verdict. Safe to call at any time, more than once. */
  discard(): void;
}

/**
 * A store for a file of `size` bytes, or null when this browser has nowhere to put it.
 * `resume`: the entry this tab was receiving it into before a reload (unfinished.ts), gone on
 * with if it is still there and no other page holds it; else the file starts over.
 */
export type StoreOpener = (id: string, size: number, resume?: string) => Promise<Store | null>;

export const openStore: StoreOpener = async (id, size, resume) => {
  const store = await connect(id, size, resume, startWorker);
  if (store !== 'broken') return store;
  return openStoreOnThisThread(id, size, undefined, resume);
};

/**
 * The store service on this thread, writing to `openDisk`'s sink or else to memory: where
 * workers are unavailable, and in unit tests (which give it a sink of their own).
 */
export async function openStoreOnThisThread(
  id: string,
  size: number,
  openDisk: DiskOpener = async () => null,
  resume?: string,
): Promise<Store | null> {
  const store = await connect(id, size, resume, (listen) => startOnThisThread(listen, openDisk));
  return store === 'broken' ? null : store;
}

/** The way to a store service: its requests go through post(), its replies to `listen`. */
interface Port {
  post(request: StoreRequest, transfer?: Transferable[]): void;
  /** `done`: the service answered its last (a verdict, a discard, nowhere to put it), and may serve another file. */
  close(done: boolean): void;
}
type Listener = (reply: StoreReply | 'broken') => void;

function startWorker(listen: Listener): Port | null {
  const worker = workers.take();
  if (worker === null) return null;
  const session = ++sessions;
  // Only this file's replies: the worker may have served another before.
  worker.onmessage = ({ data }: MessageEvent<TaggedReply>) => {
    if (data.session === session) listen(data);
  };
  // It did not load, or it threw: either way no verdict will come from it.
  worker.onerror = () => listen('broken');
  let closed = false;
  return {
    post: (request, transfer = []) =>
      worker.postMessage(request.kind === 'open' ? { ...request, session } : request, transfer),
    close(done) {
      if (closed) return;
      closed = true;
      if (done) workers.give(worker);
      else workers.drop(worker);
    },
  };
}

function startOnThisThread(listen: Listener, openDisk: DiskOpener): Port {
  let closed = false;
  // Replies come later, as from a worker, never from inside the request that caused them.
  const handle = createStoreService((reply) => queueMicrotask(() => closed || listen(reply)), openDisk);
  return {
    post: (request) => closed || handle(request),
    close() {
      closed = true;
    },
  };
}

type Opened = Extract<StoreReply, { kind: 'opened' }>;

async function connect(
  id: string,
  size: number,
  resume: string | undefined,
  start: (listen: Listener) => Port | null,
): Promise<Store | null | 'broken'> {
  // An entry another page holds (a duplicated tab's, a file it offers) is not gone on with.
  const resumeHold = resume === undefined ? null : await holdStoredFileIfFree(resume);
  /** The hold on the entry opened, until the verdict hands it to the file's remove, or the store closes. */
  let release: (() => void) | null = null;
  let opened: (reply: Opened | 'broken') => void = () => {};
  const opening = new Promise<Opened | 'broken'>((resolve) => (opened = resolve));
  let events: StoreEvents | null = null;
  const syncs: (() => void)[] = [];
  /** Chunks not yet posted: [batchOffset, batchOffset + batchBytes). */
  let batch: Uint8Array[] = [];
  let batchOffset = 0;
  let batchBytes = 0;
  let batchTimer: ReturnType<typeof setTimeout> | null = null;
  /** A verdict came or the file is being discarded: nothing more goes to the service. */
  let over = false;

  function postBatch(): void {
    if (batchTimer !== null) clearTimeout(batchTimer);
    batchTimer = null;
    if (batch.length === 0) return;
    const parts = batch;
    batch = [];
    batchBytes = 0;
    if (!over)
      port?.post(
        { kind: 'write', offset: batchOffset, parts },
        parts.map((part) => part.buffer),
      );
  }

  /** `done`: the service gave its last answer, and may serve another file. */
  function close(done: boolean): void {
    over = true;
    postBatch(); // drops it
    port?.close(done);
    release?.();
    release = null;
    for (const resolve of syncs.splice(0)) resolve();
  }

  /** While the file is being discarded, a verdict is dropped: the port closes once it is gone. */
  function verdict(result: ServiceResult, done = true): void {
    if (over) return;
    const held = release ?? (() => {});
    if (result.ok) release = null; // the file's remove lets it go
    events?.finished(pageResult(result, held));
    close(done);
  }

  const port = start((reply) => {
    if (reply === 'broken') {
      opened('broken');
      if (over) return close(false);
      return verdict({ ok: false, reason: 'storage-failed' }, false);
    }
    switch (reply.kind) {
      case 'opened':
        return opened(reply);
      case 'stored':
        if (!over) events?.stored(reply.bytes);
        return;
      case 'synced':
        if (!over) events?.stored(reply.bytes);
        return syncs.shift()?.();
      case 'finished':
        return verdict(reply.result);
      case 'discarded':
        return close(true);
    }
  });
  if (port === null) {
    resumeHold?.();
    return 'broken';
  }
  port.post({ kind: 'open', id, size, ...(resumeHold && resume !== undefined ? { resume } : {}) });
  const reply = await opening;
  const onDisk = reply === 'broken' ? null : reply.entry;
  // The entry gone on with keeps the hold taken on it; a new one is held from now on.
  release = onDisk === null ? null : onDisk === resume && resumeHold ? resumeHold : holdStoredFile(onDisk);
  if (resumeHold && release !== resumeHold) resumeHold();
  if (reply === 'broken' || reply.where === null) {
    port.close(reply !== 'broken');
    return reply === 'broken' ? reply : null;
  }
  const { where, entry, kept } = reply;
  return {
    where,
    entry,
    kept,
    watch(watcher) {
      events = watcher;
    },
    write(offset, bytes) {
      if (over) return;
      if (batch.length === 0) {
        batchOffset = offset;
        batchTimer = setTimeout(postBatch, BATCH_WAIT_MS);
      }
      batch.push(bytes);
      batchBytes += bytes.byteLength;
      if (batchBytes >= BATCH_BYTES) postBatch();
    },
    settled() {
      if (over) return Promise.resolve();
      postBatch();
      return new Promise((resolve) => {
        syncs.push(resolve);
        port.post({ kind: 'sync' });
      });
    },
    finish(sha256) {
      postBatch();
      if (!over) port.post({ kind: 'finish', sha256 });
    },
    discard() {
      if (over) return;
      over = true;
      postBatch(); // drops it: nothing more is written
      // The service removes the file, then says so; the worker is stopped then (close()).
      port.post({ kind: 'discard' });
    },
  };
}
