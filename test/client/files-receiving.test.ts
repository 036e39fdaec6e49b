// The receiving side of files on its own, against a stand-in member: a transfer that is over
// is not held (a member may offer and cancel files all day), and only its cleaned, capped
// name is; a member's files are taken without a click only up to a budget; one transfer gets
// one ask at a time, and a channel that was replaced brings nothing more.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { type TestContext, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KeptFile } from '../../client/files/kept.ts';
import type { FileLineInfo, FileState } from '../../client/files/line.ts';
import { createReceiving, type ReceivingOptions } from '../../client/files/receiving.ts';
import {
  AUTO_ACCEPT_BUDGET,
  AUTO_ACCEPT_FILES,
  PAGE_AUTO_ACCEPT_MEMBERS,
} from '../../client/files/receiving-auto-accept.ts';
import { EARLIER_OFFERS_MS } from '../../client/files/receiving-offers.ts';
import { createMemorySink } from '../../client/files/sink.ts';
import { openStoreOnThisThread } from '../../client/files/store.ts';
import {
  encodeChunk,
  type FileOffer,
  MAX_FILE_NAME_LENGTH,
  MAX_WIRE_FILE_NAME_LENGTH,
  MIN_CHUNK_BYTES,
} from '../../protocol/index.ts';
import { type FakeMember, manualClock, openMember } from './fake-member.ts';

interface Shown {
  info: FileLineInfo;
  state: FileState;
  status: string;
  asking: boolean;
  decline?: () => void;
  accept?: () => void;
  /** Bytes done in each progress the line was given, in order. */
  progress: number[];
  /** What the line's going for good runs once its file is ready. */
  remove?: () => Promise<void>;
}

/**
 * `acceptLimit`: bytes taken without asking. Files are received into memory, whatever their
 * size, unless `more` says otherwise.
 */
function harness(acceptLimit = 0, more: Partial<ReceivingOptions> = {}) {
  const lines: Shown[] = [];
  const receiving = createReceiving({
    selfId: () => 'me-000000001',
    notice: () => {},
    acceptLimit: () => acceptLimit,
    openStore: (id, size) => openStoreOnThisThread(id, size, async () => createMemorySink()),
    ...more,
    showLine(info, actions) {
      const shown: Shown = {
        info,
        state: 'offered',
        status: '',
        asking: false,
        progress: [],
        ...(actions.decline ? { decline: actions.decline } : {}),
        ...(actions.accept ? { accept: actions.accept } : {}),
      };
      lines.push(shown);
      return {
        state: (state, status) => {
          shown.state = state;
          shown.status = status;
        },
        progress(snapshot) {
          shown.progress.push(snapshot.done);
        },
        recipients() {},
        ask(asking) {
          shown.asking = asking;
        },
        ready(_file, remove) {
          shown.remove = remove;
        },
        gone() {},
        preview() {},
        offered() {},
        sharing() {},
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
  // Each waits for a click, and the sender is told so; then a is declined.
  assert.deepEqual(
    bob.wire.map((m) => [m.t, 'id' in m ? m.id : null]),
    [
      ['file:asking', offerId(1)],
      ['file:asking', offerId(2)],
      ['file:decline', offerId(1)],
    ],
  );
  // Sent again after a reconnect (what we said may have been lost with the channel): a is
  // declined again, b still waits for a click, and says so again; neither is shown twice.
  receiving.receive(bob, offer(1, 'a.txt'));
  receiving.receive(bob, offer(2, 'b.txt'));
  assert.deepEqual(
    bob.wire.slice(3).map((m) => [m.t, 'id' in m ? m.id : null]),
    [
      ['file:decline', offerId(1)],
      ['file:asking', offerId(2)],
    ],
  );
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

test('a sender that no longer has the file is not said to have cancelled it', () => {
  const { receiving, lines } = harness();
  const bob = openMember('bob-00000001');
  receiving.receive(bob, offer(1, 'a.txt'));
  receiving.receive(bob, offer(2, 'b.txt'));
  // Its page was reloaded (the file went with it), or the file can no longer be read there.
  receiving.receive(bob, { t: 'file:cancel', id: offerId(1), reason: 'unavailable' });
  receiving.receive(bob, { t: 'file:cancel', id: offerId(2), reason: 'cancelled' });
  assert.deepEqual(
    lines.map((line) => `${line.state}: ${line.status}`),
    ['cancelled: cancelled: bob-00000001 no longer has the file', 'cancelled: cancelled by bob-00000001'],
  );
});

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};
const acceptsOn = (member: FakeMember) => member.wire.filter((m) => m.t === 'file:accept');

test('files just under the accept limit are taken without a click only up to a budget per member', async () => {
  const limit = 100_000_000;
  const { receiving, lines } = harness(limit);
  const mallory = openMember('mallory-0001');
  const bob = openMember('bob-00000001');
  const sized = (n: number, size: number): FileOffer => ({ ...offer(n, `${n}.bin`), size });
  // File after file just under the limit, each cancelled by its sender to make room for the next.
  const taken = AUTO_ACCEPT_BUDGET / limit;
  for (let n = 0; n < taken + 3; n++) {
    receiving.receive(mallory, sized(n, limit));
    await turns(5);
    if (n < taken) receiving.receive(mallory, { t: 'file:cancel', id: offerId(n), reason: 'cancelled' });
  }
  assert.equal(acceptsOn(mallory).length, taken, `${taken} files (${AUTO_ACCEPT_BUDGET} bytes) taken, no more`);
  const waiting = lines.slice(taken);
  assert.ok(waiting.every((line) => line.state === 'offered' && line.asking));
  assert.match(
    waiting[0]?.status ?? '',
    /waiting for you to accept \(500 MB from mallory-0001 already taken without asking\)/,
  );
  // Past it, a click still takes one; and another member's budget is its own.
  waiting[0]?.accept?.();
  await turns(5);
  assert.equal(acceptsOn(mallory).length, taken + 1);
  receiving.receive(bob, sized(100, limit));
  await turns(5);
  assert.equal(acceptsOn(bob).length, 1);
  receiving.removed(mallory);
  receiving.removed(bob);
  // Mallory says bye and offers again: a new member object, the same peer id, the same budget.
  const again = openMember('mallory-0001');
  receiving.receive(again, sized(200, limit));
  await turns(5);
  assert.equal(acceptsOn(again).length, 0, 'a new member object with the same id gets no fresh budget');
  assert.equal(lines.at(-1)?.asking, true);
  receiving.removed(again);
});

test('a member joining again under new ids gets a budget each, but the page takes no more than four budgets in all without a click', async () => {
  const limit = 100_000_000;
  const { receiving, lines } = harness(limit);
  const files = AUTO_ACCEPT_BUDGET / limit;
  let n = 0;
  const taken: number[] = [];
  // Mallory in tab after tab: each join a new peer id, each offering its whole budget.
  for (let tab = 0; tab < PAGE_AUTO_ACCEPT_MEMBERS + 1; tab++) {
    const mallory = openMember(`mallory-${String(tab).padStart(4, '0')}`);
    for (let i = 0; i < files; i++) {
      receiving.receive(mallory, { ...offer(n, `${n}.bin`), size: limit });
      await turns(5);
      receiving.receive(mallory, { t: 'file:cancel', id: offerId(n), reason: 'cancelled' });
      n++;
    }
    taken.push(acceptsOn(mallory).length);
    receiving.removed(mallory);
  }
  assert.deepEqual(taken, [...Array(PAGE_AUTO_ACCEPT_MEMBERS).fill(files), 0], 'four budgets taken, no more');
  // Bob's next file waits too, and says why.
  const bob = openMember('bob-00000001');
  receiving.receive(bob, { ...offer(n, 'photo.jpg'), size: 3_000_000 });
  await turns(5);
  assert.equal(acceptsOn(bob).length, 0);
  assert.match(
    lines.at(-1)?.status ?? '',
    /^waiting for you to accept \(2.0 GB from this room already taken without asking\)$/,
  );
  lines.at(-1)?.accept?.();
  await turns(5);
  assert.equal(acceptsOn(bob).length, 1, 'a click still takes it');
  receiving.removed(bob);
});

test('empty files are counted too: a member has 500 taken without a click, the page four times that', async () => {
  const { receiving, lines } = harness(100_000_000);
  const empty = (n: number): FileOffer => ({ ...offer(n, `${n}.txt`), size: 0 });
  let n = 0;
  const taken: number[] = [];
  // Mallory in tab after tab, each offering empty file after empty file, each cancelled to make
  // room for the next (the concurrent limit is not what stops them).
  for (let tab = 0; tab < PAGE_AUTO_ACCEPT_MEMBERS + 1; tab++) {
    const mallory = openMember(`mallory-${String(tab).padStart(4, '0')}`);
    for (let i = 0; i < AUTO_ACCEPT_FILES + 1; i++) {
      receiving.receive(mallory, empty(n));
      await turns(3);
      receiving.receive(mallory, { t: 'file:cancel', id: offerId(n), reason: 'cancelled' });
      n++;
    }
    taken.push(acceptsOn(mallory).length);
    if (tab === 0) {
      assert.match(
        lines.at(-1)?.status ?? '',
        /^cancelled/,
        'the 501st was waiting for accept until its sender cancelled it',
      );
      assert.equal(lines.at(-1)?.asking, false);
    }
    receiving.removed(mallory);
  }
  assert.deepEqual(taken, [...Array(PAGE_AUTO_ACCEPT_MEMBERS).fill(AUTO_ACCEPT_FILES), 0]);
  // The next member's small file waits, and the line says it is the count, not the bytes.
  const bob = openMember('bob-00000001');
  receiving.receive(bob, { ...offer(n, 'notes.txt'), size: 100 });
  await turns(5);
  assert.equal(acceptsOn(bob).length, 0);
  assert.equal(lines.at(-1)?.asking, true);
  assert.equal(
    lines.at(-1)?.status,
    `waiting for you to accept (${PAGE_AUTO_ACCEPT_MEMBERS * AUTO_ACCEPT_FILES} files from this room already taken without asking)`,
  );
  receiving.removed(bob);
});

test('a member past its count is told so by the count', async () => {
  const { receiving, lines } = harness(100_000_000);
  const mallory = openMember('mallory-0001');
  for (let n = 0; n <= AUTO_ACCEPT_FILES; n++) {
    receiving.receive(mallory, { ...offer(n, `${n}.txt`), size: 0 });
    await turns(3);
    if (n < AUTO_ACCEPT_FILES) receiving.receive(mallory, { t: 'file:cancel', id: offerId(n), reason: 'cancelled' });
  }
  assert.equal(acceptsOn(mallory).length, AUTO_ACCEPT_FILES);
  assert.equal(
    lines.at(-1)?.status,
    `waiting for you to accept (${AUTO_ACCEPT_FILES} files from mallory-0001 already taken without asking)`,
  );
  lines.at(-1)?.accept?.();
  await turns(5);
  assert.equal(acceptsOn(mallory).length, AUTO_ACCEPT_FILES + 1, 'a click still takes it');
  receiving.removed(mallory);
});

test('the budget grows with the limit: five files at a limit someone raised are taken', async () => {
  const limit = 1_000_000_000;
  const { receiving } = harness(limit);
  const bob = openMember('bob-00000001');
  for (let n = 0; n < 6; n++) {
    receiving.receive(bob, { ...offer(n, `${n}.bin`), size: limit });
    await turns(5);
    receiving.receive(bob, { t: 'file:cancel', id: offerId(n), reason: 'cancelled' });
  }
  assert.equal(acceptsOn(bob).length, 5);
});

/** An open stand-in transfer channel that the test feeds by hand. */
function openChannel(id: string) {
  const listeners = new Map<string, ((event: { data?: unknown }) => void)[]>();
  return {
    label: `file:${id}`,
    readyState: 'open' as RTCDataChannelState,
    binaryType: 'arraybuffer',
    addEventListener(type: string, listener: (event: { data?: unknown }) => void) {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
    emit(type: string, event: { data?: unknown } = {}) {
      for (const listener of listeners.get(type) ?? []) listener(event);
    },
    send() {},
    close() {
      this.readyState = 'closed';
    },
  };
}

async function offeredAndTaken(content: Uint8Array) {
  const { receiving, lines } = harness(1e9);
  const alice = openMember('alice-000001');
  const id = offerId(7);
  const sha256 = createHash('sha256').update(content).digest('hex');
  receiving.receive(alice, { ...offer(7, 'f.bin'), size: content.byteLength, sha256 });
  await turns(10);
  assert.equal(acceptsOn(alice).length, 1);
  return { receiving, lines, alice, id };
}

test('a file received to disk is listed for the next load of the tab, and taken off the list when its line goes; one in memory is not', async () => {
  const listed: KeptFile[] = [];
  const forgotten: string[] = [];
  let onDisk = true;
  const { receiving, lines } = harness(1e9, {
    kept: {
      add: (file) => listed.push(file),
      forget: (from, id) => forgotten.push(`${from} ${id}`),
      has: (from, id) => from === 'bob-00000001' && id === offerId(9),
    },
    // A disk sink as OPFS gives one (sink.ts): its own entry name.
    openStore: (id, size) =>
      openStoreOnThisThread(id, size, async () =>
        onDisk ? { ...createMemorySink(), kind: 'disk', entry: `${id}-abcdefgh` } : createMemorySink(),
      ),
  });
  const bob = openMember('bob-00000001');
  bob.name = 'Bob';
  const content = new TextEncoder().encode('kept across a reload');
  const sha256 = createHash('sha256').update(content).digest('hex');
  const before = Date.now();
  for (const n of [1, 2]) {
    onDisk = n === 1;
    receiving.receive(bob, { ...offer(n, `notes-${n}.txt`), size: content.byteLength, sha256, type: 'text/plain' });
    await turns(10);
    const channel = openChannel(offerId(n));
    assert.ok(receiving.take(bob, channel as unknown as RTCDataChannel));
    channel.emit('message', { data: encodeChunk(0, content) });
    channel.emit('message', { data: JSON.stringify({ t: 'file:end', id: offerId(n), size: content.byteLength }) });
    for (let i = 0; i < 50 && lines[n - 1]?.state !== 'verified'; i++) await turns(5);
    assert.equal(lines[n - 1]?.state, 'verified');
  }
  assert.equal(listed.length, 1, 'the file in memory goes with the page: not listed');
  const [kept] = listed;
  assert.deepEqual(
    { ...kept, at: 0 },
    {
      id: offerId(1),
      from: 'bob-00000001',
      senderName: 'Bob',
      name: 'notes-1.txt',
      size: content.byteLength,
      type: 'text/plain',
      privateWith: null,
      entry: `${offerId(1)}-abcdefgh`,
      at: 0,
    },
  );
  assert.ok((kept?.at ?? 0) >= before && (kept?.at ?? 0) <= Date.now(), 'when it was offered');
  await lines[0]?.remove?.();
  assert.deepEqual(forgotten, [`bob-00000001 ${offerId(1)}`], 'its line gone for good: off the list');
  // Offered again, one received before the tab was reloaded (its line is back): said done,
  // not taken again.
  const shown = lines.length;
  const wired = bob.wire.length;
  receiving.receive(bob, { ...offer(9, 'again.txt'), size: content.byteLength, sha256 });
  await turns(5);
  assert.equal(lines.length, shown, 'no second line');
  assert.deepEqual(bob.wire.slice(wired), [{ t: 'file:done', id: offerId(9), result: 'verified' }]);
  receiving.removed(bob);
});

test('a file sent to the room before we joined (its offer says when) is taken by the same rules, its line and its kept entry by that time; a time in our future is now', async () => {
  const listed: KeptFile[] = [];
  const content = new TextEncoder().encode('the PDF I sent');
  const { receiving, lines } = harness(content.byteLength, {
    kept: { add: (file) => listed.push(file), forget: () => {}, has: () => false },
    openStore: (id, size) =>
      openStoreOnThisThread(id, size, async () => ({ ...createMemorySink(), kind: 'disk', entry: `${id}-abcdefgh` })),
  });
  const alice = openMember('alice-000001');
  const sha256 = createHash('sha256').update(content).digest('hex');
  const sent = 1_700_000_000_000;
  const earlier = (n: number, at: number, size = content.byteLength): FileOffer => ({
    ...offer(n, `${n}.pdf`),
    size,
    sha256,
    at,
  });
  receiving.receive(alice, earlier(1, sent));
  // One over the limit waits for a click, as any would; one stamped in our future is now.
  receiving.receive(alice, earlier(2, sent, content.byteLength + 1));
  const before = Date.now();
  receiving.receive(alice, earlier(3, Date.now() + 365 * 86_400_000));
  await turns(10);
  assert.equal(lines[0]?.info.sharedAt, sent, 'its line goes by when it was sent');
  assert.deepEqual(
    acceptsOn(alice).map((m) => m.id),
    [offerId(1), offerId(3)],
    'taken without a click, as one sent now would be',
  );
  assert.equal(lines[1]?.asking, true);
  assert.equal(lines[1]?.info.sharedAt, sent);
  const future = lines[2]?.info.sharedAt ?? 0;
  assert.ok(future >= before && future <= Date.now(), 'a time in our future is taken as now');
  const channel = openChannel(offerId(1));
  assert.ok(receiving.take(alice, channel as unknown as RTCDataChannel));
  channel.emit('message', { data: encodeChunk(0, content) });
  channel.emit('message', { data: JSON.stringify({ t: 'file:end', id: offerId(1), size: content.byteLength }) });
  for (let i = 0; i < 50 && lines[0]?.state !== 'verified'; i++) await turns(5);
  assert.equal(lines[0]?.state, 'verified');
  assert.deepEqual(
    listed.map((file) => [file.id, file.at]),
    [[offerId(1), sent]],
    'kept with when it was sent: a reload places it the same',
  );
  // One offered as any other has no such time; the earliest time there is, believed (history
  // places a line of that time first among the earlier ones, and so the view places this one).
  receiving.receive(alice, offer(4, 'now.pdf'));
  receiving.receive(alice, earlier(5, 0));
  assert.deepEqual([lines[3]?.info.sharedAt, lines[4]?.info.sharedAt], [undefined, 0]);
  receiving.removed(alice);
});

test('a file said to be sent before we joined is one only as the link to its sender opens: past EARLIER_OFFERS_MS, its `at` is not believed, and its line is a new one', () => {
  const clock = manualClock(1_000);
  const { receiving, lines } = harness(0, { now: clock.now });
  const mallory = openMember('mallory-0001');
  receiving.opened(mallory);
  const backdated = (n: number): FileOffer => ({ ...offer(n, `${n}.pdf`), at: 1_700_000_000_000 });
  receiving.receive(mallory, backdated(1));
  clock.advance(EARLIER_OFFERS_MS);
  receiving.receive(mallory, backdated(2));
  // An hour on, the member would slip a file's line among the earlier lines, dated as it likes
  // and told to nobody (or, once those lines went for good, nowhere, its file still taken).
  clock.advance(3_600_000);
  receiving.receive(mallory, backdated(3));
  // Its link cut and open again is the same member's: no new window.
  receiving.opened(mallory);
  receiving.receive(mallory, backdated(4));
  assert.deepEqual(
    lines.map((line) => line.info.sharedAt),
    [1_700_000_000_000, 1_700_000_000_000, undefined, undefined],
  );
  receiving.removed(mallory);
});

test('a member that joined after us shared nothing before we joined: its `at` is not believed, however soon it comes', () => {
  const { receiving, lines } = harness(0);
  const newcomer = openMember('newcomer-001') as ReturnType<typeof openMember> & { cameAfterUs: boolean };
  newcomer.cameAfterUs = true;
  receiving.opened(newcomer);
  receiving.receive(newcomer, { ...offer(1, 'backdated.pdf'), at: 1_700_000_000_000 });
  const here = openMember('here-0000001');
  receiving.opened(here);
  receiving.receive(here, { ...offer(2, 'shared.pdf'), at: 1_700_000_000_000 });
  assert.deepEqual(
    lines.map((line) => line.info.sharedAt),
    [undefined, 1_700_000_000_000],
  );
  receiving.removed(newcomer);
  receiving.removed(here);
});

test('a chunk still on its way on a channel that was replaced is dropped, not taken for the transfer', async () => {
  const content = Uint8Array.from({ length: 64 * 1024 }, (_, i) => i % 251);
  const { receiving, lines, alice, id } = await offeredAndTaken(content);
  const first = openChannel(id);
  assert.ok(receiving.take(alice, first as unknown as RTCDataChannel));
  first.emit('message', { data: encodeChunk(0, content.slice(0, 16_384)) });
  const second = openChannel(id);
  assert.ok(receiving.take(alice, second as unknown as RTCDataChannel));
  // The first channel's next chunk arrives late, then the second one's copy of it.
  first.emit('message', { data: encodeChunk(16_384, content.slice(16_384, 32_768)) });
  second.emit('message', { data: encodeChunk(16_384, content.slice(16_384, 32_768)) });
  second.emit('message', { data: encodeChunk(32_768, content.slice(32_768)) });
  second.emit('message', { data: JSON.stringify({ t: 'file:end', id, size: content.byteLength }) });
  for (let i = 0; i < 50 && lines[0]?.state === 'transferring'; i++) await turns(5);
  assert.equal(lines[0]?.state, 'verified', lines[0]?.status ?? 'no line');
});

test('bytes that come in a burst and then stop are shown: the line does not keep the burst’s first chunk', async () => {
  const content = Uint8Array.from({ length: 1_000_000 }, (_, i) => i % 251);
  const { receiving, lines, alice, id } = await offeredAndTaken(content);
  const channel = openChannel(id);
  assert.ok(receiving.take(alice, channel as unknown as RTCDataChannel));
  // Four chunks within one progress interval, then nothing (the sender's window is full).
  for (let offset = 0; offset < 4 * 16_384; offset += 16_384) {
    channel.emit('message', { data: encodeChunk(offset, content.slice(offset, offset + 16_384)) });
  }
  const deadline = Date.now() + 5_000;
  while (lines[0]?.progress.at(-1) !== 4 * 16_384 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual(lines[0]?.progress, [16_384, 4 * 16_384], 'the first chunk at once, the rest once the meter allows');
  channel.close();
  receiving.removed(alice);
});

test('a transfer’s channel carries one string, its file:end: any other, or one too long to be it, ends the transfer unparsed', async () => {
  const content = new Uint8Array(3 * MIN_CHUNK_BYTES);
  for (const junk of [
    'x'.repeat(60_000),
    JSON.stringify({ t: 'file:end', id: offerId(7), size: content.byteLength, pad: 'x'.repeat(1_000) }),
    JSON.stringify({ t: 'ping', n: 1 }),
    JSON.stringify({ t: 'file:end', id: offerId(8), size: content.byteLength }),
  ]) {
    const { receiving, lines, alice, id } = await offeredAndTaken(content);
    const channel = openChannel(id);
    assert.ok(receiving.take(alice, channel as unknown as RTCDataChannel));
    channel.emit('message', { data: encodeChunk(0, content.slice(0, MIN_CHUNK_BYTES)) });
    channel.emit('message', { data: junk });
    assert.equal(lines[0]?.state, 'corrupt', junk.slice(0, 40));
    assert.equal(channel.readyState, 'closed', 'its channel is closed: nothing more is read from it');
    assert.deepEqual(alice.wire.at(-1), { t: 'file:cancel', id, reason: 'out-of-range' });
  }
});

test('one ask at a time: hearing the link again while the channel is coming asks nothing; an offer again, or a channel long overdue, does', async (t: TestContext) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const content = new Uint8Array(3 * MIN_CHUNK_BYTES);
  const { receiving, lines, alice, id } = await offeredAndTaken(content);
  receiving.opened(alice); // heard again after a silence
  await turns(10);
  assert.equal(acceptsOn(alice).length, 1, 'no second ask while the channel may be on its way');
  // The sender offers again: it never got our ask (it offers again only what nobody accepted).
  receiving.receive(alice, { ...offer(7, 'f.bin'), size: content.byteLength, sha256: '0'.repeat(64) });
  assert.equal(acceptsOn(alice).length, 2);
  assert.equal(lines.length, 1);
  // No channel for long: it was lost with the link; ask once more.
  t.mock.timers.tick(10_000);
  await turns(10);
  assert.equal(acceptsOn(alice).length, 3);
  // Once a channel came, a link heard again asks nothing; its close asks from where it stopped.
  const channel = openChannel(id);
  assert.ok(receiving.take(alice, channel as unknown as RTCDataChannel));
  channel.emit('message', { data: encodeChunk(0, content.slice(0, MIN_CHUNK_BYTES)) });
  receiving.opened(alice);
  await turns(10);
  assert.equal(acceptsOn(alice).length, 3);
  channel.readyState = 'closed';
  channel.emit('close');
  for (let i = 0; i < 50 && acceptsOn(alice).length === 3; i++) await turns(5);
  assert.deepEqual(acceptsOn(alice).at(-1), { t: 'file:accept', id, from: MIN_CHUNK_BYTES });
  receiving.removed(alice);
});

test('a drop that closes the channel and the link at once counts as one resume, not two', async () => {
  const content = new Uint8Array(1_000);
  const { receiving, lines, alice, id } = await offeredAndTaken(content);
  // 15 drops: under the limit of 20 resumes, were each counted once.
  for (let drop = 1; drop <= 15; drop++) {
    const channel = openChannel(id);
    assert.ok(receiving.take(alice, channel as unknown as RTCDataChannel));
    channel.readyState = 'closed';
    channel.emit('close');
    receiving.opened(alice); // the link is heard again in the same moment
    for (let i = 0; i < 50 && acceptsOn(alice).length === drop; i++) await turns(5);
    assert.equal(acceptsOn(alice).length, drop + 1, `one ask after drop ${drop}`);
  }
  assert.equal(lines[0]?.state, 'transferring', lines[0]?.status ?? 'no line');
  receiving.removed(alice);
});
