// SHA-256 of a whole file, computed incrementally: WebCrypto's digest() takes the whole
// input at once, which for a large file means holding it in memory. @noble/hashes is
// plain JavaScript (no WebAssembly, so the page's CSP needs no 'wasm-unsafe-eval').
//
// In the page the hashing runs in workers — a file to send in public/hash-worker.js
// (hash-service.ts), a received one in public/store-worker.js (store-service.ts) — so a
// large file never keeps the main thread — chat, the UI, the chunks of other transfers —
// waiting; where there is no worker (unit tests, a failed load) it runs here.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { HashReply, HashRequest } from './hash-service.ts';
import { createWorkerPool } from './worker-pool.ts';

/** Progress of a whole file's hash is reported each time this many more bytes are hashed. */
export const HASH_PROGRESS_BYTES = 4 * 1024 * 1024;
/** Where the build puts the worker (scripts/build-client.ts). */
const WORKER_URL = '/hash-worker.js';
/**
 * Files hashed at once, at most, on the pool's workers; the rest wait their turn in the order
 * they were picked. Started all at once, the 64 files of a set each started a worker of their
 * own: the second offer went out 1.3 s after the first, and the offers in whatever order their
 * hashes ended.
 */
export const HASHES_AT_ONCE = 2;
/** Hashing workers kept idle for the next file (worker-pool.ts): one per hash at once. */
const workers = createWorkerPool(WORKER_URL, HASHES_AT_ONCE);

export interface Hasher {
  update(bytes: Uint8Array): void;
  /** Lowercase hex, as file:offer carries it. Call once. */
  hex(): Promise<string>;
}

export function createHasher(): Hasher {
  const state = sha256.create();
  return {
    update: (bytes) => void state.update(bytes),
    hex: async () => bytesToHex(state.digest()),
  };
}

/**
 * The worker's next digest: its hex, null (the file could not be read, or the hash was
 * cancelled), or failed (no worker). Once it came, the worker goes back to the pool; one that
 * failed is stopped.
 */
function digestOf(worker: Worker, progress: (done: number) => void = () => {}): Promise<string | null | 'failed'> {
  return new Promise((resolve) => {
    worker.onmessage = ({ data }: MessageEvent<HashReply>) => {
      if (data.kind === 'progress') return progress(data.done);
      workers.give(worker);
      resolve(data.hex);
    };
    worker.onerror = () => {
      workers.drop(worker);
      resolve('failed');
    };
  });
}

let workersUsable: Promise<boolean> | null = null;

/** Whether a hashing worker loads and answers here: asked once per page. */
function canUseWorkers(): Promise<boolean> {
  workersUsable ??= (async () => {
    const worker = workers.take();
    if (worker === null) return false;
    const digest = digestOf(worker);
    worker.postMessage({ kind: 'digest' } satisfies HashRequest);
    return (await digest) !== 'failed';
  })();
  return workersUsable;
}

/** Reads the file in order (never whole), reporting bytes hashed so far; null if cancelled or unreadable. */
export async function hashFile(
  file: Blob,
  progress: (done: number) => void = () => {},
  cancelled: () => boolean = () => false,
): Promise<string | null> {
  await hashTurn();
  try {
    return cancelled() ? null : await hashNow(file, progress, cancelled);
  } finally {
    endHashTurn();
  }
}

/** Hashes with their turn now: HASHES_AT_ONCE at most. */
let hashesRunning = 0;
/** Hashes waiting for a turn, oldest first: each is handed the turn of one that ends. */
const hashesWaiting: (() => void)[] = [];

function hashTurn(): Promise<void> {
  if (hashesRunning < HASHES_AT_ONCE) {
    hashesRunning += 1;
    return Promise.resolve();
  }
  return new Promise((resolve) => hashesWaiting.push(resolve));
}

function endHashTurn(): void {
  const next = hashesWaiting.shift();
  if (next) next();
  else hashesRunning -= 1;
}

async function hashNow(file: Blob, progress: (done: number) => void, cancelled: () => boolean): Promise<string | null> {
  const worker = (await canUseWorkers()) ? workers.take() : null;
  if (worker !== null) {
    const digest = digestOf(worker, (done) => {
      progress(done);
      if (cancelled()) worker.postMessage({ kind: 'cancel' } satisfies HashRequest);
    });
    worker.postMessage({ kind: 'file', file } satisfies HashRequest);
    const hex = await digest;
    if (hex !== 'failed') return cancelled() ? null : hex;
  }
  const hasher = createHasher();
  try {
    for await (const done of hashInOrder(file, hasher, cancelled)) progress(done);
  } catch {
    return null;
  }
  return cancelled() ? null : hasher.hex();
}

/**
 * Feeds the whole file to `hasher` in order, yielding the bytes hashed so far every
 * HASH_PROGRESS_BYTES and at the end; stops early once cancelled. It reads the file as a
 * stream: slice by slice, each read is a round trip to the browser's blob store (256 KiB
 * slices read 28 MiB/s here, the stream 170 MiB/s), and a large file waited on its hash.
 * Throws when the file cannot be read.
 */
export async function* hashInOrder(file: Blob, hasher: Hasher, cancelled: () => boolean): AsyncGenerator<number> {
  const reader = file.stream().getReader();
  let done = 0;
  let reported = 0;
  try {
    while (!cancelled()) {
      const next = await reader.read();
      if (next.done) break;
      hasher.update(next.value);
      done += next.value.byteLength;
      if (done - reported >= HASH_PROGRESS_BYTES) {
        reported = done;
        yield done;
      }
    }
    if (done > reported && !cancelled()) yield done;
  } finally {
    void reader.cancel().catch(() => {});
  }
}
