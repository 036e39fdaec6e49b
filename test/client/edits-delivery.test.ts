// How far our edit or deletion got, as our line shows it (features/edits-delivery.ts,
// view/edit-delivery.ts): on its way until every member it went to that acknowledges edits has
// acknowledged it, then nothing; "not confirmed by Bob", with Retry, once the resend gave up
// on Bob (edits-resend.ts RESEND_ROUNDS); on its way again when Retry is pressed or Bob's link
// or route opens; a member that leaves stops counting; a newer edit of the line takes the
// older one's place; an ack after the resend gave up still counts; an edit older than our
// latest MAX_EDIT_SYNC (which no longer goes again as a link opens) told as any other, on its
// way while the resend sends it, with Retry, its ack still counting; bounded to as many lines as
// the page keeps.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { RESEND_MAX_MS } from '../../client/features/chat-resend.ts';
import { createEdits, type EditDelivery } from '../../client/features/edits.ts';
import { createEditDeliveries } from '../../client/features/edits-delivery.ts';
import { LINES_LIMIT } from '../../client/features/edits-lines.ts';
import { RESEND_ROUNDS } from '../../client/features/edits-resend.ts';
import { createTranscript } from '../../client/features/transcript.ts';
import { createIdentity } from '../../client/identity.ts';
import { editDeliveryWords } from '../../client/view/edit-delivery.ts';
import { nameList } from '../../client/view/text.ts';
import { EDIT_ACK_VERSION, EDIT_VERSION, editAckId, MAX_EDIT_SYNC, type MessageOf } from '../../protocol/index.ts';
import { type FakeMember, fakeMember } from './fake-member.ts';

type Edit = MessageOf<'chat:edit'>;

const SELF = 'me-000000001';
const BOB = 'bob-00000001';
const CAROL = 'carol-000001';
const TS = 1_700_000_000_000;

const names: Record<string, string> = {
  [BOB]: 'Bob',
  [CAROL]: 'Carol',
  'dave-0000001': 'Dave',
  'erin-0000001': 'Erin',
};
const nameOf = (id: string): string => names[id] ?? id;

/** Every room's members, gone once the file's tests are: the resend's timers with them. */
const rooms: Array<() => void> = [];
after(() => {
  for (const gone of rooms.splice(0)) gone();
});

/** Our page with these members, each on a version that acknowledges edits unless a test says not. */
function room(members: FakeMember[]) {
  const told = new Map<string, EditDelivery | null>();
  let wall = TS + 1_000;
  const edits = createEdits({
    selfId: () => SELF,
    members: () => members,
    identity: createIdentity(),
    transcript: createTranscript(),
    revised: () => {},
    delivery: (lineId, delivery) => told.set(lineId, delivery),
    wallClock: () => wall++,
  });
  rooms.push(() => {
    for (const member of members) edits.feature.removed?.(member, 'ERR_PAGE_CLOSED');
  });
  let lines = 0;
  /** A line of ours on the page. */
  const ours = (text = 'my home address is 12 Secret Lane'): ChatLine => {
    const line: ChatLine = {
      kind: 'chat',
      id: `line-${String(++lines).padStart(12, '0')}`,
      from: SELF,
      ts: TS,
      text,
      own: true,
    };
    edits.seen(line);
    return line;
  };
  /** The member acknowledges the latest edit it was sent. */
  const ack = (member: FakeMember): void => {
    const last = member.wire.filter((m): m is Edit => m.t === 'chat:edit').at(-1);
    const id = last === undefined ? null : editAckId(last);
    assert.ok(id, `${member.id} got an edit to acknowledge`);
    edits.acknowledged(member, [id]);
  };
  /** Our next `count` edits, each of another line of ours, each acknowledged at once by `acking` if given. */
  const editOthers = async (count: number, acking?: FakeMember): Promise<void> => {
    for (let i = 0; i < count; i++) {
      assert.equal(await edits.edit(ours().id, `fixed ${i}`), true);
      if (acking) ack(acking);
    }
  };
  return { edits, told, ours, ack, editOthers };
}

function member(id: string, version: number | null = EDIT_ACK_VERSION): FakeMember {
  const made = fakeMember(id, null, true);
  made.version = version;
  return made;
}

const edits = (member: FakeMember): Edit[] => member.wire.filter((m): m is Edit => m.t === 'chat:edit');

/** Lets every resend round of the edit go by, none acknowledged. */
function outlast(t: { mock: { timers: { tick(ms: number): void } } }): void {
  for (let i = 0; i <= RESEND_ROUNDS + 1; i++) t.mock.timers.tick(RESEND_MAX_MS);
}

test('a deletion is on its way until each member it went to acknowledges it; alone, or to members that never acknowledge, it is done at once', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const bob = member(BOB);
  const carol = member(CAROL);
  // Its hello said a version that takes edits but never acknowledges them: not waited on.
  const older = member('older-000001', EDIT_VERSION);
  const r = room([bob, carol, older]);
  const line = r.ours();
  assert.equal(await r.edits.delete(line.id), true);
  assert.deepEqual(r.told.get(line.id), { deletion: true, waiting: [BOB, CAROL], unconfirmed: [] });
  assert.deepEqual(r.edits.delivery(line.id), r.told.get(line.id));
  r.ack(carol);
  assert.deepEqual(r.told.get(line.id)?.waiting, [BOB]);
  r.ack(bob);
  assert.equal(r.told.get(line.id), null, 'everyone has it: the mark goes');
  assert.equal(r.edits.delivery(line.id), null);

  // Alone in the room (or with an older page only): nothing to wait for, nothing said.
  const alone = room([member('older-000002', EDIT_VERSION)]);
  const mine = alone.ours();
  assert.equal(await alone.edits.edit(mine.id, 'fixed'), true);
  assert.equal(alone.told.has(mine.id), false);
  assert.equal(alone.edits.delivery(mine.id), null);
});

test('a member that never acknowledges is named once the resend gives up; Retry sends it again, with all its rounds; its ack takes the mark away', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const bob = member(BOB);
  const carol = member(CAROL);
  const r = room([bob, carol]);
  const line = r.ours();
  assert.equal(await r.edits.delete(line.id), true);
  r.ack(carol);
  assert.equal(r.edits.retry(line.id), false, 'nobody given up on yet: nothing to retry');
  // Bob's relay drops it, every time.
  outlast(t);
  assert.equal(edits(bob).length, 1 + RESEND_ROUNDS);
  assert.deepEqual(r.told.get(line.id), { deletion: true, waiting: [], unconfirmed: [BOB] });
  // Retry: it goes to Bob again at once, and is on its way again, with every round of the resend.
  assert.equal(r.edits.retry(line.id), true);
  assert.equal(edits(bob).length, 2 + RESEND_ROUNDS);
  assert.equal(edits(carol).length, 1, 'not to Carol, who has it');
  assert.deepEqual(r.told.get(line.id)?.waiting, [BOB]);
  outlast(t);
  assert.equal(edits(bob).length, 2 + 2 * RESEND_ROUNDS);
  assert.deepEqual(r.told.get(line.id)?.unconfirmed, [BOB]);
  // Bob's ack comes late (a slow relay): it still counts.
  r.ack(bob);
  assert.equal(r.told.get(line.id), null);
  assert.equal(r.edits.retry(line.id), false);
});

test('a member given up on is tried again when its link or route opens; one that leaves, or is shut, stops counting', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const bob = member(BOB);
  const carol = member(CAROL);
  const dave = member('dave-0000001');
  const r = room([bob, carol, dave]);
  const line = r.ours();
  assert.equal(await r.edits.edit(line.id, 'my address is none of your business'), true);
  outlast(t);
  assert.deepEqual(r.told.get(line.id), {
    deletion: false,
    waiting: [],
    unconfirmed: [BOB, CAROL, 'dave-0000001'],
  });
  // Bob's route moves to another relay (the features hear him open): on its way to him again.
  r.edits.feature.opened?.(bob);
  assert.equal(edits(bob).length, 2 + RESEND_ROUNDS);
  assert.deepEqual(r.told.get(line.id)?.waiting, [BOB]);
  // Carol leaves; Dave is shut (held): neither is waited on any more.
  carol.disposed = true;
  r.edits.feature.removed?.(carol, 'ERR_PEER_LEFT');
  dave.shut = true;
  r.edits.feature.shut?.(dave);
  assert.deepEqual(r.told.get(line.id), { deletion: false, waiting: [BOB], unconfirmed: [] });
  r.ack(bob);
  assert.equal(r.told.get(line.id), null);
  // A member that joins later gets our latest edits as its link opens: it is not waited on.
  const erin = member('erin-0000001');
  r.edits.feature.opened?.(erin);
  assert.equal(edits(erin).length, 1);
  assert.equal(r.edits.delivery(line.id), null);
});

test('a newer edit of the line takes the older one’s place: only its ack takes the mark away; a link down when it was made is waited for', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const bob = member(BOB);
  const carol = member(CAROL);
  carol.isOpen = false;
  const r = room([bob, carol]);
  const line = r.ours();
  assert.equal(await r.edits.edit(line.id, 'first fix'), true);
  const first = edits(bob)[0];
  assert.ok(first);
  assert.equal(await r.edits.delete(line.id), true);
  assert.deepEqual(r.told.get(line.id), { deletion: true, waiting: [BOB, CAROL], unconfirmed: [] });
  // Bob acknowledges the edit the deletion replaced: the deletion still waits for him.
  r.edits.acknowledged(bob, [editAckId(first) ?? '']);
  assert.deepEqual(r.told.get(line.id)?.waiting, [BOB, CAROL]);
  r.ack(bob);
  // Carol's link was down: nothing went, and nothing was given up on; it goes as her link opens.
  outlast(t);
  assert.deepEqual(r.told.get(line.id), { deletion: true, waiting: [CAROL], unconfirmed: [] });
  carol.isOpen = true;
  r.edits.feature.opened?.(carol);
  assert.equal(edits(carol).at(-1)?.text, undefined, 'the deletion');
  r.ack(carol);
  assert.equal(r.told.get(line.id), null);
});

test('an edit older than our latest MAX_EDIT_SYNC is on its way while the resend still sends it, then not confirmed; it does not go again as a link opens, but Retry sends it; its late ack takes the mark away', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const bob = member(BOB);
  const r = room([bob]);
  const first = r.ours();
  assert.equal(await r.edits.delete(first.id), true);
  const deletion = edits(bob)[0];
  assert.ok(deletion);
  // Bob's ack of the deletion is lost; he acknowledges our next MAX_EDIT_SYNC edits, which push
  // the deletion out of those that go again as a link opens.
  await r.editOthers(MAX_EDIT_SYNC, bob);
  const onItsWay: EditDelivery = { deletion: true, waiting: [BOB], unconfirmed: [] };
  assert.deepEqual(r.told.get(first.id), onItsWay, 'the resend still sends it: on its way');
  assert.deepEqual(r.edits.delivery(first.id), onItsWay, 'the line drawn again says the same');
  outlast(t);
  assert.equal(edits(bob).filter((m) => m.id === first.id).length, 1 + RESEND_ROUNDS);
  const notConfirmed: EditDelivery = { deletion: true, waiting: [], unconfirmed: [BOB] };
  assert.deepEqual(r.told.get(first.id), notConfirmed);
  assert.deepEqual(r.edits.delivery(first.id), notConfirmed);
  // Bob's link opens again: our latest edits go, not this one; it stays not confirmed.
  r.edits.feature.opened?.(bob);
  assert.equal(edits(bob).filter((m) => m.id === first.id).length, 1 + RESEND_ROUNDS);
  assert.deepEqual(r.edits.delivery(first.id), notConfirmed);
  // Retry: the same deletion, signed as it was, goes to Bob again, and is on its way.
  assert.equal(r.edits.retry(first.id), true);
  assert.deepEqual(edits(bob).at(-1), deletion);
  assert.deepEqual(r.edits.delivery(first.id), onItsWay);
  outlast(t);
  assert.deepEqual(r.edits.delivery(first.id), notConfirmed);
  // Bob's ack comes late (a slow relay): it still counts, as drawn and drawn again.
  r.edits.acknowledged(bob, [editAckId(deletion) ?? '']);
  assert.equal(r.told.get(first.id), null);
  assert.equal(r.edits.delivery(first.id), null);
});

test('an edit older than our latest MAX_EDIT_SYNC, more lines waiting: on its way to a member the resend still sends it to, not confirmed by one whose link is down (it will not go as the link opens); drawn again the same; acks count however late', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const bob = member(BOB);
  const carol = member(CAROL);
  carol.isOpen = false;
  const r = room([bob, carol]);
  const first = r.ours();
  assert.equal(await r.edits.edit(first.id, 'my address is none of your business'), true);
  const edit = edits(bob)[0];
  assert.ok(edit);
  // Bob's ack of it is slow; he acknowledges our next MAX_EDIT_SYNC edits. Carol's link is
  // down: every one of them waits for it to open.
  await r.editOthers(MAX_EDIT_SYNC, bob);
  const pushedOut: EditDelivery = { deletion: false, waiting: [BOB], unconfirmed: [CAROL] };
  assert.deepEqual(r.told.get(first.id), pushedOut);
  assert.deepEqual(r.edits.delivery(first.id), pushedOut, 'the line drawn again says the same');
  // Bob's ack comes: he has it.
  r.edits.acknowledged(bob, [editAckId(edit) ?? '']);
  const notConfirmed: EditDelivery = { deletion: false, waiting: [], unconfirmed: [CAROL] };
  assert.deepEqual(r.told.get(first.id), notConfirmed);
  assert.deepEqual(r.edits.delivery(first.id), notConfirmed);
  // Carol's link opens: our latest MAX_EDIT_SYNC edits go to her, not this one.
  carol.isOpen = true;
  r.edits.feature.opened?.(carol);
  assert.equal(edits(carol).length, MAX_EDIT_SYNC);
  assert.equal(
    edits(carol).some((m) => m.id === first.id),
    false,
  );
  assert.deepEqual(r.edits.delivery(first.id), notConfirmed);
  // Retry sends her the same edit (its text, its signature), not to Bob, who has it.
  assert.equal(r.edits.retry(first.id), true);
  assert.deepEqual(edits(carol).at(-1), edit);
  assert.equal(edits(bob).filter((m) => m.id === first.id).length, 1);
  assert.deepEqual(r.edits.delivery(first.id), { deletion: false, waiting: [CAROL], unconfirmed: [] });
  r.ack(carol);
  assert.equal(r.told.get(first.id), null);
  assert.equal(r.edits.delivery(first.id), null);
});

test('Retry of an edit older than our latest MAX_EDIT_SYNC while the member’s link is down: nothing goes and the line still says not confirmed; it goes as the link opens, on its way then', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const bob = member(BOB);
  const carol = member(CAROL);
  carol.isOpen = false;
  const r = room([bob, carol]);
  const first = r.ours();
  assert.equal(await r.edits.delete(first.id), true);
  const deletion = edits(bob)[0];
  assert.ok(deletion);
  r.ack(bob);
  await r.editOthers(MAX_EDIT_SYNC, bob);
  const notConfirmed: EditDelivery = { deletion: true, waiting: [], unconfirmed: [CAROL] };
  assert.deepEqual(r.edits.delivery(first.id), notConfirmed);
  // Retry while her link is down: nothing can go, and nothing says it did.
  assert.equal(r.edits.retry(first.id), false, 'it went to nobody now');
  assert.equal(edits(carol).length, 0);
  assert.deepEqual(r.told.get(first.id), notConfirmed);
  assert.deepEqual(r.edits.delivery(first.id), notConfirmed);
  // Her link opens: our latest edits go, and the deletion Retry asked for with them.
  carol.isOpen = true;
  r.edits.feature.opened?.(carol);
  assert.equal(edits(carol).length, MAX_EDIT_SYNC + 1);
  assert.deepEqual(edits(carol).at(-1), deletion, 'the same deletion, signed as it was');
  assert.deepEqual(r.edits.delivery(first.id), { deletion: true, waiting: [CAROL], unconfirmed: [] });
  // Once: another opening sends our latest again, not it (the resend has it now).
  r.edits.feature.opened?.(carol);
  assert.equal(edits(carol).filter((m) => m.id === first.id).length, 1);
  r.edits.acknowledged(carol, [editAckId(deletion) ?? '']);
  assert.equal(r.told.get(first.id), null);
});

test('what Retry keeps for a member whose link is down is bounded: past MAX_EDIT_SYNC lines the oldest is forgotten, and its line still says not confirmed, with Retry', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const carol = member(CAROL);
  carol.isOpen = false;
  const r = room([carol]);
  const older: ChatLine[] = [];
  for (let i = 0; i <= MAX_EDIT_SYNC; i++) {
    const line = r.ours();
    assert.equal(await r.edits.delete(line.id), true);
    older.push(line);
  }
  await r.editOthers(MAX_EDIT_SYNC);
  for (const line of older) assert.equal(r.edits.retry(line.id), false);
  carol.isOpen = true;
  r.edits.feature.opened?.(carol);
  const [forgotten, ...kept] = older;
  assert.ok(forgotten);
  assert.equal(edits(carol).length, 2 * MAX_EDIT_SYNC, 'our latest, and the lines Retry kept');
  assert.equal(
    edits(carol).some((m) => m.id === forgotten.id),
    false,
  );
  for (const line of kept) assert.deepEqual(r.edits.delivery(line.id)?.waiting, [CAROL]);
  assert.deepEqual(r.edits.delivery(forgotten.id), { deletion: true, waiting: [], unconfirmed: [CAROL] });
  assert.equal(r.edits.retry(forgotten.id), true, 'her link is open: it goes now');
  assert.deepEqual(r.edits.delivery(forgotten.id)?.waiting, [CAROL]);
});

test('a member that acknowledges none of our next MAX_EDIT_SYNC edits is given up on for the oldest: the resend sends it no more, Retry does', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const bob = member(BOB);
  const r = room([bob]);
  const first = r.ours();
  assert.equal(await r.edits.delete(first.id), true);
  await r.editOthers(MAX_EDIT_SYNC);
  assert.deepEqual(r.edits.delivery(first.id), { deletion: true, waiting: [], unconfirmed: [BOB] });
  assert.equal(r.edits.pending(bob), MAX_EDIT_SYNC);
  t.mock.timers.tick(RESEND_MAX_MS);
  assert.equal(edits(bob).filter((m) => m.id === first.id).length, 1, 'the resend sends it no more');
  assert.equal(r.edits.retry(first.id), true);
  assert.equal(edits(bob).filter((m) => m.id === first.id).length, 2);
  assert.deepEqual(r.edits.delivery(first.id)?.waiting, [BOB]);
});

test('kept for as many of our lines as the page keeps: past that the oldest line’s mark goes, as drawn and drawn again; stale news changes nothing', () => {
  const told = new Map<string, EditDelivery | null>();
  const deliveries = createEditDeliveries({ changed: (lineId, delivery) => told.set(lineId, delivery) });
  const id = (i: number) => `line-${String(i).padStart(12, '0')}`;
  for (let i = 0; i <= LINES_LIMIT; i++) deliveries.started({ id: id(i), at: TS + i, text: 'x' }, [BOB]);
  assert.equal(told.get(id(0)), null);
  assert.equal(deliveries.of(id(0)), null);
  assert.deepEqual(deliveries.of(id(1))?.waiting, [BOB]);
  assert.deepEqual(deliveries.of(id(LINES_LIMIT))?.waiting, [BOB]);
  // Its ack, should it come, names nothing kept; the others' still count.
  deliveries.acknowledged(BOB, [editAckId({ id: id(0), at: TS }) ?? '', editAckId({ id: id(1), at: TS + 1 }) ?? '']);
  assert.equal(told.get(id(1)), null);
  assert.equal(deliveries.of(id(0)), null);
  // What no edit of ours is waiting on changes nothing: a line's ack, another member, a stale edit.
  const before = [...told];
  deliveries.acknowledged(BOB, ['abcdefghijklmnopqrstu']);
  deliveries.gaveUp(CAROL, { id: id(2), at: TS + 2, text: 'x' });
  deliveries.gaveUp(BOB, { id: id(2), at: TS + 1, text: 'x' });
  deliveries.trying(BOB, { id: id(2), at: TS + 2, text: 'x' });
  deliveries.unsynced({ id: id(2), at: TS + 1, text: 'x' }, new Set());
  deliveries.unsynced({ id: id(2), at: TS + 2, text: 'x' }, new Set([BOB]));
  assert.deepEqual([...told], before);
  assert.deepEqual(deliveries.of(id(2))?.waiting, [BOB]);
});

test('the mark says by name whom the deletion was not confirmed by, or whom the edit was not yet seen by; its title says what that means', () => {
  const waiting = editDeliveryWords({ deletion: true, waiting: [BOB, CAROL], unconfirmed: [] }, nameOf);
  assert.deepEqual(waiting, { text: 'deletion on its way', title: 'Not yet confirmed by Bob and Carol' });
  assert.deepEqual(editDeliveryWords({ deletion: false, waiting: [BOB], unconfirmed: [] }, nameOf), {
    text: 'edit on its way',
    title: 'Not yet seen by Bob',
  });
  const plain = (text: string) => text.replace(/[\u2068\u2069]/g, '');
  const deletion = editDeliveryWords({ deletion: true, waiting: [CAROL], unconfirmed: [BOB] }, nameOf);
  assert.equal(plain(deletion.text), '⚠ deletion not confirmed by Bob');
  // The name is marked to be drawn isolated (a right-to-left name does not reorder the sentence).
  assert.match(deletion.text, /by \u2068Bob\u2069$/);
  assert.equal(
    deletion.title,
    'Bob did not confirm the deletion and may still show the message. Retry sends it to them again, as soon as their link is open. Still on its way to Carol.',
  );
  const edit = editDeliveryWords({ deletion: false, waiting: [], unconfirmed: [BOB, CAROL] }, nameOf);
  assert.equal(plain(edit.text), '⚠ edit not yet seen by Bob and Carol');
  assert.equal(
    edit.title,
    'Bob and Carol did not confirm the edit and may still show the message as it was. Retry sends it to them again, as soon as their link is open.',
  );
  assert.equal(nameList(['Bob', 'Carol', 'Dave']), 'Bob, Carol and Dave');
  assert.equal(nameList(['Bob', 'Carol', 'Dave', 'Erin']), 'Bob, Carol and 2 others');
  assert.equal(nameList([]), '');
});
