// The receiving side of files on its own, against a stand-in member: a transfer that is over
// is not held (a member may offer and cancel files all day), and only its cleaned, capped
// name is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FileLineInfo, FileState } from '../../client/files/line.ts';
import { createReceiving } from '../../client/files/receiving.ts';
import { openStoreOnThisThread } from '../../client/files/store.ts';
import { type FileOffer, MAX_FILE_NAME_LENGTH, MAX_WIRE_FILE_NAME_LENGTH } from '../../protocol/index.ts';
import { type FakeMember, openMember } from './fake-member.ts';

interface Shown {
  info: FileLineInfo;
  state: FileState;
  decline?: () => void;
}

function harness(acceptLimit = 0) {
  const lines: Shown[] = [];
  const receiving = createReceiving({
    selfId: () => 'me-000000001',
    notice: () => {},
    acceptLimit: () => acceptLimit,
    openStore: (id, size) => openStoreOnThisThread(id, size),
    showLine(info, actions) {
      const shown: Shown = { info, state: 'offered', ...(actions.decline ? { decline: actions.decline } : {}) };
      lines.push(shown);
      return {
        state: (state) => {
          shown.state = state;
        },
        progress() {},
        ask() {},
        ready() {},
      };
    },
  });
  return { receiving, lines };
}

const offerId = (n: number) => `offer-${String(n).padStart(12, '0')}`;

/** An offer as it comes off the wire: the longest name the schema lets through, its own string. */
function offer(n: number, name = `${n}`.padEnd(MAX_WIRE_FILE_NAME_LENGTH, 'x')): FileOffer {
  return { t: 'file:offer', id: offerId(n), name, size: 10, type: '', sha256: '0'.repeat(64) };
}

/** The heap in use after a full collection (gc exposed for this test only). */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test('3,000 offers of 16,000-character names, each cancelled, leave no transfer and no raw name held', () => {
  const { receiving, lines } = harness();
  const mallory: FakeMember = openMember('mallory-0001');
  const before = heapAfterGc();
  for (let n = 0; n < 3_000; n++) {
    receiving.receive(mallory, offer(n));
    receiving.receive(mallory, { t: 'file:cancel', id: offerId(n), reason: 'cancelled' });
  }
  const grown = heapAfterGc() - before;
  // The raw names alone are 48 MB (53 MB grew before the fix); what stays is the 3,000
  // lines the test keeps, with their capped names and buttons (~5 MB).
  assert.ok(grown < 16_000_000, `the heap grew by ${(grown / 1e6).toFixed(1)} MB`);
  assert.equal(receiving.held(mallory), 0);
  assert.equal(lines.length, 3_000);
  assert.ok(lines.every((line) => line.state === 'cancelled'));
  assert.ok(lines.every((line) => line.info.name.length <= MAX_FILE_NAME_LENGTH));
});

test('a declined offer is dropped too, and an offer sent again after it ended is not shown again', () => {
  const { receiving, lines } = harness();
  const bob = openMember('bob-00000001');
  receiving.receive(bob, offer(1, 'a.txt'));
  receiving.receive(bob, offer(2, 'b.txt'));
  assert.equal(receiving.held(bob), 2);
  lines[0]?.decline?.();
  assert.equal(receiving.held(bob), 1);
  assert.deepEqual(
    bob.wire.map((m) => m.t),
    ['file:decline'],
  );
  // Sent again after a reconnect (our decline may have been lost with the channel).
  receiving.receive(bob, offer(1, 'a.txt'));
  receiving.receive(bob, offer(2, 'b.txt'));
  assert.equal(lines.length, 2);
  receiving.removed(bob);
  assert.equal(receiving.held(bob), 0);
  assert.deepEqual(
    lines.map((line) => line.state),
    ['declined', 'cancelled'],
  );
});

test('transfers that ended leave room: four cancelled, the next four are taken, not refused', () => {
  const { receiving, lines } = harness();
  const bob = openMember('bob-00000001');
  for (let n = 0; n < 4; n++) receiving.receive(bob, offer(n, `${n}.txt`));
  for (let n = 0; n < 4; n++) receiving.receive(bob, { t: 'file:cancel', id: offerId(n), reason: 'cancelled' });
  for (let n = 4; n < 8; n++) receiving.receive(bob, offer(n, `${n}.txt`));
  assert.equal(receiving.held(bob), 4);
  assert.equal(lines.length, 8);
  assert.ok(!bob.wire.some((m) => m.t === 'file:decline'));
});
