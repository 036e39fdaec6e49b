// The per-room order between a node's membership operations and its write-back of a room
// (server/room-gate.ts), with operations that resolve when the test says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRoomGate } from '../server/room-gate.ts';

/** A promise the test resolves, and whether it has been. */
function pending<T = void>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('operations on a room run side by side; a write-back waits for those in flight, and later ones wait for it', async () => {
  const gate = createRoomGate();
  const log: string[] = [];
  const first = pending();
  const second = pending();
  const a = gate.inTurn('r', 1_000, async () => {
    log.push('a starts');
    await first.promise;
    log.push('a answered');
  });
  const b = gate.inTurn('r', 1_000, async () => {
    log.push('b starts');
    await second.promise;
    log.push('b answered');
  });
  await turn();
  const writeBack = gate.alone('r', async () => {
    log.push('write-back');
  });
  const c = gate.inTurn('r', 1_000, async () => {
    log.push('c starts');
  });
  const elsewhere = gate.inTurn('other', 1_000, async () => {
    log.push('another room');
  });
  await turn();
  first.resolve();
  await turn();
  second.resolve();
  await Promise.all([a, b, writeBack, c, elsewhere]);
  assert.deepEqual(log, ['a starts', 'b starts', 'another room', 'a answered', 'b answered', 'write-back', 'c starts']);
});

test('an operation waits for a write-back at most its wait, then gets null and does not run', async () => {
  const gate = createRoomGate();
  const stuck = pending();
  const writeBack = gate.alone('r', () => stuck.promise);
  let ran = false;
  const result = await gate.inTurn('r', 30, async () => {
    ran = true;
    return 'ran';
  });
  assert.equal(result, null);
  assert.equal(ran, false);
  stuck.resolve();
  await writeBack;
  assert.equal(await gate.inTurn('r', 30, async () => 'ran'), 'ran', 'the room is free again');
});

test('a failed write-back frees the room, and so does a failed operation', async () => {
  const gate = createRoomGate();
  await assert.rejects(
    gate.alone('r', async () => {
      throw new Error('redis went away');
    }),
  );
  await assert.rejects(
    gate.inTurn('r', 30, async () => {
      throw new Error('timed out');
    }),
  );
  let wrote = false;
  await gate.alone('r', async () => {
    wrote = true;
  });
  assert.equal(wrote, true);
  assert.equal(await gate.inTurn('r', 30, async () => 1), 1);
});
