// The hashing worker's logic (client/files/hash-service.ts), driven directly: bytes sent in
// order, or a whole file read as a stream, give the SHA-256 node:crypto gives; a cancelled or
// unreadable file gives no digest.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { HASH_PROGRESS_BYTES, HASHES_AT_ONCE, hashFile } from '../../client/files/hash.ts';
import { createHashService, type HashReply } from '../../client/files/hash-service.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const content = new Uint8Array(2 * HASH_PROGRESS_BYTES + 1234);
for (let i = 0; i < content.length; i++) content[i] = (i * 31) % 251;

function service() {
  const replies: HashReply[] = [];
  let wake: (() => void) | null = null;
  const handle = createHashService((reply) => {
    replies.push(reply);
    if (reply.kind === 'digest') wake?.();
  });
  const digest = () =>
    new Promise<string | null>((resolve) => {
      wake = () => resolve((replies.at(-1) as Extract<HashReply, { kind: 'digest' }>).hex);
    });
  return { handle, replies, digest };
}

test('bytes sent in order hash like node:crypto, and a second digest starts afresh', async () => {
  const { handle, digest } = service();
  for (let at = 0; at < content.length; at += 65_536) handle({ kind: 'update', bytes: content.slice(at, at + 65_536) });
  let done = digest();
  handle({ kind: 'digest' });
  assert.equal(await done, sha(content));
  done = digest();
  handle({ kind: 'digest' });
  assert.equal(await done, sha(new Uint8Array()));
});

test('a whole file is read in order, with progress, and hashes like node:crypto', async () => {
  const { handle, replies, digest } = service();
  const done = digest();
  // In parts, as a file on disk streams: Node streams a blob made of one part in one piece.
  const parts = [];
  for (let at = 0; at < content.length; at += 1024 * 1024) parts.push(content.subarray(at, at + 1024 * 1024));
  handle({ kind: 'file', file: new Blob(parts) });
  assert.equal(await done, sha(content));
  const progress = replies.filter((r) => r.kind === 'progress').map((r) => r.done);
  assert.equal(progress.at(-1), content.length, 'the last report is the whole file');
  assert.ok(progress.length >= 3, 'reported along the way');
  for (let i = 1; i < progress.length - 1; i++)
    assert.ok((progress[i] ?? 0) - (progress[i - 1] ?? 0) >= HASH_PROGRESS_BYTES, 'at most one report per step');
});

test('a cancelled file gives no digest; the next file the worker is handed is hashed whole (worker-pool.ts)', async () => {
  const { handle, digest } = service();
  let done = digest();
  handle({ kind: 'file', file: new Blob([content]) });
  handle({ kind: 'cancel' });
  assert.equal(await done, null);
  done = digest();
  handle({ kind: 'file', file: new Blob([content]) });
  assert.equal(await done, sha(content));
});

test('files picked together are hashed HASHES_AT_ONCE at a time, started in the order picked, each to its own digest', async () => {
  let open = 0;
  let most = 0;
  const started: number[] = [];
  // A file whose stream says when it is read: one part, a few ms later, then its end.
  const slowFile = (index: number) => {
    const bytes = content.subarray(index * 1000, index * 1000 + 1000);
    return {
      bytes,
      blob: {
        stream() {
          started.push(index);
          open += 1;
          most = Math.max(most, open);
          let sent = false;
          return new ReadableStream<Uint8Array>({
            async pull(controller) {
              await new Promise((resolve) => setTimeout(resolve, 5));
              if (sent) {
                open -= 1;
                controller.close();
              } else {
                sent = true;
                controller.enqueue(bytes);
              }
            },
          });
        },
      } as unknown as Blob,
    };
  };
  const files = Array.from({ length: 6 }, (_, index) => slowFile(index));
  const digests = await Promise.all(files.map((file) => hashFile(file.blob)));
  assert.deepEqual(
    digests,
    files.map((file) => sha(file.bytes)),
  );
  assert.equal(most, HASHES_AT_ONCE, 'never more at once');
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5], 'in the order picked');
  // A file cancelled while it waits its turn is never read.
  const before = started.length;
  const waiting = [
    hashFile(slowFile(7).blob),
    hashFile(slowFile(8).blob),
    hashFile(slowFile(9).blob, undefined, () => true),
  ];
  assert.deepEqual((await Promise.all(waiting)).at(-1), null);
  assert.deepEqual(started.slice(before), [7, 8]);
});
