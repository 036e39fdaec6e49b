// What the hashing worker does (hash-worker.ts wires it to the worker's messages), kept free
// of worker globals so a unit test can drive it: SHA-256 of bytes sent to it in order, or of
// a whole file it reads itself. Either way the page's main thread never hashes.
import { createHasher, hashInOrder } from './hash.ts';

/** Page → worker. */
export type HashRequest =
  | { kind: 'update'; bytes: Uint8Array }
  | { kind: 'digest' }
  | { kind: 'file'; file: Blob }
  | { kind: 'cancel' };

/** Worker → page. `hex` is null when a file could not be read or the hash was cancelled. */
export type HashReply = { kind: 'progress'; done: number } | { kind: 'digest'; hex: string | null };

export function createHashService(reply: (message: HashReply) => void): (request: HashRequest) => void {
  let hasher = createHasher();
  let cancelled = false;

  async function hashWholeFile(file: Blob): Promise<void> {
    const whole = createHasher();
    try {
      for await (const done of hashInOrder(file, whole, () => cancelled)) reply({ kind: 'progress', done });
    } catch {
      return reply({ kind: 'digest', hex: null }); // moved or changed on disk since it was picked
    }
    reply({ kind: 'digest', hex: cancelled ? null : await whole.hex() });
  }

  return (request) => {
    switch (request.kind) {
      case 'update':
        hasher.update(request.bytes);
        return;
      case 'digest': {
        const done = hasher;
        hasher = createHasher();
        void done.hex().then((hex) => reply({ kind: 'digest', hex }));
        return;
      }
      case 'file':
        // A worker serves file after file (worker-pool.ts): a cancel was for the one before.
        cancelled = false;
        void hashWholeFile(request.file);
        return;
      case 'cancel':
        cancelled = true;
        return;
    }
  };
}
