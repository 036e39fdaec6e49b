// The room's name: `room:name` parsed strictly; signed by its setter and checked against its
// key, whoever passes it on (a forged one refused, one whose setter left shown as its passer's
// word); the latest `at` wins and ties converge on every page; a time far ahead of our clock
// refused; an ignored member renames nothing here; never sent to a member on an older
// version; kept across a reload of the tab and passed on from there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createRoomName,
  type RoomName,
  type RoomNameOptions,
  STALE_ANSWER_MS,
} from '../../client/features/room-name.ts';
import type { RoomNameStore } from '../../client/features/room-name-kept.ts';
import { createIdentity, type Identity } from '../../client/identity.ts';
import { transcript } from '../../client/view/save-chat.ts';
import { goneBy } from '../../client/wiring/room-name.ts';
import {
  CHANNEL_PROTOCOL_VERSION,
  CHANNEL_RATES,
  type MessageOf,
  parseChannelMessage,
  ROOM_NAME_AHEAD_MS,
  ROOM_NAME_MAX_LENGTH,
  ROOM_NAME_VERSION,
  roomNameOf,
} from '../../protocol/index.ts';
import { type FakeMember, fakeMember } from './fake-member.ts';

type RoomNameMessage = MessageOf<'room:name'>;

const SELF = 'me-000000001';
const ALICE = 'alice-000001';
const BOB = 'bob-00000001';
const CAROL = 'carol-000001';
const NOW = 1_700_000_000_000;

/** A member on our version, its channel open, its key the one `identity` holds. */
async function member(id: string, identity: Identity | null, version: number | null = ROOM_NAME_VERSION) {
  const made: FakeMember = fakeMember(id, identity ? await identity.publicKey() : null, true);
  made.name = id.split('-')[0] ?? id;
  made.version = version;
  return made;
}

/** A name as its setter sends it: signed by `identity` (none: unsigned). */
async function named(
  identity: Identity | null,
  by: string,
  name: string | null,
  at: number,
  extra: Partial<RoomNameMessage> = {},
): Promise<RoomNameMessage> {
  const byName = by.split('-')[0] ?? by;
  const sig = identity ? await identity.signRoomName({ by, byName, name, at }) : null;
  return {
    t: 'room:name',
    ...(name === null ? {} : { name }),
    by,
    byName,
    at,
    ...(sig === null ? {} : { sig }),
    ...extra,
  };
}

function page(members: FakeMember[], options: Partial<RoomNameOptions> = {}) {
  const shown: { current: RoomName; change: boolean }[] = [];
  const roomName = createRoomName({
    selfId: () => SELF,
    selfName: () => 'me',
    members: () => members,
    identity: createIdentity(),
    changed: (current, change) => shown.push({ current, change }),
    wallClock: () => NOW,
    ...options,
  });
  const receive = async (from: FakeMember, message: RoomNameMessage) => {
    roomName.feature.receive(from, message);
    await roomName.idle();
  };
  return { roomName, shown, receive };
}

test('room:name parses within its bounds; a malformed one is refused whole, never thrown', () => {
  const ok = { t: 'room:name', name: 'Family', by: ALICE, byName: 'alice', at: NOW, sig: 'A'.repeat(86) };
  assert.deepEqual(parseChannelMessage(JSON.stringify(ok)), ok);
  const cleared = { t: 'room:name', by: ALICE, byName: 'alice', at: NOW, known: true };
  assert.deepEqual(parseChannelMessage(JSON.stringify(cleared)), cleared);
  assert.ok(parseChannelMessage(JSON.stringify({ ...ok, name: '🙂'.repeat(ROOM_NAME_MAX_LENGTH) })));
  const refused = [
    { ...ok, name: '' },
    { ...ok, name: ' Family' },
    { ...ok, name: 'Two  spaces' },
    { ...ok, name: 'a\nb' },
    { ...ok, name: 'right\u202Eto left' },
    // Nothing visible: a zero-width space, a soft hyphen, a Hangul filler, a braille blank, tags.
    { ...ok, name: '\u200B' },
    { ...ok, name: '\u00AD' },
    { ...ok, name: '\u3164' },
    { ...ok, name: '\u2800' },
    { ...ok, name: '\u{E0041}\u{E0042}' },
    { ...ok, name: 'x'.repeat(ROOM_NAME_MAX_LENGTH + 1) },
    { ...ok, name: 42 },
    { ...ok, by: 'not a peer id!' },
    { ...ok, byName: '' },
    { ...ok, byName: 'n'.repeat(33) },
    { ...ok, at: -1 },
    { ...ok, at: 'now' },
    { ...ok, sig: 'not base64url!' },
    { ...ok, known: false },
    { ...ok, html: '<b>' },
    { t: 'room:name', name: 'Family', byName: 'alice', at: NOW },
  ];
  for (const bad of refused) assert.equal(parseChannelMessage(JSON.stringify(bad)), null, JSON.stringify(bad));
  assert.ok(CHANNEL_RATES['room:name'].burst > 0, 'rate-limited as every channel message is');
  assert.ok(CHANNEL_PROTOCOL_VERSION >= ROOM_NAME_VERSION, 'our hello says a version that takes room:name');
});

test('a room name with a letter under a stack of marks is refused, joiners between them or not; a few accents are a name', () => {
  const marks = '\u0301\u0300\u0302\u0303\u0304\u0306\u0307\u030D';
  // The exploratory pass's name: its marks painted down over the header and the chat.
  assert.equal(roomNameOf(`Z${marks.repeat(7)}MMMMMMM`), null);
  assert.equal(roomNameOf(`Z${[...marks.repeat(2)].join('\u200D')}`), null);
  const ok = { t: 'room:name', name: 'Family', by: ALICE, byName: 'alice', at: NOW };
  assert.equal(parseChannelMessage(JSON.stringify({ ...ok, name: `Q${marks}\u0301` })), null);
  for (const name of ['Tiếng Việt', 'Tie\u0302\u0301ng', 'שָׁלוֹם', `Z${marks}`]) {
    assert.equal(roomNameOf(name), name.normalize('NFC'), JSON.stringify(name));
  }
});

test('a setter’s name is one a member could have: "You", a line break, an invisible character or a stack of marks is refused', () => {
  const ok = { t: 'room:name', name: 'Family', by: ALICE, byName: 'alice', at: NOW };
  for (const byName of ['You', 'you', 'Car\u200Bol ✓', 'Carol\nMallory', `x${'\u0301'.repeat(31)}`, ' alice', 'a  b'])
    assert.equal(parseChannelMessage(JSON.stringify({ ...ok, byName })), null, JSON.stringify(byName));
  for (const byName of ['Server notice', '🙂'.repeat(32), 'Tiếng Việt'])
    assert.ok(parseChannelMessage(JSON.stringify({ ...ok, byName })), JSON.stringify(byName));
});

test('a setter or passer gone, by a name that is ours or a present member’s, is marked "(earlier)"', async () => {
  const carol = await member(CAROL, null);
  assert.equal(goneBy('Alice', 'Alice', [carol]), 'Alice (earlier)', 'our own name');
  assert.equal(goneBy('carol', 'Alice', [carol]), 'carol (earlier)', 'a present member’s');
  assert.equal(goneBy('CAROL', 'Alice', [carol]), 'CAROL (earlier)', 'one that looks like it');
  assert.equal(goneBy('Server notice', 'Alice', [carol]), 'Server notice', 'no one’s here');
  carol.disposed = true;
  assert.equal(goneBy('carol', 'Alice', [carol]), 'carol', 'once she is gone too');
});

test('the latest `at` wins, whatever order the names come in, and a tie goes to the greater setter id on every page', async () => {
  const [alice, bob] = [createIdentity(), createIdentity()];
  const members = [await member(ALICE, alice), await member(BOB, bob)];
  const older = await named(alice, ALICE, 'Old', NOW - 10);
  const newer = await named(bob, BOB, 'New', NOW - 5);
  const tieAlice = await named(alice, ALICE, 'Alice’s', NOW - 1);
  const tieBob = await named(bob, BOB, 'Bob’s', NOW - 1);
  const [a, b] = members as [FakeMember, FakeMember];
  const one = page(members);
  const two = page(members);
  await one.receive(a, older);
  await one.receive(b, newer);
  await two.receive(b, newer);
  await two.receive(a, older);
  assert.equal(one.roomName.current()?.name, 'New');
  assert.equal(two.roomName.current()?.name, 'New', 'an older name that comes later changes nothing');
  await one.receive(a, tieAlice);
  await one.receive(b, tieBob);
  await two.receive(b, tieBob);
  await two.receive(a, tieAlice);
  assert.equal(one.roomName.current()?.name, 'Bob’s');
  assert.equal(two.roomName.current()?.name, 'Bob’s', 'both pages settle on one name');
  assert.equal(two.shown.length, 2, 'nothing shown again for a name that lost');
  // A change said as one makes a line in the chat; a name learned as a link opened does not.
  assert.deepEqual(
    one.shown.map((shown) => [shown.current.name, shown.change]),
    [
      ['Old', true],
      ['New', true],
      ['Alice’s', true],
      ['Bob’s', true],
    ],
  );
  const three = page(members);
  await three.receive(b, { ...tieBob, known: true });
  assert.deepEqual(
    three.shown.map(({ current, change }) => [current.name, current.says, change]),
    [['Bob’s', null, false]],
  );
});

test('a name is checked against its setter’s key: a forged one is refused whoever passes it on; one whose setter left is its passer’s word', async () => {
  const [alice, bob, carol] = [createIdentity(), createIdentity(), createIdentity()];
  const a = await member(ALICE, alice);
  const c = await member(CAROL, carol);
  const b = await member(BOB, bob);
  const members = [a, b, c];
  const { roomName, receive } = page(members);
  // Carol says Bob named it, signing with her own key: Bob's key says he did not.
  await receive(c, await named(carol, BOB, 'Carol’s words', NOW - 3, { known: true }));
  // Alice's own name, its signature kept, with its text changed on the way.
  const altered = { ...(await named(alice, ALICE, 'Family', NOW - 2)), name: 'Altered' };
  await receive(a, altered);
  await receive(a, await named(alice, ALICE, 'Family', NOW - 2, { sig: undefined }));
  assert.equal(roomName.current(), null);
  assert.equal(roomName.counts().forged, 3);

  // Bob's own, passed on by Carol while Bob is here: checked against his key, his word.
  await receive(c, await named(bob, BOB, 'Bob’s', NOW - 1, { known: true }));
  assert.deepEqual(roomName.current()?.says, null);
  assert.equal(roomName.current()?.name, 'Bob’s');

  // Bob left: Carol passes on a later name she says he set. It is only her word.
  members.splice(members.indexOf(b), 1);
  b.disposed = true;
  const later = await named(carol, BOB, 'As Carol says', NOW, { known: true });
  const fresh = page(members);
  await fresh.receive(c, later);
  assert.deepEqual(fresh.roomName.current()?.says, { id: CAROL, name: 'carol' });
  assert.equal(fresh.roomName.current()?.name, 'As Carol says');
  // The same name, checked against its setter's key, replaces her word (Bob is back).
  members.push(b);
  b.disposed = false;
  const checked = await named(bob, BOB, 'Bob again', NOW);
  await fresh.receive(c, { ...later, known: true });
  await fresh.receive(a, { ...checked, known: true });
  assert.equal(fresh.roomName.current()?.name, 'Bob again', 'same time and setter: the greater name');
  assert.equal(fresh.roomName.current()?.says, null);
});

test('a name set far ahead of our clock is refused: it would hold against every later change', async () => {
  const alice = createIdentity();
  const a = await member(ALICE, alice);
  const { roomName, receive } = page([a]);
  await receive(a, await named(alice, ALICE, 'Forever', NOW + ROOM_NAME_AHEAD_MS + 1));
  assert.equal(roomName.current(), null);
  assert.equal(roomName.counts().future, 1);
  await receive(a, await named(alice, ALICE, 'A bit ahead', NOW + ROOM_NAME_AHEAD_MS));
  assert.equal(roomName.current()?.name, 'A bit ahead', 'a clock a little off is believed');
});

test('a change that loses to the name we hold is answered with ours, to every member, so that all pages show one name', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const [bob, carol] = [createIdentity(), createIdentity()];
  const b = await member(BOB, bob);
  const c = await member(CAROL, carol);
  const mallory = await member('mallory-0001', null);
  const { roomName, receive } = page([b, c, mallory]);
  // Mallory tells us alone a name dated 270 s ahead, by a setter nobody has seen.
  const ahead = {
    t: 'room:name',
    name: 'Mallory rules',
    by: 'ghost-000001',
    byName: 'carol',
    at: NOW + 270_000,
  } as const;
  await receive(mallory, ahead);
  assert.equal(roomName.current()?.name, 'Mallory rules');
  // Carol renames the room: the others take it, we hold ours. Everyone is told ours at once.
  await receive(c, await named(carol, CAROL, 'Planning', NOW));
  assert.equal(roomName.current()?.name, 'Mallory rules');
  for (const told of [b, c, mallory]) assert.deepEqual(told.wire, [{ ...ahead, known: true }], told.id);
  // Another change that loses, right after: told again once STALE_ANSWER_MS has passed, not before.
  await receive(b, await named(bob, BOB, 'Plans', NOW + 1));
  assert.equal(b.wire.length, 1);
  t.mock.timers.tick(STALE_ANSWER_MS);
  assert.equal(b.wire.length, 2);
  // A name a link brings is answered by what we told as it opened; the same name, by nothing.
  await receive(c, await named(carol, CAROL, 'Planning', NOW, { known: true }));
  await receive(mallory, ahead);
  t.mock.timers.tick(STALE_ANSWER_MS);
  assert.equal(b.wire.length, 2);
});

test('a member we ignore does not rename the room here, on its own link nor passed on by another', async () => {
  const [alice, mallory] = [createIdentity(), createIdentity()];
  const MALLORY = 'mallory-0001';
  const a = await member(ALICE, alice);
  const m = await member(MALLORY, mallory);
  const ignored = new Set([MALLORY]);
  const { roomName, receive } = page([a, m], { ignored: (id) => ignored.has(id) });
  await receive(a, await named(alice, ALICE, 'Family', NOW - 10));
  await receive(m, await named(mallory, MALLORY, 'Mallory’s room', NOW - 5));
  await receive(a, await named(mallory, MALLORY, 'Mallory’s room', NOW - 5, { known: true }));
  assert.equal(roomName.current()?.name, 'Family');
  assert.equal(roomName.counts().ignored, 2);
  ignored.delete(MALLORY);
  await receive(m, await named(mallory, MALLORY, 'Mallory’s room', NOW - 5));
  assert.equal(roomName.current()?.name, 'Mallory’s room', 'taken once no longer ignored');
});

test('the chat says who renamed: a change now, or a name a link brings that differs from the one held; a first name heard as we join, or the same one again, says nothing', async () => {
  const [alice, mallory] = [createIdentity(), createIdentity()];
  const MALLORY = 'mallory-0001';
  const a = await member(ALICE, alice);
  const m = await member(MALLORY, mallory);
  const { shown, receive } = page([a, m]);
  await receive(a, await named(alice, ALICE, 'Family', NOW - 60_000, { known: true }));
  assert.deepEqual(
    shown.map(({ current, change }) => [current.name, change]),
    [['Family', false]],
    'learned as we join',
  );
  await receive(m, await named(alice, ALICE, 'Family', NOW - 60_000, { known: true }));
  assert.equal(shown.length, 1, 'the same name again changes nothing');
  // Mallory renames, claiming it is only the name she held as the link opened: still said.
  await receive(m, await named(mallory, MALLORY, 'Mallory’s room', NOW - 1, { known: true }));
  assert.deepEqual(shown.at(-1) && [shown.at(-1)?.current.name, shown.at(-1)?.change], ['Mallory’s room', true]);
  await receive(a, await named(alice, ALICE, 'Family again', NOW));
  assert.equal(shown.at(-1)?.change, true);
  // The first name a page hears, set after it opened (its link to the setter was down): news.
  const late = page([a]);
  await late.receive(a, await named(alice, ALICE, 'Set while cut off', NOW + 1, { known: true }));
  assert.deepEqual(
    late.shown.map(({ change }) => change),
    [true],
  );
});

test('ours is signed and goes to every member that said ROOM_NAME_VERSION, never to one on version 8 or none yet; a link that opens hears the name held', async () => {
  const self = createIdentity();
  const newer = await member(ALICE, createIdentity());
  const older = await member(BOB, createIdentity(), ROOM_NAME_VERSION - 1);
  const unheard = await member(CAROL, createIdentity(), null);
  const { roomName, shown } = page([newer, older, unheard], { identity: self });
  assert.equal(await roomName.set('  Family \n trip  '), true);
  assert.equal(roomName.current()?.name, 'Family trip');
  assert.deepEqual(
    shown.map((s) => s.change),
    [true],
  );
  assert.deepEqual(older.wire, []);
  assert.deepEqual(unheard.wire, []);
  const [sent] = newer.wire as RoomNameMessage[];
  assert.equal(sent?.name, 'Family trip');
  assert.equal(sent?.by, SELF);
  assert.equal(sent?.known, undefined);
  // What was sent checks against our key on the receiving page.
  const us = await member(SELF, self);
  const other = page([us], { selfId: () => ALICE });
  if (sent) await other.receive(us, sent);
  assert.equal(other.roomName.current()?.name, 'Family trip');
  assert.equal(other.roomName.current()?.says, null);

  assert.equal(await roomName.set('Family trip'), false, 'the same name changes nothing');
  assert.equal(await roomName.set('x'.repeat(ROOM_NAME_MAX_LENGTH + 1)), false);
  // A link opens: the name held goes, as known. To an older page, never.
  roomName.feature.opened?.(older);
  unheard.version = ROOM_NAME_VERSION;
  roomName.feature.opened?.(unheard);
  assert.deepEqual(older.wire, []);
  assert.deepEqual(
    (unheard.wire as RoomNameMessage[]).map((m) => [m.t, m.name, m.known]),
    [['room:name', 'Family trip', true]],
  );
  // Cleared: the removal goes too, and wins over the name on every page.
  assert.equal(await roomName.set(''), true);
  assert.equal(roomName.current()?.name, null);
  const removal = newer.wire.at(-1) as RoomNameMessage;
  assert.equal(removal.name, undefined);
  assert.ok(removal.at > (sent?.at ?? Number.POSITIVE_INFINITY));
});

test('the name outlives a reload of the tab, as whose word it was, and is passed on from there', async () => {
  let kept: unknown = null;
  const store: RoomNameStore = {
    load: () => kept,
    save: (value) => {
      kept = JSON.parse(JSON.stringify(value));
    },
  };
  const [alice, carol] = [createIdentity(), createIdentity()];
  const c = await member(CAROL, carol);
  const before = page([c], { store });
  await before.receive(c, await named(alice, ALICE, 'Family', NOW - 1, { known: true }));
  assert.deepEqual(before.roomName.current()?.says, { id: CAROL, name: 'carol' });

  const bob = await member(BOB, createIdentity());
  const after = page([bob], { store });
  after.roomName.restore();
  assert.deepEqual(
    after.shown.map(({ current, change }) => [current.name, current.says?.name, change]),
    [['Family', 'carol', false]],
  );
  after.roomName.feature.opened?.(bob);
  const [passed] = bob.wire as RoomNameMessage[];
  assert.equal(passed?.name, 'Family');
  assert.equal(passed?.by, ALICE);
  assert.equal(passed?.known, true);
  assert.ok(passed?.sig, 'passed on with its setter’s signature');
  // Anything else in the store is left out.
  kept = { message: '{"t":"room:name","name":"<b>x</b>"}', says: null };
  assert.equal(page([], { store }).roomName.current(), null);
});

test('Save the chat names the room in its head when it has a name', () => {
  const at = new Date(2026, 11, 8, 14, 5);
  assert.match(transcript([], at, 'Family'), /^roomlink chat “Family”, saved 2026-12-08 14:05 /);
  assert.match(transcript([], at), /^roomlink chat, saved 2026-12-08 14:05 /);
});
