// server/membership-write-back.ts and membership-stale.ts, without Redis: a room written back
// after Redis was unreachable for it is made whole as after an outage (room-mending.ts); one
// whose command only timed out is written back and left to the adapter, which still carried
// its joins. And which failures count as which (membership-connection.ts staleCause).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClientClosedError, ClientOfflineError, ErrorReply, TimeoutError } from '@redis/client';
import { createLogger } from '../server/logger.ts';
import { createRoomTable } from '../server/membership.ts';
import { type MembershipConnection, staleCause } from '../server/membership-connection.ts';
import { createStaleRooms } from '../server/membership-stale.ts';
import { createWriteBack } from '../server/membership-write-back.ts';
import { createRoomGate } from '../server/room-gate.ts';
import { DeadlineError } from '../server/timeout.ts';

/** A write-back of one node holding a member in rooms R1…R3, on a Redis that answers every script (or fails them all). */
function writeBackBed() {
  let failing = false;
  const connection = {
    redis: { sAdd: async () => 1, sRem: async () => 1, sMembers: async () => [] },
    run: async () => {
      if (failing) throw new ClientOfflineError();
      return ['ok'];
    },
  } as unknown as MembershipConnection;
  const own = createRoomTable();
  for (const room of ['R1', 'R2', 'R3']) own.put(room, { peerId: `p-${room}`, name: 'Ann', socketId: `s-${room}` });
  const stale = createStaleRooms();
  const mended: string[][] = [];
  const writeBack = createWriteBack({
    connection,
    nodeId: 'node-a',
    own,
    gate: createRoomGate(),
    stale,
    log: createLogger('silent'),
    onReplaced: undefined,
    onWrittenBack: (rooms) => mended.push(rooms),
  });
  return {
    stale,
    mended,
    writeBack,
    fail: (value: boolean) => {
      failing = value;
    },
  };
}

test('a room whose command failed outright is mended after its write-back; one whose command was late is not', async () => {
  const bed = writeBackBed();
  bed.stale.mark('R1', 'unreachable');
  bed.stale.mark('R2', 'late');
  bed.stale.mark('R3', 'unreachable');
  bed.stale.mark('R3', 'late'); // a later timeout does not make it only late
  await bed.writeBack();
  assert.deepEqual(bed.mended, [['R1', 'R3']]);
  assert.equal(bed.stale.any(), false);
});

test('a write-back that fails keeps why each room was stale: the next one mends the unreachable room', async () => {
  const bed = writeBackBed();
  bed.stale.mark('R1', 'unreachable');
  bed.stale.mark('R2', 'late');
  bed.fail(true);
  await assert.rejects(bed.writeBack());
  assert.deepEqual(bed.mended, []);
  bed.fail(false);
  await bed.writeBack();
  assert.deepEqual(bed.mended, [['R1']]);
});

test('after an outage every room written back is mended, as before', async () => {
  const bed = writeBackBed();
  bed.stale.mark();
  await bed.writeBack();
  assert.deepEqual(bed.mended, [['R1', 'R2', 'R3']]);
});

test('no answer in time is late; a connection down, cut or a Cluster failing over is unreachable', () => {
  assert.equal(staleCause(new DeadlineError(400)), 'late');
  assert.equal(staleCause(new TimeoutError()), 'late');
  assert.equal(staleCause(new ErrorReply('BUSY Redis is busy running a script')), 'late');
  assert.equal(staleCause(new ClientOfflineError()), 'unreachable');
  assert.equal(staleCause(new ErrorReply('CLUSTERDOWN The cluster is down')), 'unreachable');
  assert.equal(staleCause(new Error('Socket closed unexpectedly')), 'unreachable');
  assert.equal(staleCause(new ClientClosedError()), 'unreachable');
  assert.equal(staleCause(new ErrorReply('TRYAGAIN Multiple keys request during rehashing of slot')), 'unreachable');
  assert.equal(
    staleCause(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7001'), { code: 'ECONNREFUSED' })),
    'unreachable',
  );
});

test('a command failing on its own (a script’s error, an OOM) is late, not unreachable: the room is not mended for it', () => {
  assert.equal(staleCause(new ErrorReply('ERR user_script:12: attempt to compare nil with number')), 'late');
  assert.equal(staleCause(new ErrorReply('OOM command not allowed when used memory > maxmemory')), 'late');
  assert.equal(staleCause(new ErrorReply('NOSCRIPT No matching script')), 'late');
  assert.equal(staleCause('not an Error'), 'late');
});
