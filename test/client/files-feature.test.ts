// The files feature end to end between stand-in members: offers, accept and decline, cancel
// from either side, and a member leaving — with messages passed through the real parser and
// chunks through stand-in data channels (files-pages.ts). The per-member limits on both sides
// (how many run at once, how many wait) are files-turns.test.ts's.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isFinal } from '../../client/files/line.ts';
import { formatProgress, STALL_MS } from '../../client/files/progress.ts';
import { AWAY_MS } from '../../client/files/sending-recipients.ts';
import { labelText } from '../../client/files/sent-line.ts';
import {
  type ChannelMessage,
  encodeChannelMessage,
  FILE_UNREADABLE_VERSION,
  MAX_TRANSFER_RESUMES,
} from '../../protocol/index.ts';
import {
  type ChannelEnd,
  fileOf,
  hello,
  joinLater,
  lineOf,
  type Page,
  reload,
  room,
  roomStalling,
  sha,
  stateOf,
  turns,
  until,
} from './files-pages.ts';

test('a file to the room arrives verified at every member, with the same bytes', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  const file = fileOf(300_000);
  const [id] = await alice.files.sendFiles([file]);
  assert.ok(id);
  await until(() => stateOf(alice, id) === 'verified', 'sender sees verified');
  for (const receiver of [bob, carol]) {
    assert.equal(stateOf(receiver, id), 'verified');
    const received: File | null | undefined = lineOf(receiver, id)?.file;
    assert.ok(received);
    assert.equal(await sha(received), await sha(file));
    assert.equal(received.name, 'data.bin');
  }
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 ✓ received', 'carol-00001 ✓ received']);
  assert.equal(lineOf(alice, id)?.previewed, file.name, 'the sender’s line previews what it sends');
});

test('a private file goes to one member only', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  const [id] = await alice.files.sendFiles([fileOf(1000)], alice.members.get(bob.id) ?? null);
  assert.ok(id);
  await until(() => stateOf(bob, id) === 'verified', 'bob verified');
  await until(() => stateOf(alice, id) === 'verified', 'alice sees verified');
  assert.equal(lineOf(carol, id), undefined);
  assert.equal(lineOf(bob, id)?.info.privateWith, 'alice-00001');
});

test('the sender’s line shows the name as its recipients do, made safe, and keeps that name for a reload, however long the file’s own', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  const hostile = new File(['x'], 'invoice\u202Egpj.exe', { type: 'application/octet-stream' });
  const long = new File(['y'], `${'L'.repeat(600)}.txt`, { type: 'text/plain' });
  const plain = fileOf(10, 'short.txt');
  const ids = await alice.files.sendFiles([hostile, long, plain]);
  await until(() => ids.every((id) => stateOf(alice, id) === 'verified'), 'all verified');
  for (const id of ids) {
    assert.equal(lineOf(alice, id)?.info.name, lineOf(bob, id)?.info.name, 'as bob’s line shows it');
    assert.equal(lineOf(alice, id)?.info.nameChanged, lineOf(bob, id)?.info.nameChanged);
  }
  assert.equal(lineOf(alice, ids[0] ?? '')?.info.name, 'invoice_gpj.exe');
  assert.equal(lineOf(alice, ids[0] ?? '')?.info.nameChanged, true);
  assert.equal(lineOf(alice, ids[2] ?? '')?.info.nameChanged, false);
  // Listed for the next load under the name its line shows, and read back: the 604-character
  // name's line was dropped from the list whole.
  assert.deepEqual(
    alice.sent.map((kept) => [kept.id, kept.name, kept.nameChanged]),
    ids.map((id) => [id, lineOf(bob, id)?.info.name, lineOf(bob, id)?.info.nameChanged]),
  );
});

test('a file over the receiver limit waits; a decline reaches the sender', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  bob.acceptLimit = 500;
  const [id] = await alice.files.sendFiles([fileOf(1000)]);
  assert.ok(id);
  await until(() => lineOf(bob, id)?.asking === true, 'bob is asked');
  assert.equal(stateOf(bob, id), 'offered');
  lineOf(bob, id)?.actions.decline?.();
  await until(() => stateOf(alice, id) === 'declined', 'alice sees declined');
  assert.equal(stateOf(bob, id), 'declined');
});

test('accepting a waiting file transfers it', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  bob.acceptLimit = 0;
  const [id] = await alice.files.sendFiles([fileOf(5000)]);
  assert.ok(id);
  await until(() => lineOf(bob, id)?.asking === true, 'bob is asked');
  lineOf(bob, id)?.actions.accept?.();
  await until(() => stateOf(alice, id) === 'verified', 'verified');
});

test('the sender cancels an offer, and the receiver cancels one: both sides say cancelled, each recipient as it stands', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  bob.acceptLimit = 0;
  const [first, second] = await alice.files.sendFiles([fileOf(100, 'a'), fileOf(100, 'b')]);
  assert.ok(first && second);
  await until(() => lineOf(bob, first)?.asking === true && lineOf(bob, second)?.asking === true, 'bob is asked');
  lineOf(alice, first)?.actions.cancel();
  await until(() => stateOf(bob, first) === 'cancelled', 'bob sees the sender cancel');
  assert.equal(stateOf(alice, first), 'cancelled');
  // Alice's line says what became of the file for Bob, not that Bob cancelled it.
  assert.deepEqual(lineOf(alice, first)?.recipients, ['bob-0000001 not sent']);
  lineOf(bob, second)?.actions.cancel();
  await until(() => stateOf(alice, second) === 'cancelled', 'alice sees the receiver cancel');
  assert.deepEqual(lineOf(alice, second)?.recipients, ['bob-0000001 cancelled']);
});

test('a recipient’s cancel with a reason only a sender gives reads as that recipient cancelling, not as the file unreadable', async () => {
  const [alice, bob, mallory, oscar] = room('alice-00001', 'bob-0000001', 'mallory-001', 'oscar-00001') as [
    Page,
    Page,
    Page,
    Page,
  ];
  hello([alice, bob, mallory, oscar], FILE_UNREADABLE_VERSION);
  mallory.acceptLimit = 0;
  oscar.acceptLimit = 0;
  const [id] = await alice.files.sendFiles([fileOf(3000, 'holiday.zip')]);
  assert.ok(id);
  await until(() => lineOf(mallory, id)?.asking === true && lineOf(oscar, id)?.asking === true, 'both are asked');
  // Each answers the offer with the words of a sender whose file went: theirs to say of their own files only.
  mallory.members.get(alice.id)?.send({ t: 'file:cancel', id, reason: 'unreadable' });
  oscar.members.get(alice.id)?.send({ t: 'file:cancel', id, reason: 'unavailable' });
  await until(
    () =>
      stateOf(alice, id) === 'verified' &&
      lineOf(alice, id)?.recipients.every((r) => !r.includes('no answer')) === true,
    'alice hears every recipient',
  );
  assert.deepEqual(lineOf(alice, id)?.recipients, [
    'bob-0000001 ✓ received',
    'mallory-001 cancelled',
    'oscar-00001 cancelled',
  ]);
  assert.equal(lineOf(alice, id)?.status, 'shared: it goes to whoever joins', 'nothing said of alice’s own file');
});

test('a sender’s cancel with a reason only a receiver gives reads as the sender cancelling', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  bob.acceptLimit = 0;
  const ids = await alice.files.sendFiles([fileOf(100, 'a'), fileOf(100, 'b'), fileOf(100, 'c')]);
  await until(() => ids.every((id) => lineOf(bob, id)?.asking === true), 'bob is asked');
  const reasons = ['storage-failed', 'size-mismatch', 'out-of-range'] as const;
  for (const [i, id] of ids.entries()) {
    alice.members.get(bob.id)?.send({ t: 'file:cancel', id, reason: reasons[i] ?? 'cancelled' });
  }
  await until(() => ids.every((id) => stateOf(bob, id) === 'cancelled'), 'bob hears each');
  assert.deepEqual(
    ids.map((id) => lineOf(bob, id)?.status),
    ids.map(() => 'cancelled by alice-00001'),
  );
});

test('a received file whose line went for good: waiting, it is declined; on its way, cancelled; verified, left alone', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  bob.acceptLimit = 0;
  const [waiting, coming] = await alice.files.sendFiles([fileOf(300, 'w'), fileOf(300, 'c')]);
  assert.ok(waiting && coming);
  await until(() => lineOf(bob, waiting)?.asking === true && lineOf(bob, coming)?.asking === true, 'bob is asked');
  // A file we send goes on whatever our page keeps: its line gone, only its sharing ends.
  lineOf(alice, waiting)?.actions.gone?.();
  lineOf(bob, waiting)?.actions.gone?.();
  await until(() => stateOf(alice, waiting) === 'declined', 'alice hears the decline');
  lineOf(bob, coming)?.actions.accept?.();
  assert.equal(stateOf(bob, coming), 'transferring');
  lineOf(bob, coming)?.actions.gone?.();
  await until(() => stateOf(alice, coming) === 'cancelled', 'alice hears the cancel');
  assert.equal(stateOf(bob, coming), 'cancelled');
  bob.acceptLimit = 100_000_000;
  const [done] = await alice.files.sendFiles([fileOf(300, 'd')]);
  assert.ok(done);
  await until(() => stateOf(alice, done) === 'verified', 'verified');
  lineOf(bob, done)?.actions.gone?.();
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stateOf(bob, done), 'verified');
  assert.equal(stateOf(alice, done), 'verified');
});

test('an answer lost with the link is said again: when the sender offers again, and when the link is back', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  bob.acceptLimit = 0;
  const [first, second] = await alice.files.sendFiles([fileOf(200, 'a'), fileOf(200, 'b')]);
  assert.ok(first && second);
  await until(() => lineOf(bob, first)?.asking === true && lineOf(bob, second)?.asking === true, 'bob is asked');
  const bobToAlice = bob.members.get(alice.id);
  const aliceToBob = alice.members.get(bob.id);
  assert.ok(bobToAlice && aliceToBob);
  const send = bobToAlice.send;
  bobToAlice.send = () => false; // the link is down: nothing bob sends arrives
  lineOf(bob, first)?.actions.decline?.();
  lineOf(bob, second)?.actions.decline?.();
  bobToAlice.send = send;
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stateOf(alice, first), 'offered', 'alice never heard');
  // The link is back on alice's side first: she offers both again, and bob says no again.
  alice.files.feature.opened?.(aliceToBob);
  await until(() => stateOf(alice, first) === 'declined' && stateOf(alice, second) === 'declined', 'alice hears');

  const [third] = await alice.files.sendFiles([fileOf(200, 'c')]);
  assert.ok(third);
  await until(() => lineOf(bob, third)?.asking === true, 'bob is asked again');
  bobToAlice.send = () => false;
  lineOf(bob, third)?.actions.decline?.();
  bobToAlice.send = send;
  // Now bob's side sees the link back first: he says it again himself.
  bob.files.feature.opened?.(bobToAlice);
  await until(() => stateOf(alice, third) === 'declined', 'alice hears the third');
});

test('a verdict lost in the buffer of a channel that closed is had again once the link is back: the sender does not show "receiving" for good', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  const bobToAlice = bob.members.get(alice.id);
  const aliceToBob = alice.members.get(bob.id);
  assert.ok(bobToAlice && aliceToBob);
  const send = bobToAlice.send;
  // Taken by the channel, then lost with it: the link dropped under the message.
  bobToAlice.send = (message) => message.t === 'file:done' || send(message);
  const [id] = await alice.files.sendFiles([fileOf(20_000)]);
  assert.ok(id);
  await until(() => stateOf(bob, id) === 'verified', 'bob has it');
  await turns(20);
  assert.equal(stateOf(alice, id), 'transferring', 'alice never heard');
  bobToAlice.send = send;
  // The link is back: each side hears it open.
  alice.files.feature.opened?.(aliceToBob);
  bob.files.feature.opened?.(bobToAlice);
  await until(() => stateOf(alice, id) === 'verified', 'alice hears the verdict');
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 ✓ received']);
  assert.equal(bob.lines.length, 1, 'one line on bob’s page');
});

/** `page` shuts `other` out (held for flooding or an intercepted link, or without the room key). */
function shutOut(page: Page, other: Page): void {
  const member = page.members.get(other.id);
  assert.ok(member);
  (member as { shut: boolean }).shut = true;
  member.send = () => false; // nothing goes to it any more (member-messages.ts)
  page.files.feature.shut?.(member);
}

test('a member this page shut out is offered no file, and what was under way with it ends on both sides, said so', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  bob.acceptLimit = 0;
  alice.acceptLimit = 0;
  const [toBob] = await alice.files.sendFiles([fileOf(300, 'b')], alice.members.get(bob.id) ?? null);
  const [fromCarol] = await carol.files.sendFiles([fileOf(300, 'c')], carol.members.get(alice.id) ?? null);
  assert.ok(toBob && fromCarol);
  await until(() => lineOf(bob, toBob)?.asking === true && lineOf(alice, fromCarol)?.asking === true, 'both asked');
  shutOut(alice, bob);
  shutOut(alice, carol);
  assert.equal(stateOf(alice, toBob), 'cancelled', 'not "waiting to accept" for good');
  assert.match(lineOf(alice, toBob)?.recipients[0] ?? '', /^bob-0000001 stopped/);
  assert.equal(stateOf(alice, fromCarol), 'cancelled', 'nothing more is taken from it');
  assert.equal(lineOf(alice, fromCarol)?.status, 'cancelled: this page hears nothing more from carol-00001');
  assert.equal(lineOf(alice, fromCarol)?.asking, false);
  // A file to the room now goes to nobody of the two; one to a member shut out, to nobody.
  const [later, privately] = [
    ...(await alice.files.sendFiles([fileOf(300, 'r')])),
    ...(await alice.files.sendFiles([fileOf(300, 'p')], alice.members.get(bob.id) ?? null)),
  ];
  assert.ok(later && privately);
  await turns(10);
  assert.equal(lineOf(bob, later), undefined);
  assert.deepEqual(lineOf(alice, later)?.recipients, []);
  assert.equal(lineOf(alice, privately)?.status, 'nobody to send it to');
});

test('a member who leaves: its receiving side is cancelled; the sender holds the file for its return, then lets it go', async (t) => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  bob.acceptLimit = 0;
  const [id] = await alice.files.sendFiles([fileOf(100)]);
  assert.ok(id);
  await until(() => lineOf(bob, id)?.asking === true, 'bob is asked');
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  bob.members.get(alice.id)?.dispose();
  alice.members.get(bob.id)?.dispose();
  assert.equal(stateOf(bob, id), 'cancelled');
  assert.match(lineOf(bob, id)?.status ?? '', /alice-00001 left/);
  assert.equal(stateOf(alice, id), 'offered', 'held for its return');
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 left (it goes again if they are back)']);
  mock.timers.tick(AWAY_MS);
  assert.equal(stateOf(alice, id), 'cancelled');
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 left']);
});

test('a member who reloads while asked to accept, back under its peer id, gets the file again and verifies it', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  bob.acceptLimit = 0;
  const file = fileOf(300_000);
  const [id] = await alice.files.sendFiles([file]);
  assert.ok(id);
  await until(() => lineOf(bob, id)?.asking === true, 'bob is asked');
  const again = reload(alice, bob);
  await until(() => stateOf(alice, id) === 'verified', 'sent again and received');
  assert.equal(stateOf(again, id), 'verified');
  const received = lineOf(again, id)?.file;
  assert.ok(received);
  assert.equal(await sha(received), await sha(file));
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 ✓ received']);
});

test('a member who reloads while the file is still hashed, back under its peer id, is offered it then', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  const file = fileOf(8 * 1024 * 1024);
  const sending = alice.files.sendFiles([file]);
  // Its page reloads before the hash is done: gone, and back under the same peer id.
  const again = reload(alice, bob);
  const [id] = await sending;
  assert.ok(id);
  await until(() => stateOf(alice, id) === 'verified', `bob, back, has it (${lineOf(alice, id)?.recipients})`);
  assert.equal(stateOf(again, id), 'verified');
});

test('a sender whose bytes do not match the hash is caught; the file is not offered', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  const toBob = alice.members.get(bob.id);
  assert.ok(toBob);
  const id = 'lying-offer-000000001';
  toBob.send({ t: 'file:offer', id, name: 'x.bin', size: 4, type: '', sha256: 'f'.repeat(64) });
  const answered: ChannelMessage[] = [];
  const original = alice.files.feature.receive;
  alice.files.feature.receive = (member, message) => {
    answered.push(message);
    if (message.t === 'file:accept') {
      const channel = member.pc.createDataChannel(`file:${id}`) as unknown as ChannelEnd;
      channel.addEventListener('open', () => {
        const frame = new ArrayBuffer(12);
        new DataView(frame).setFloat64(0, 0);
        channel.send(frame);
        channel.send(encodeChannelMessage({ t: 'file:end', id, size: 4 }));
      });
      return;
    }
    original(member, message);
  };
  await until(() => stateOf(bob, id) === 'corrupt', 'bob sees corrupt');
  assert.equal(lineOf(bob, id)?.file, null);
  assert.match(lineOf(bob, id)?.status ?? '', /corrupted, discarded/);
  await until(() => answered.some((m) => m.t === 'file:done' && m.result === 'corrupt'), 'alice is told');
});

/** A picked file that can no longer be read: a folder dropped on the chat, a file deleted since. */
class UnreadableFile extends File {
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return new ReadableStream({
      pull(controller) {
        controller.error(new DOMException('A requested file or directory could not be found', 'NotFoundError'));
      },
    });
  }
}

test('a file that cannot be read says so on the sender’s line, is offered to nobody, and stays said', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  const [id] = await alice.files.sendFiles([new UnreadableFile(['x'.repeat(10)], 'folder')]);
  assert.ok(id);
  assert.equal(stateOf(alice, id), 'cancelled');
  assert.equal(lineOf(alice, id)?.status, 'the file could not be read');
  await turns(10);
  assert.equal(lineOf(bob, id), undefined, 'never offered');
  alice.members.get(bob.id)?.dispose();
  assert.equal(lineOf(alice, id)?.status, 'the file could not be read');
});

/** A picked file read well until it is `gone` from its disk (deleted, moved, a USB stick pulled): its reads then fail. */
class VanishingFile extends File {
  gone = false;
  override slice(start?: number, end?: number, type?: string): Blob {
    const part = super.slice(start, end, type);
    if (!this.gone) return part;
    return Object.assign(part, {
      arrayBuffer: () => Promise.reject(new DOMException('The file could not be read', 'NotReadableError')),
    });
  }
}

test('a file that can no longer be read while it goes: stopped for everyone without it, their pages told why, shared no more', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  hello([alice, bob, carol], FILE_UNREADABLE_VERSION);
  carol.acceptLimit = 0;
  const file = new VanishingFile([new Uint8Array(3000)], 'gone.bin');
  const [id] = await alice.files.sendFiles([file]);
  assert.ok(id);
  await until(
    () => stateOf(bob, id) === 'verified' && lineOf(carol, id)?.asking === true,
    'bob has it, carol is asked',
  );
  file.gone = true;
  lineOf(carol, id)?.actions.accept?.();
  await until(() => stateOf(carol, id) === 'cancelled', 'carol hears it stopped');
  assert.equal(lineOf(carol, id)?.status, 'cancelled: alice-00001 could no longer read the file');
  // Nobody is said to have cancelled: the line says what became of the file, and why.
  assert.equal(lineOf(alice, id)?.status, 'stopped: the file could no longer be read from your device');
  assert.equal(stateOf(alice, id), 'verified', 'bob has it');
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 ✓ received', 'carol-00001 stopped partway']);
  assert.equal(lineOf(alice, id)?.shared, false);
  assert.deepEqual(
    alice.sent.map((kept) => [kept.id, kept.status]),
    [[id, 'stopped: the file could no longer be read from your device']],
    'kept for a reload as it ended',
  );
  // A member who joins now is not offered it (nor listed on the line as cancelling it).
  const dave = joinLater([alice, bob, carol], 'dave-000001', FILE_UNREADABLE_VERSION);
  await turns(20);
  assert.equal(lineOf(dave, id), undefined);
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 ✓ received', 'carol-00001 stopped partway']);
});

test('a file found unreadable stops a recipient still to answer too; a page older than the words for it is told the sender no longer has it', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  hello([alice, bob, carol], FILE_UNREADABLE_VERSION);
  (alice.members.get(bob.id) as { version: number | null }).version = FILE_UNREADABLE_VERSION - 1;
  bob.acceptLimit = 0;
  const file = new VanishingFile([new Uint8Array(3000)], 'gone.bin');
  const [id] = await alice.files.sendFiles([file]);
  assert.ok(id);
  // Gone before carol's page takes it without a click: her transfer is the one that finds out.
  file.gone = true;
  await until(() => stateOf(carol, id) === 'cancelled', 'carol hears it stopped');
  await until(() => stateOf(bob, id) === 'cancelled', 'bob, asked to accept, hears it too');
  assert.equal(lineOf(carol, id)?.status, 'cancelled: alice-00001 could no longer read the file');
  assert.equal(lineOf(bob, id)?.status, 'cancelled: alice-00001 no longer has the file');
  assert.equal(lineOf(bob, id)?.asking, false, 'nothing left to accept');
  assert.equal(stateOf(alice, id), 'cancelled');
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 not sent', 'carol-00001 stopped partway']);
});

test('the receiver hearing the link again while the channel it asked for is coming: the transfer goes on, once', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  const toAlice = bob.members.get(alice.id);
  const toBob = alice.members.get(bob.id);
  assert.ok(toAlice && toBob);
  const send = toAlice.send;
  const accepts: ChannelMessage[] = [];
  toAlice.send = (message) => {
    const sent = send(message);
    if (message.t === 'file:accept') {
      accepts.push(message);
      // Heard again after a silence (member.ts heard()) before the sender's channel came.
      if (accepts.length === 1) bob.files.feature.opened?.(toAlice);
    }
    return sent;
  };
  const file = fileOf(600_000);
  const [id] = await alice.files.sendFiles([file]);
  assert.ok(id);
  await until(() => stateOf(alice, id) === 'verified', 'alice sees verified');
  assert.equal(await sha(lineOf(bob, id)?.file ?? new Blob()), await sha(file));
  assert.equal(accepts.length, 1, 'one ask');
  assert.deepEqual(alice.channelsMade, [`file:${id}`], 'one channel: the transfer never started over');

  // The same ask twice in a row (a receiver of the current version asks again when it hears
  // the link back): the channel still opening answers both.
  const [again] = await alice.files.sendFiles([fileOf(300_000)]);
  assert.ok(again);
  toAlice.send = (message) => send(message) && (message.t !== 'file:accept' || send(message));
  await until(() => stateOf(alice, again) === 'verified', 'the second is verified');
  assert.deepEqual(alice.channelsMade, [`file:${id}`, `file:${again}`]);
});

test('the same ask again once the channel it asked for is open (the receiver heard an offer again meanwhile): the transfer goes on, not over', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  const toAlice = bob.members.get(alice.id);
  assert.ok(toAlice);
  const send = toAlice.send;
  toAlice.send = (message) => {
    const sent = send(message);
    // The same ask reaches alice again a little later: her channel for the first is open by then.
    if (message.t === 'file:accept') turns(4).then(() => send(message));
    return sent;
  };
  const file = fileOf(600_000);
  const [id] = await alice.files.sendFiles([file]);
  assert.ok(id);
  await until(() => isFinal(stateOf(bob, id) ?? 'offered') && stateOf(alice, id) !== 'transferring', 'over');
  assert.equal(stateOf(bob, id), 'verified', `bob's line: ${lineOf(bob, id)?.status}`);
  assert.equal(await sha(lineOf(bob, id)?.file ?? new Blob()), await sha(file));
  assert.deepEqual(alice.channelsMade, [`file:${id}`], 'one channel: the transfer never started over');
});

test('the sender’s bar counts only what a recipient took: one that declines does not fill it, nor add its size', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  bob.acceptLimit = 0;
  const [id] = await alice.files.sendFiles([fileOf(50_000)]);
  assert.ok(id);
  await until(() => lineOf(bob, id)?.asking === true && stateOf(carol, id) === 'verified', 'bob asked, carol has it');
  lineOf(bob, id)?.actions.decline?.();
  await until(() => stateOf(alice, id) === 'verified', 'alice is told');
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 declined', 'carol-00001 ✓ received']);
  assert.deepEqual(lineOf(alice, id)?.progress, { done: 50_000, total: 50_000 });
});

test('a cancel made while the link was down reaches the receiver once it is back', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  bob.acceptLimit = 1_000;
  const [id] = await alice.files.sendFiles([fileOf(50_000, 'big.bin')]);
  assert.ok(id);
  await until(() => lineOf(bob, id)?.asking === true, 'bob is asked');
  const toBob = alice.members.get(bob.id);
  assert.ok(toBob);
  const send = toBob.send;
  toBob.send = () => false; // the link is down
  lineOf(alice, id)?.actions.cancel();
  assert.equal(stateOf(alice, id), 'cancelled');
  await turns(10);
  assert.equal(lineOf(bob, id)?.asking, true, 'bob never heard');
  toBob.send = send;
  alice.files.feature.opened?.(toBob);
  await until(() => stateOf(bob, id) === 'cancelled', 'bob hears the cancel');
  assert.equal(lineOf(bob, id)?.asking, false);
});

test('the sender’s line says a recipient waits to accept only once its page says so: one taking files without a click is never said to', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  carol.acceptLimit = 0;
  const [id] = await alice.files.sendFiles([fileOf(2_000)]);
  assert.ok(id);
  await until(() => stateOf(bob, id) === 'verified' && lineOf(carol, id)?.asking === true, 'bob has it, carol asked');
  await until(() => seen(alice, id) === 'bob-0000001 ✓ received · carol-00001 waiting to accept', 'alice hears both');
  const said = lineOf(alice, id)?.said ?? [];
  // Each recipient's statuses from its offer on (before it, "queued" while the file was
  // hashed), each once however often the line was drawn.
  const of = (name: string) =>
    said
      .filter((text) => text.startsWith(name) && !text.endsWith(' queued'))
      .filter((text, i, all) => i === 0 || all[i - 1] !== text);
  assert.deepEqual(of('bob'), ['bob-0000001 no answer yet', 'bob-0000001 receiving', 'bob-0000001 ✓ received']);
  assert.deepEqual(of('carol'), ['carol-00001 no answer yet', 'carol-00001 waiting to accept']);
});

test('a recipient who renames is named anew on the sender’s line at once, not at its next change', async () => {
  const [alice, carol] = room('alice-00001', 'carol-00001') as [Page, Page];
  carol.acceptLimit = 0;
  const [id] = await alice.files.sendFiles([fileOf(2_000)]);
  assert.ok(id);
  await until(() => seen(alice, id) === 'carol-00001 waiting to accept', 'alice hears carol asks');
  const onAlice = alice.members.get(carol.id);
  assert.ok(onAlice);
  (onAlice as { name: string }).name = 'Caz'; // as the mesh's member does on a rename
  alice.files.feature.renamed?.(onAlice);
  assert.equal(seen(alice, id), 'Caz waiting to accept');
});

test('a recipient back under its id under another name, the file received on its old handle, is named as the page names it now', async () => {
  const [alice, carol] = room('alice-00001', 'carol-00001') as [Page, Page];
  const [id] = await alice.files.sendFiles([fileOf(2_000)]);
  assert.ok(id);
  const recipients = () => lineOf(alice, id)?.recipients.join(' · ');
  await until(() => recipients() === 'carol-00001 ✓ received', 'carol has it');
  // Carol left and is back under her id as "carol 2" (a new handle, which this record never
  // takes: she has the file): the page's names say so (wiring/names.ts), not her old handle.
  alice.names.set(carol.id, 'carol 2');
  alice.files.renamed(carol.id);
  assert.equal(recipients(), 'carol 2 ✓ received');
});

test('a file sent is listed for the next load once it is over for everyone, as its line ended; not before', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  carol.acceptLimit = 0;
  const before = Date.now();
  const [id] = await alice.files.sendFiles([new File(['x'.repeat(2_000)], 'notes.txt', { type: 'text/plain' })]);
  assert.ok(id);
  await until(() => stateOf(bob, id) === 'verified' && lineOf(carol, id)?.asking === true, 'bob has it, carol asked');
  assert.equal(alice.sent.length, 0, 'not over for carol yet');
  lineOf(carol, id)?.actions.decline?.();
  await until(() => alice.sent.length === 1, 'listed once over');
  const [listed] = alice.sent;
  assert.ok(listed && listed.at >= before && listed.at <= Date.now());
  assert.deepEqual(
    { ...listed, at: 0, recipients: listed.recipients.map(labelText) },
    {
      id,
      from: 'alice-00001',
      name: 'notes.txt',
      nameChanged: false,
      size: 2_000,
      type: 'text/plain',
      privateWith: null,
      privateWithId: null,
      at: 0,
      state: 'verified',
      status: '',
      recipients: ['bob-0000001 ✓ received', 'carol-00001 declined'],
    },
  );
  const [privately] = await alice.files.sendFiles([fileOf(10)], alice.members.get(bob.id) ?? null);
  await until(() => alice.sent.length === 2, 'a private one too');
  assert.deepEqual(
    [alice.sent[1]?.id, alice.sent[1]?.privateWith, alice.sent[1]?.privateWithId],
    [privately, 'bob-0000001', 'bob-0000001'],
  );
});

test('a page that goes with files still under way lists them as they stand, those without the file stopped by the reload', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  carol.acceptLimit = 0;
  const [id] = await alice.files.sendFiles([fileOf(2_000)]);
  assert.ok(id);
  await until(() => stateOf(bob, id) === 'verified' && lineOf(carol, id)?.asking === true, 'bob has it, carol asked');
  const [nobody] = await alice.files.sendFiles([fileOf(10)], alice.members.get(carol.id) ?? null);
  await until(() => lineOf(carol, nobody ?? '')?.asking === true, 'carol asked again');
  assert.equal(alice.sent.length, 0);
  alice.files.keepUnfinished();
  assert.deepEqual(
    alice.sent.map((file) => [file.id, file.state, file.status, file.recipients.map(labelText)]),
    [
      [id, 'verified', '', ['bob-0000001 ✓ received', 'carol-00001 not sent: you reloaded the page']],
      [nobody, 'cancelled', 'stopped: you reloaded the page', ['carol-00001 not sent: you reloaded the page']],
    ],
  );
  // Carol is told the file went with the page, before the link closes: not that alice left.
  await until(() => stateOf(carol, id) === 'cancelled' && stateOf(carol, nobody ?? '') === 'cancelled', 'carol told');
  assert.equal(lineOf(carol, id)?.status, 'cancelled: alice-00001 no longer has the file');
  assert.equal(stateOf(bob, id), 'verified');
});

test('a file sent is let go once it is over for everyone and shared no more: its line keeps only its id', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  carol.acceptLimit = 0;
  let sentFile: WeakRef<File> | null = null;
  const id = await (async () => {
    const file = fileOf(200_000, 'pasted.png');
    sentFile = new WeakRef(file);
    const [made] = await alice.files.sendFiles([file]);
    return made ?? '';
  })();
  await until(() => stateOf(bob, id) === 'verified' && lineOf(carol, id)?.asking === true, 'bob has it, carol asked');
  const collected = async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 5; i++) {
      gc();
      await turns(2);
    }
    return (sentFile as WeakRef<File> | null)?.deref() === undefined;
  };
  assert.equal(await collected(), false, 'kept while carol may still take it');
  lineOf(carol, id)?.actions.decline?.();
  await until(() => stateOf(alice, id) === 'verified', 'alice is told');
  assert.equal(await collected(), false, 'kept for whoever joins');
  lineOf(alice, id)?.actions.unshare?.();
  // Alice's line is still on her page (it holds its actions): the file need not be.
  assert.ok(lineOf(alice, id));
  assert.equal(await collected(), true, 'the file (and its record) is let go');
  lineOf(alice, id)?.actions.cancel(); // a cancel from a line whose transfer is over does nothing
  assert.equal(stateOf(alice, id), 'verified');
});

/** What a person reads on a line: its status words, then where each recipient stands. */
const seen = (page: Page, id: string) =>
  [lineOf(page, id)?.status ?? '', ...(lineOf(page, id)?.recipients ?? [])].filter((text) => text !== '').join(' · ');

/** A file of `size` bytes, made without a call per byte (fileOf is slow for tens of megabytes). */
const largeFileOf = (size: number, name = 'large.bin') => {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 253;
  return new File([bytes], name, { type: 'application/octet-stream' });
};

/**
 * As until, for as long as a transfer of tens of megabytes through the stand-ins takes; a
 * failure says what `shown` gives then (what the sender's line said instead).
 */
async function untilWithin(check: () => boolean, what: string, shown = () => '', ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`never happened: ${what} (${shown()})`);
    // A few milliseconds between looks, not a spin: this waits seconds (a stall is STALL_MS
    // of nothing), and a spin held a core the other test files running beside it need.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The receiver confirms what it stored `kept` times, then never again: the sender stops at its
 * window.
 */
function holdAcksAfter(receiver: Page, sender: Page, kept: number): void {
  const toSender = receiver.members.get(sender.id);
  assert.ok(toSender);
  const send = toSender.send;
  let acks = 0;
  toSender.send = (message) => (message.t === 'file:ack' && ++acks > kept ? true : send(message));
}

test('the sender’s line says who has the file, not "offered", while another has yet to accept', async () => {
  const [alice, bob, carol, dana] = room('alice-00001', 'bob-0000001', 'carol-00001', 'dana-000001') as [
    Page,
    Page,
    Page,
    Page,
  ];
  bob.acceptLimit = 0;
  dana.acceptLimit = 0;
  const [id] = await alice.files.sendFiles([fileOf(300_000)]);
  assert.ok(id);
  await until(
    () => stateOf(carol, id) === 'verified' && lineOf(bob, id)?.asking === true && lineOf(dana, id)?.asking === true,
    'carol has it, bob and dana are asked',
  );
  const aliceSays = () => `alice’s line: "${seen(alice, id)}", ${JSON.stringify(lineOf(alice, id)?.snapshot)}`;
  await untilWithin(() => seen(alice, id).includes('carol-00001 ✓ received'), 'alice hears from carol', aliceSays);
  assert.equal(
    seen(alice, id),
    'bob-0000001 waiting to accept · carol-00001 ✓ received · dana-000001 waiting to accept',
  );
  lineOf(dana, id)?.actions.decline?.();
  await untilWithin(() => seen(alice, id).includes('dana-000001 declined'), 'alice hears from dana', aliceSays);
  assert.equal(seen(alice, id), 'bob-0000001 waiting to accept · carol-00001 ✓ received · dana-000001 declined');
  assert.equal(stateOf(alice, id), 'offered', 'still open: bob may accept');
  assert.deepEqual(lineOf(alice, id)?.progress, { done: 300_000, total: 300_000 });
});

test('the sender’s progress is of the file’s own size, toward those receiving it; a cancel shows at once', async () => {
  const [alice, bob, carol, erin] = room('alice-00001', 'bob-0000001', 'carol-00001', 'erin-000001') as [
    Page,
    Page,
    Page,
    Page,
  ];
  bob.acceptLimit = 0;
  // Carol and erin confirm their first megabyte only: their transfers stay under way.
  holdAcksAfter(carol, alice, 1);
  holdAcksAfter(erin, alice, 1);
  const size = 20_000_000;
  const [id] = await alice.files.sendFiles([largeFileOf(size)]);
  assert.ok(id);
  const receivingBoth = () => {
    const snapshot = lineOf(alice, id)?.snapshot;
    return stateOf(alice, id) === 'transferring' && snapshot !== null && snapshot !== undefined && snapshot.done > 0;
  };
  const aliceSays = () => `alice’s line: "${seen(alice, id)}", ${JSON.stringify(lineOf(alice, id)?.snapshot)}`;
  await untilWithin(
    () => lineOf(bob, id)?.asking === true && receivingBoth(),
    'alice shows carol and erin’s first megabyte',
    aliceSays,
    10_000,
  );
  assert.equal(seen(alice, id), 'bob-0000001 waiting to accept · carol-00001 receiving · erin-000001 receiving');
  assert.equal(lineOf(alice, id)?.snapshot?.total, size, 'the file’s own size, not one per recipient');
  // What each one receiving took off its channel: past the megabyte it confirmed stored.
  await untilWithin(() => (lineOf(alice, id)?.snapshot?.done ?? 0) > 1024 * 1024, 'past the first MiB', aliceSays);

  await untilWithin(() => stateOf(erin, id) === 'transferring', 'erin receives');
  lineOf(erin, id)?.actions.cancel();
  await untilWithin(() => seen(alice, id).includes('erin-000001 cancelled'), 'alice sees erin cancel', aliceSays);
  assert.equal(seen(alice, id), 'bob-0000001 waiting to accept · carol-00001 receiving · erin-000001 cancelled');
  assert.equal(stateOf(alice, id), 'transferring');
  assert.equal(lineOf(alice, id)?.progress?.total, size);
  assert.ok((lineOf(alice, id)?.progress?.done ?? 0) > 1024 * 1024, aliceSays());
});

test('the sender’s bar follows what the recipient took off its channel: on a slow link it does not sit at 0 until a whole MiB is stored', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  // Stored bytes are confirmed a MiB apart: at 300 kbit/s the first confirmation is 28 s
  // away. Bob confirms none here, so only what he took off the channel can move the bar.
  holdAcksAfter(bob, alice, 0);
  const [id] = await alice.files.sendFiles([largeFileOf(20_000_000)]);
  assert.ok(id);
  const aliceSays = () => `alice’s line: "${seen(alice, id)}", ${JSON.stringify(lineOf(alice, id)?.snapshot)}`;
  await untilWithin(
    () => stateOf(alice, id) === 'transferring' && (lineOf(alice, id)?.snapshot?.done ?? 0) > 0,
    'alice’s bar moves',
    aliceSays,
    10_000,
  );
  assert.equal(seen(alice, id), 'bob-0000001 receiving');
});

test('an offer that cannot go says why, not "waiting to accept": no link, or only one through another member; it goes when the link opens', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  bob.acceptLimit = 0;
  const aliceToBob = alice.members.get(bob.id);
  assert.ok(aliceToBob);
  // No link to bob at all: the offer does not go.
  const send = aliceToBob.send;
  aliceToBob.send = () => false;
  const [id] = await alice.files.sendFiles([fileOf(300)]);
  assert.ok(id);
  await until(() => stateOf(carol, id) === 'verified', 'carol has it');
  await until(() => seen(alice, id).includes('carol-00001 ✓ received'), 'alice hears from carol');
  assert.equal(seen(alice, id), 'bob-0000001 not offered yet: no link to them now · carol-00001 ✓ received');
  // A route through carol opens (relay.ts): chat goes that way, files do not.
  (aliceToBob as { relayed: boolean }).relayed = true;
  alice.files.feature.opened?.(aliceToBob);
  assert.equal(
    seen(alice, id),
    'bob-0000001 not offered yet: reached only through another member, and files need a direct link or TURN · carol-00001 ✓ received',
  );
  assert.equal(lineOf(bob, id), undefined, 'bob was never asked');
  // The direct link opens: the offer goes, and bob is asked.
  (aliceToBob as { relayed: boolean }).relayed = false;
  aliceToBob.send = send;
  alice.files.feature.opened?.(aliceToBob);
  await until(() => lineOf(bob, id)?.asking === true, 'bob is asked');
  await until(
    () => seen(alice, id) === 'bob-0000001 waiting to accept · carol-00001 ✓ received',
    'alice hears that bob is asked',
  );
});

test('a transfer whose bytes stop (a dead spot) says stalled on both lines, without the speed and time left it had', async () => {
  // A second without progress, not STALL_MS's five: the same watch, sooner.
  const stallMs = 1_000;
  const [alice, bob] = roomStalling(stallMs, 'alice-00001', 'bob-0000001') as [Page, Page];
  // Bob confirms nothing stored: the sender stops at its window, and no byte moves after that.
  holdAcksAfter(bob, alice, 0);
  const [id] = await alice.files.sendFiles([largeFileOf(20_000_000)]);
  assert.ok(id);
  const words = (page: Page) => {
    const snapshot = lineOf(page, id)?.snapshot;
    return snapshot ? formatProgress(snapshot) : '';
  };
  const says = () => `alice: "${words(alice)}", bob: "${words(bob)}"`;
  // Each line showed a time left at some point, not necessarily both at once: on a loaded
  // machine the sender's line can go stalled before the receiver's has read the window.
  const showedTimeLeft = new Set<Page>();
  await untilWithin(
    () => {
      for (const page of [alice, bob]) if (/ left$/.test(words(page))) showedTimeLeft.add(page);
      return showedTimeLeft.size === 2;
    },
    'each line shows a time left',
    says,
  );
  // stallMs after the last byte moved.
  const stalled = (page: Page) => /^[\d.]+ MB of 20 MB · stalled$/.test(words(page));
  await untilWithin(() => stalled(alice) && stalled(bob), 'both lines say stalled', says, STALL_MS * 6);
  for (const page of [alice, bob]) {
    assert.equal(stateOf(page, id), 'transferring');
    assert.equal(lineOf(page, id)?.snapshot?.secondsLeft, null);
  }
});

test('a recipient whose page puts on the transfer’s channel what no page does is sent no more of it, and told so; the other recipient goes on', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  // Bob's end of each transfer channel Alice opens to him, as his page takes it.
  const bobsEnds: ChannelEnd[] = [];
  const take = bob.files.feature.dataChannel;
  bob.files.feature.dataChannel = (member, channel) => {
    bobsEnds.push(channel as unknown as ChannelEnd);
    return take?.(member, channel) ?? false;
  };
  const file = largeFileOf(4_000_000);
  const [id] = await alice.files.sendFiles([file]);
  assert.ok(id);
  await until(() => bobsEnds[0]?.readyState === 'open', 'a channel to bob is open');
  // An 8-byte frame that marks nothing new: a stream of them would cost Alice's page a task each.
  bobsEnds[0]?.send(new ArrayBuffer(8));
  const aliceSays = () => `alice’s line: "${seen(alice, id)}"`;
  await untilWithin(
    () => seen(alice, id).includes('bob-0000001 stopped: its page sent what no page sends'),
    'alice stops sending to bob, and says why',
    aliceSays,
  );
  await until(() => stateOf(bob, id) === 'cancelled', 'bob is told');
  assert.equal(lineOf(bob, id)?.status, 'cancelled by alice-00001');
  await untilWithin(() => stateOf(carol, id) === 'verified', 'carol has the file', aliceSays);
  assert.equal(await sha(lineOf(carol, id)?.file as Blob), await sha(file));
});

test('a recipient that asks for the file over and over, from a new byte each time, gets no more channels past twice the first and MAX_TRANSFER_RESUMES, and is told so', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  const bobOnAlice = alice.members.get(bob.id);
  const aliceOnBob = bob.members.get(alice.id);
  assert.ok(bobOnAlice && aliceOnBob);
  // Bob's page says nothing of how the channels went (its page takes a channel from a byte
  // it did not ask for as astray): only his asks reach Alice.
  const send = aliceOnBob.send;
  aliceOnBob.send = (message) => (message.t === 'file:cancel' || message.t === 'file:done' ? true : send(message));
  const file = largeFileOf(4_000_000);
  const [id] = await alice.files.sendFiles([file]);
  assert.ok(id);
  await until(() => alice.channelsMade.length === 1, 'the first channel');
  // Bob's page asks again and again, each time from another byte: each would be read and
  // sent anew on a channel of its own.
  for (let ask = 1; ask <= 2 * (1 + MAX_TRANSFER_RESUMES) + 5; ask++) {
    alice.files.feature.receive(bobOnAlice, { t: 'file:accept', id, from: (ask % 2) * 16_384 + ask });
    await turns(2);
  }
  await untilWithin(
    () => seen(alice, id).includes('bob-0000001 stopped: it asked for the file over and over'),
    'alice stops sending to bob, and says why',
    () => `alice’s line: "${seen(alice, id)}"`,
  );
  assert.equal(
    alice.channelsMade.length,
    2 * (1 + MAX_TRANSFER_RESUMES),
    'twice the first and one per resume, no more',
  );
  // Bob's page is over with it too (told, or given up on the channels that kept closing).
  await until(() => stateOf(bob, id) === 'cancelled', 'bob is over with it');
});
