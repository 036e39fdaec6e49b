// Reactions: toggled by clicking again, counted per emoji with who reacted, broadcast to
// every member (to a private line's other party only: no third member may learn of it); a
// reaction to a line we do not show yet waits for it; over 10 a second, one is ignored. Every
// reaction state is signed by its reactor and checked against the reactor's key, however it
// came (its link, a relay, a history answer); the latest state per reactor and emoji wins.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { createReactions, type ReactionSummary } from '../../client/features/reactions.ts';
import type { KnownReactor } from '../../client/features/reactions-history.ts';
import { createIdentity, type Identity, verifyReaction } from '../../client/identity.ts';
import {
  type ChannelMessage,
  encodeChannelMessage,
  type HistoryReaction,
  MAX_CHANNEL_MESSAGE_LENGTH,
  MAX_REACTION_SYNC,
  type MessageOf,
  parseChannelMessage,
  REACTION_EMOJI,
  type ReactionEmoji,
} from '../../protocol/index.ts';
import { type FakeMember, manualClock, openMember } from './fake-member.ts';

const SELF = 'me-000000001';
const LINE = 'line-aaaaaaaaaaaaaaaa';

type Change = MessageOf<'react'>;

/** A member with its own key: what it signs checks against the key its hello gave. */
async function reactor(id: string, name: string) {
  const identity = createIdentity();
  const member = openMember(id);
  member.name = name;
  member.key = await identity.publicKey();
  /** Its signed change: on or off at its time ts. */
  async function change(author: string, line: string, emoji: ReactionEmoji, on: boolean, ts: number): Promise<Change> {
    const sig = (await identity.signReaction({ by: id, author, id: line, emoji, on, ts })) ?? undefined;
    return { t: 'react', author, id: line, emoji, on, ts, ...(sig ? { sig } : {}) };
  }
  /** The same, as a history answer carries it. */
  async function state(author: string, line: string, emoji: ReactionEmoji, on: boolean, ts: number) {
    const { sig } = await change(author, line, emoji, on, ts);
    return { emoji, by: id, name, on, ts, ...(sig ? { sig } : {}) } satisfies HistoryReaction;
  }
  return { member, identity, change, state };
}

async function harness(
  known: (id: string) => KnownReactor | undefined = () => undefined,
  others: FakeMember[] = [],
  ignored?: (peerId: string) => boolean,
) {
  const clock = manualClock(0);
  let wall = 1_700_000_000_000;
  const alice = await reactor('alice-000001', 'Alice');
  const bob = await reactor('bob-00000001', 'Bob');
  const self: Identity = createIdentity();
  const updates: ReactionSummary[][] = [];
  const reactions = createReactions({
    selfId: () => SELF,
    selfName: () => 'Me',
    members: () => [alice.member, bob.member, ...others],
    identity: self,
    known,
    changed: (_author, _id, summary) => updates.push([...summary]),
    now: clock.now,
    wallClock: () => wall++,
    ...(ignored && { ignored }),
  });
  /** Delivers a message from `from` and waits until its signatures are checked. */
  async function receive(from: FakeMember, message: MessageOf<'react' | 'react:sync'>): Promise<void> {
    reactions.feature.receive(from, message);
    await reactions.idle();
  }
  /**
   * Lets time pass until every change of ours is sent: they go out at most five a second
   * (timers mocked by the caller).
   */
  async function sendAll(): Promise<void> {
    for (let second = 0; second < MAX_REACTION_SYNC; second++) {
      await reactions.idle();
      clock.advance(1_000);
      mock.timers.tick(1_000);
    }
    await reactions.idle();
  }
  return { reactions, alice, bob, self, updates, clock, receive, sendAll };
}

test('our reaction is added at once, sent signed to everyone, and taken back by a second click', async () => {
  const { reactions, alice, bob, self } = await harness();
  reactions.shown(alice.member.id, LINE);
  reactions.toggle(alice.member.id, LINE, '👍');
  assert.deepEqual(reactions.of(alice.member.id, LINE), [
    { emoji: '👍', count: 1, names: ['You'], by: [SELF], mine: true },
  ]);
  reactions.toggle(alice.member.id, LINE, '👍');
  assert.deepEqual(reactions.of(alice.member.id, LINE), []);
  await reactions.idle();
  assert.deepEqual(
    alice.member.wire.map((m) => m.t === 'react' && [m.emoji, m.on]),
    [
      ['👍', true],
      ['👍', false],
    ],
  );
  assert.deepEqual(bob.member.wire, alice.member.wire);
  const key = (await self.publicKey()) ?? '';
  const [on, off] = alice.member.wire as Change[];
  assert.ok(on && off && off.ts > on.ts, 'the "off" is later than the "on"');
  for (const sent of [on, off]) {
    assert.equal(await verifyReaction(key, sent.sig ?? '', { ...sent, by: SELF }), true, 'signed with our key');
  }
});

test('reactions of others are counted per emoji, with who reacted, in picker order', async () => {
  const { reactions, alice, bob, receive } = await harness();
  reactions.shown(SELF, LINE);
  await receive(bob.member, await bob.change(SELF, LINE, '🎉', true, 1));
  await receive(alice.member, await alice.change(SELF, LINE, '👍', true, 1));
  await receive(bob.member, await bob.change(SELF, LINE, '👍', true, 2));
  await receive(bob.member, await bob.change(SELF, LINE, '👍', true, 2)); // again: no change
  assert.deepEqual(reactions.of(SELF, LINE), [
    { emoji: '👍', count: 2, names: ['Alice', 'Bob'], by: [alice.member.id, bob.member.id], mine: false },
    { emoji: '🎉', count: 1, names: ['Bob'], by: [bob.member.id], mine: false },
  ]);
  await receive(alice.member, await alice.change(SELF, LINE, '👍', false, 2));
  assert.deepEqual(reactions.of(SELF, LINE)[0], {
    emoji: '👍',
    count: 1,
    names: ['Bob'],
    by: [bob.member.id],
    mine: false,
  });
});

test('a summary says who reacted by member id too, in the order it names them; ours under our id (the view leaves out those we ignore by it: view/reactions.ts)', async () => {
  const { reactions, alice, bob, updates, receive } = await harness();
  reactions.shown(SELF, LINE);
  await receive(alice.member, await alice.change(SELF, LINE, '👍', true, 1));
  await receive(bob.member, await bob.change(SELF, LINE, '👍', true, 1));
  assert.deepEqual(reactions.of(SELF, LINE), [
    { emoji: '👍', count: 2, names: ['Alice', 'Bob'], by: [alice.member.id, bob.member.id], mine: false },
  ]);
  // Off and on again: last, in both.
  await receive(alice.member, await alice.change(SELF, LINE, '👍', false, 2));
  assert.deepEqual(reactions.of(SELF, LINE)[0]?.by, [bob.member.id]);
  await receive(alice.member, await alice.change(SELF, LINE, '👍', true, 3));
  reactions.toggle(SELF, LINE, '👍');
  // As the view is given it.
  assert.deepEqual(updates.at(-1), [
    { emoji: '👍', count: 3, names: ['Bob', 'Alice', 'You'], by: [bob.member.id, alice.member.id, SELF], mine: true },
  ]);
  assert.deepEqual(reactions.of(SELF, 'no-such-line'), []);
});

test('a reactor who renames is named anew on the lines it reacted to, in its place; nothing else changes', async () => {
  const { reactions, alice, bob, updates, receive } = await harness();
  reactions.shown(SELF, LINE);
  reactions.shown(SELF, 'line-bbbbbbbbbbbbbbbb');
  await receive(bob.member, await bob.change(SELF, LINE, '👍', true, 1));
  await receive(alice.member, await alice.change(SELF, LINE, '👍', true, 1));
  await receive(alice.member, await alice.change(SELF, 'line-bbbbbbbbbbbbbbbb', '🎉', true, 1));
  const before = updates.length;
  bob.member.name = 'Robert';
  reactions.feature.renamed?.(bob.member);
  assert.deepEqual(reactions.of(SELF, LINE), [
    { emoji: '👍', count: 2, names: ['Robert', 'Alice'], by: [bob.member.id, alice.member.id], mine: false },
  ]);
  assert.equal(updates.length, before + 1, 'the one line Bob reacted to is drawn anew, once');
  assert.deepEqual(updates.at(-1), reactions.of(SELF, LINE));
  reactions.feature.renamed?.(bob.member); // the same name again: nothing to draw
  assert.equal(updates.length, before + 1);
});

test('a reactor back under its id under another name is named so, as the page names it (names.ts); ours stay "You"', async () => {
  const { reactions, bob, receive } = await harness();
  reactions.shown(SELF, LINE);
  await receive(bob.member, await bob.change(SELF, LINE, '👍', true, 1));
  reactions.toggle(SELF, LINE, '👍');
  await reactions.idle();
  // A new member object under Bob's id (back after a reload, his name taken meanwhile): the
  // feature's own renamed never hears of it; the page's names say it.
  reactions.renamed(bob.member.id, 'Bob 2');
  reactions.renamed(SELF, 'Me');
  assert.deepEqual(reactions.of(SELF, LINE), [
    { emoji: '👍', count: 2, names: ['Bob 2', 'You'], by: [bob.member.id, SELF], mine: true },
  ]);
});

test('a tampered emoji, another reactor’s key, or a missing signature is dropped and counted', async () => {
  const { reactions, alice, bob, receive } = await harness();
  reactions.shown(SELF, LINE);
  const thumbs = await alice.change(SELF, LINE, '👍', true, 1);
  await receive(alice.member, { ...thumbs, emoji: '😢' }); // signed 👍, says 😢
  await receive(bob.member, thumbs); // Alice's signature under Bob's name: not Bob's key
  const { sig: _, ...unsigned } = await alice.change(SELF, LINE, '🎉', true, 2);
  await receive(alice.member, unsigned);
  assert.deepEqual(reactions.of(SELF, LINE), []);
  assert.equal(reactions.counts().forged, 3);
  // A member without a key (no WebCrypto in its browser) is believed on its own link, as for lines.
  const keyless = openMember('keyless00001');
  await receive(keyless, unsigned);
  assert.equal(reactions.of(SELF, LINE)[0]?.count, 1);
});

test('an old signed "on" replayed after the "off" changes nothing: the latest state wins, in any order', async () => {
  const { reactions, alice, receive } = await harness();
  reactions.shown(SELF, LINE);
  const on = await alice.change(SELF, LINE, '👍', true, 10);
  const off = await alice.change(SELF, LINE, '👍', false, 11);
  await receive(alice.member, on);
  await receive(alice.member, off);
  await receive(alice.member, on); // replayed (a relay, a history answer, a resend)
  assert.deepEqual(reactions.of(SELF, LINE), []);
  // Arriving the other way round ends the same.
  reactions.shown(SELF, 'line-bbbbbbbbbbbbbbbb');
  await receive(alice.member, await alice.change(SELF, 'line-bbbbbbbbbbbbbbbb', '👍', false, 11));
  await receive(alice.member, await alice.change(SELF, 'line-bbbbbbbbbbbbbbbb', '👍', true, 10));
  assert.deepEqual(reactions.of(SELF, 'line-bbbbbbbbbbbbbbbb'), []);
  assert.equal(reactions.counts().forged, 0);
});

test('a reaction heard before its line waits for the line, and shows with it; our click on a line not shown does nothing', async () => {
  const { reactions, alice, bob, updates, receive } = await harness();
  // Bob reacted as soon as Alice's line reached him; her line reaches us later (our link to
  // her was being repaired, and the line is resent once it is back).
  await receive(bob.member, await bob.change(alice.member.id, LINE, '👍', true, 1));
  reactions.toggle(alice.member.id, LINE, '🎉');
  await reactions.idle();
  assert.deepEqual(updates, []);
  assert.deepEqual(reactions.of(alice.member.id, LINE), []);
  assert.deepEqual(bob.member.wire, [], 'nothing to react to yet: nothing sent');
  // A later "off" from Bob before the line shows wins over the "on", as on a shown line.
  await receive(alice.member, await alice.change(alice.member.id, LINE, '😂', true, 2));
  await receive(alice.member, await alice.change(alice.member.id, LINE, '😂', false, 3));
  reactions.shown(alice.member.id, LINE);
  assert.deepEqual(reactions.of(alice.member.id, LINE), [
    { emoji: '👍', count: 1, names: ['Bob'], by: [bob.member.id], mine: false },
  ]);
  assert.equal(reactions.counts().forged, 0);
});

test('a reaction heard before a private line shows is taken from its other party only', async () => {
  const { reactions, alice, bob, receive } = await harness();
  await receive(alice.member, await alice.change(alice.member.id, LINE, '❤️', true, 1));
  await receive(bob.member, await bob.change(alice.member.id, LINE, '👍', true, 2));
  reactions.shown(alice.member.id, LINE, alice.member.id); // Alice wrote it to us only
  assert.deepEqual(reactions.of(alice.member.id, LINE), [
    { emoji: '❤️', count: 1, names: ['Alice'], by: [alice.member.id], mine: false },
  ]);
});

test('a member over 10 reactions a second is ignored until a second has passed', async () => {
  const { reactions, alice, clock, receive } = await harness();
  reactions.shown(SELF, LINE);
  let ts = 1;
  let obeyed = 0;
  for (let i = 0; i < 200; i++) {
    const before = reactions.of(SELF, LINE).length;
    ts++;
    await receive(alice.member, await alice.change(SELF, LINE, '😂', before === 0, ts));
    if (reactions.of(SELF, LINE).length !== before) obeyed++;
  }
  assert.equal(obeyed, 10);
  clock.advance(1_000);
  const before = reactions.of(SELF, LINE).length;
  await receive(alice.member, await alice.change(SELF, LINE, '😂', before === 0, ts + 1));
  assert.notEqual(reactions.of(SELF, LINE).length, before);
});

test('our clicks go out at most five a second, quicker ones coalesced: a member, which takes ten, ends with our latest', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const { reactions, alice, sendAll } = await harness();
  reactions.shown(alice.member.id, LINE);
  // Fourteen clicks within a second, ending with the reaction taken back.
  for (let click = 0; click < 14; click++) reactions.toggle(alice.member.id, LINE, '😮');
  await reactions.idle();
  const sent = () => alice.member.wire.flatMap((m) => (m.t === 'react' ? [m.on] : []));
  assert.deepEqual(sent(), [true, false, true, false, true], 'five in the first second');
  await sendAll();
  assert.deepEqual(sent(), [true, false, true, false, true, false], 'then the latest alone');
  assert.deepEqual(reactions.of(alice.member.id, LINE), []);
});

test('our latest change per line and emoji goes again, signed, in react:sync whenever a link opens', async () => {
  const { reactions, alice, bob, self } = await harness();
  reactions.shown(alice.member.id, LINE);
  reactions.toggle(alice.member.id, LINE, '👍');
  reactions.toggle(alice.member.id, LINE, '🎉');
  reactions.toggle(alice.member.id, LINE, '👍'); // taken back: the sync must say so
  await reactions.idle();
  bob.member.wire.length = 0;
  reactions.feature.opened?.(bob.member);
  const [sync, ...more] = bob.member.wire;
  assert.equal(more.length, 0);
  assert.ok(sync?.t === 'react:sync');
  assert.deepEqual(
    sync.reactions.map((r) => [r.emoji, r.on]),
    [
      ['🎉', true],
      ['👍', false],
    ],
  );
  const key = (await self.publicKey()) ?? '';
  for (const r of sync.reactions) assert.equal(await verifyReaction(key, r.sig ?? '', { ...r, by: SELF }), true);
});

test('a full sync of signed changes goes in parts that each fit a channel message', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const { reactions, bob, sendAll } = await harness();
  for (let n = 0; n < MAX_REACTION_SYNC; n++) {
    const line = `line-${String(n).padStart(16, '0')}`;
    reactions.shown(bob.member.id, line);
    reactions.toggle(bob.member.id, line, '❤️');
  }
  await sendAll();
  bob.member.wire.length = 0;
  reactions.feature.opened?.(bob.member);
  assert.ok(bob.member.wire.length > 1);
  let changes = 0;
  for (const message of bob.member.wire) {
    const raw = encodeChannelMessage(message as ChannelMessage);
    assert.ok(raw.length <= MAX_CHANNEL_MESSAGE_LENGTH, `a sync of ${raw.length}`);
    assert.deepEqual(parseChannelMessage(raw), message);
    if (message.t === 'react:sync') changes += message.reactions.length;
  }
  assert.equal(changes, MAX_REACTION_SYNC);
});

test('a react:sync is applied like the reactions in it, and again changes nothing', async () => {
  const { reactions, bob, updates, receive } = await harness();
  reactions.shown(SELF, LINE);
  const { t: _, ...heart } = await bob.change(SELF, LINE, '❤️', true, 1);
  const { t: __, ...unknown } = await bob.change(SELF, 'line-unknown00000001', '👍', true, 1);
  const sync = { t: 'react:sync' as const, reactions: [heart, unknown] };
  await receive(bob.member, sync);
  await receive(bob.member, sync);
  assert.deepEqual(reactions.of(SELF, LINE), [
    { emoji: '❤️', count: 1, names: ['Bob'], by: [bob.member.id], mine: false },
  ]);
  assert.equal(updates.length, 1);
  reactions.feature.opened?.(bob.member);
  assert.deepEqual(bob.member.wire, [], 'nothing of ours to sync');
});

test('a react:sync about lines not shown yet is checked and taken when they show (a file line after our reload); the member’s next sync replaces it', async () => {
  const { reactions, alice, bob, receive } = await harness();
  const FILE = 'file-aaaaaaaaaaaaaaaa';
  const LATER = 'file-bbbbbbbbbbbbbbbb';
  const strip = ({ t: _, ...change }: Change) => change;
  // Bob's link opens before the lines are back: his sync says 👍 on one, 🎉 then taken back on another.
  await receive(bob.member, {
    t: 'react:sync',
    reactions: [
      strip(await bob.change(alice.member.id, FILE, '👍', true, 1)),
      strip(await bob.change(alice.member.id, LATER, '🎉', true, 1)),
    ],
  });
  // Alice's sync forges one of Bob's: it is hers to sign for only.
  const forged = strip(await bob.change(alice.member.id, FILE, '❤️', true, 1));
  await receive(alice.member, { t: 'react:sync', reactions: [{ ...forged, emoji: '😮' }] });
  reactions.shown(alice.member.id, FILE);
  await reactions.idle();
  assert.deepEqual(reactions.of(alice.member.id, FILE), [
    { emoji: '👍', count: 1, names: ['Bob'], by: [bob.member.id], mine: false },
  ]);
  assert.equal(reactions.counts().forged, 1, 'checked when the line showed');
  // His next sync (the link opened again) carries his latest: the 🎉 taken back.
  await receive(bob.member, {
    t: 'react:sync',
    reactions: [
      strip(await bob.change(alice.member.id, FILE, '👍', true, 1)),
      strip(await bob.change(alice.member.id, LATER, '🎉', false, 2)),
    ],
  });
  reactions.shown(alice.member.id, LATER);
  await reactions.idle();
  assert.deepEqual(reactions.of(alice.member.id, LATER), []);
  // A member gone before the line shows: what its sync said goes with it.
  const GONE = 'file-cccccccccccccccc';
  await receive(bob.member, {
    t: 'react:sync',
    reactions: [strip(await bob.change(alice.member.id, GONE, '😢', true, 3))],
  });
  bob.member.disposed = true;
  reactions.feature.removed?.(bob.member, 'ERR_PEER_LEFT');
  reactions.shown(alice.member.id, GONE);
  await reactions.idle();
  assert.deepEqual(reactions.of(alice.member.id, GONE), []);
});

test('a reaction to a file’s line made before we joined comes with its reactor’s react:sync as our link opens, and shows once the file is offered to us after the fact', async () => {
  // Carol (this page) joins: Bob reacted to Alice's file before she came. Files are in no
  // history, so only Bob's own page tells her, as it tells every member whose link opens.
  const { reactions: carol, alice, bob } = await harness();
  const FILE = 'file-shared0000000001';
  const carolAtBob = openMember(SELF);
  const bobs = createReactions({
    selfId: () => bob.member.id,
    selfName: () => 'Bob',
    members: () => [carolAtBob],
    identity: bob.identity,
    known: () => undefined,
    changed: () => {},
  });
  bobs.shown(alice.member.id, FILE);
  bobs.toggle(alice.member.id, FILE, '👍');
  await bobs.idle();
  carolAtBob.wire.length = 0;
  bobs.feature.opened?.(carolAtBob);
  const [sync] = carolAtBob.wire;
  assert.ok(sync?.t === 'react:sync');
  carol.feature.receive(bob.member, sync);
  await carol.idle();
  // The offer comes after the link opened (sending-shared.ts): the line shows then.
  carol.shown(alice.member.id, FILE);
  await carol.idle();
  assert.deepEqual(carol.of(alice.member.id, FILE), [
    { emoji: '👍', count: 1, names: ['Bob'], by: [bob.member.id], mine: false },
  ]);
});

test('a react:sync passes the cap no more than reactions do: its changes count, its repeats do not', async () => {
  const { reactions, bob, clock, receive } = await harness();
  const lines = Array.from({ length: 30 }, (_, n) => `line-sync${String(n).padStart(11, '0')}`);
  for (const line of lines) reactions.shown(SELF, line);
  const changes = await Promise.all(lines.map((id) => bob.change(SELF, id, '👍', true, 1)));
  const sync = { t: 'react:sync' as const, reactions: changes.map(({ t: _, ...change }) => change) };
  await receive(bob.member, sync);
  const obeyed = () => lines.filter((id) => reactions.of(SELF, id).length > 0).length;
  assert.equal(obeyed(), 10, 'ten a second, as for react');
  clock.advance(1_000);
  await receive(bob.member, sync); // the first ten are repeats: free
  assert.equal(obeyed(), 20);
});

test('a history answer carries each line’s signed reaction states, ours under our own name', async () => {
  const { reactions, bob, receive } = await harness();
  reactions.shown(bob.member.id, LINE);
  reactions.toggle(bob.member.id, LINE, '😂');
  await receive(bob.member, await bob.change(bob.member.id, LINE, '😂', true, 3));
  await receive(bob.member, await bob.change(bob.member.id, LINE, '🎉', true, 4));
  await receive(bob.member, await bob.change(bob.member.id, LINE, '🎉', false, 5));
  const carried = reactions.forHistory(bob.member.id, LINE);
  assert.deepEqual(
    carried.map((r) => [r.emoji, r.by, r.name, r.on, typeof r.sig]),
    [
      ['😂', SELF, 'Me', true, 'string'],
      ['😂', bob.member.id, 'Bob', true, 'string'],
      ['🎉', bob.member.id, 'Bob', false, 'string'], // a signed "off": it beats a replayed "on"
    ],
  );
  assert.deepEqual(reactions.forHistory(bob.member.id, 'line-unknown00000001'), []);
});

test('from history, a member we ignore vouches for no reaction: one on its word alone is not taken, one checked against its reactor is', async () => {
  const { reactions, alice, bob } = await harness(undefined, [], (id) => id === 'alice-000001');
  reactions.fromHistory(alice.member, bob.member.id, LINE, [
    { emoji: '👍', by: 'dana-0000001', name: 'Look here', on: true, ts: 1 }, // left before we came: Alice's word
    await bob.state(bob.member.id, LINE, '🎉', true, 1), // Bob's own, checked
  ] as HistoryReaction[]);
  await reactions.idle();
  reactions.shown(bob.member.id, LINE);
  assert.deepEqual(
    reactions.of(bob.member.id, LINE).map(({ emoji, names }) => [emoji, names]),
    [['🎉', ['Bob']]],
  );
});

test('from history, each reaction is checked against its reactor’s key; only a key never learned leaves the relayer’s word, marked', async () => {
  const gone = await reactor('gone-0000001', 'Gwen');
  const carol = await reactor('carol-000001', 'Carol');
  // Carol is here, but neither her hello nor her announced key has reached us yet.
  const carolHere = openMember(carol.member.id);
  // Gwen left, but we saw her (and her key); Dana left before we came.
  const { reactions, alice, bob, self } = await harness(
    (id) => (id === gone.member.id ? { keys: new Set([gone.member.key ?? '']), name: 'Gwen' } : undefined),
    [carolHere],
  );
  const mine = await self.signReaction({ by: SELF, author: alice.member.id, id: LINE, emoji: '😂', on: true, ts: 9 });
  reactions.fromHistory(alice.member, alice.member.id, LINE, [
    { ...(await alice.state(alice.member.id, LINE, '👍', true, 1)), name: 'Not Alice' }, // hers, under the server's name
    await gone.state(alice.member.id, LINE, '👍', true, 1), // left, key known: checked
    { ...(await gone.state(alice.member.id, LINE, '😢', true, 1)), emoji: '❤️' }, // altered: dropped
    { emoji: '👍', by: 'dana-0000001', name: 'Dana', on: true, ts: 1 }, // left before we came
    await bob.state(alice.member.id, LINE, '🎉', true, 1), // here, key known: checked
    { ...(await bob.state(alice.member.id, LINE, '😮', true, 1)), by: bob.member.id, sig: undefined }, // here, unsigned
    { emoji: '😂', by: SELF, name: 'Me', on: true, ts: 9, ...(mine ? { sig: mine } : {}) }, // ours, after a reload
  ] as HistoryReaction[]);
  await reactions.idle();
  assert.deepEqual(reactions.of(alice.member.id, LINE), [], 'the line is not shown yet: they wait for it');
  reactions.shown(alice.member.id, LINE);
  // (Checks finish in any order: who reacted is compared as a set, each id with its name.)
  assert.deepEqual(
    reactions.of(alice.member.id, LINE).map(({ names, by, ...r }) => ({
      ...r,
      who: names.map((name, at) => [by[at], name]).toSorted(),
    })),
    [
      {
        emoji: '👍',
        count: 3,
        who: [
          [alice.member.id, 'Alice'],
          ['dana-0000001', 'Dana (relayed by Alice)'],
          [gone.member.id, 'Gwen'],
        ],
        mine: false,
      },
      { emoji: '😂', count: 1, who: [[SELF, 'You']], mine: true },
      { emoji: '🎉', count: 1, who: [[bob.member.id, 'Bob']], mine: false },
    ],
  );
  assert.deepEqual(reactions.counts(), { forged: 2, relayed: 1 });
  // A member here whose key we do not know yet tells its own: the relayer's word is not taken.
  const carolsReaction = await carol.state(alice.member.id, LINE, '😮', true, 1);
  reactions.fromHistory(alice.member, alice.member.id, LINE, [carolsReaction]);
  await reactions.idle();
  assert.equal(reactions.of(alice.member.id, LINE).length, 3, 'no 😮: Carol tells her own when her link opens');
  assert.deepEqual(reactions.counts(), { forged: 2, relayed: 1 });
});

test('a history answer cannot bring back a reaction its reactor took back: the later signed "off" wins', async () => {
  const { reactions, alice, bob, receive } = await harness();
  reactions.shown(alice.member.id, LINE);
  const oldOn = await bob.state(alice.member.id, LINE, '👍', true, 10);
  await receive(bob.member, await bob.change(alice.member.id, LINE, '👍', false, 11));
  reactions.fromHistory(alice.member, alice.member.id, LINE, [oldOn]);
  await reactions.idle();
  assert.deepEqual(reactions.of(alice.member.id, LINE), []);
  // The same on another line not shown yet: two answers, an old "on" and the later "off".
  const other = 'line-cccccccccccccccc';
  reactions.fromHistory(alice.member, alice.member.id, other, [
    await bob.state(alice.member.id, other, '❤️', false, 21),
  ]);
  reactions.fromHistory(bob.member, alice.member.id, other, [await bob.state(alice.member.id, other, '❤️', true, 20)]);
  await reactions.idle();
  reactions.shown(alice.member.id, other);
  assert.deepEqual(reactions.of(alice.member.id, other), []);
  assert.equal(reactions.counts().forged, 0);
});

test('a history answer costs a bounded number of signature checks: the latest state per reactor and emoji, and at most so many per member', async () => {
  const someKey = (await createIdentity().publicKey()) ?? '';
  const { reactions, alice } = await harness((id) => ({ keys: new Set([someKey]), name: id }));
  const subtle = Object.getPrototypeOf(globalThis.crypto.subtle) as SubtleCrypto;
  const verify = subtle.verify;
  let checks = 0;
  subtle.verify = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['verify']>) {
    checks++;
    return verify.apply(this, args);
  };
  const badSig = 'S'.repeat(86); // well formed, signed by nobody
  const state = (by: string, emoji: ReactionEmoji, ts: number): HistoryReaction => ({
    emoji,
    by,
    name: by,
    on: true,
    ts,
    sig: badSig,
  });
  try {
    // One reactor, 96 states of six emoji at times of their own, on 20 lines: 6 checks a line.
    for (let line = 0; line < 20; line++) {
      const states = Array.from({ length: 96 }, (_, n) =>
        state('reactor-00001', REACTION_EMOJI[n % REACTION_EMOJI.length] as ReactionEmoji, 1_000 + n),
      );
      reactions.fromHistory(alice.member, alice.member.id, `line-${String(line).padStart(16, '0')}`, states);
    }
    await reactions.idle();
    assert.equal(checks, 20 * 6);
    // 96 reactors a line, on 30 lines: 2,880 latest states, checked up to the member's budget.
    checks = 0;
    for (let line = 0; line < 30; line++) {
      const states = Array.from({ length: 96 }, (_, n) => state(`reactor-${String(n).padStart(5, '0')}`, '👍', 2_000));
      reactions.fromHistory(alice.member, alice.member.id, `line-b${String(line).padStart(15, '0')}`, states);
    }
    await reactions.idle();
    assert.equal(checks, 2 * 200 * 6 - 20 * 6, 'the rest of the budget, and no more');
  } finally {
    subtle.verify = verify;
  }
});

test('a history reaction on the relayer’s word under our name or a present member’s is marked as an earlier member’s, never taken as theirs', async () => {
  const { reactions, alice } = await harness();
  reactions.fromHistory(alice.member, alice.member.id, LINE, [
    { emoji: '👍', by: 'gone-0000001', name: 'BOB', on: true, ts: 1 }, // Bob is here; this one left
    { emoji: '👍', by: 'gone-0000002', name: 'me', on: true, ts: 1 }, // our own name: our earlier tab
    { emoji: '👍', by: 'dana-0000001', name: 'Dana', on: true, ts: 1 }, // left before we came
  ]);
  await reactions.idle();
  reactions.shown(alice.member.id, LINE);
  assert.deepEqual(
    reactions.of(alice.member.id, LINE).map((r) => r.names),
    [['BOB (earlier, relayed by Alice)', 'me (earlier, relayed by Alice)', 'Dana (relayed by Alice)']],
  );
});

test('our reaction to a private line we received goes to its author alone', async () => {
  const carol = openMember('carol-000001');
  const { reactions, alice, bob } = await harness(undefined, [carol]);
  reactions.shown(alice.member.id, LINE, alice.member.id); // Alice wrote it to us only
  reactions.toggle(alice.member.id, LINE, '👍');
  reactions.toggle(alice.member.id, LINE, '👍');
  await reactions.idle();
  assert.deepEqual(
    alice.member.wire.map((m) => m.t === 'react' && [m.author, m.id, m.emoji, m.on]),
    [
      [alice.member.id, LINE, '👍', true],
      [alice.member.id, LINE, '👍', false],
    ],
  );
  assert.deepEqual(bob.member.wire, [], 'Bob never learns the line, nor when we reacted to it');
  assert.deepEqual(carol.wire, []);
});

test('our reaction to a private line we wrote goes to its recipient alone', async () => {
  const { reactions, alice, bob } = await harness();
  reactions.shown(SELF, LINE, bob.member.id); // ours, to Bob only
  reactions.toggle(SELF, LINE, '❤️');
  await reactions.idle();
  assert.deepEqual(
    bob.member.wire.map((m) => m.t === 'react' && [m.author, m.id, m.emoji, m.on]),
    [[SELF, LINE, '❤️', true]],
  );
  assert.deepEqual(alice.member.wire, []);
  // A public line still goes to everyone.
  reactions.shown(SELF, 'line-public000000001');
  reactions.toggle(SELF, 'line-public000000001', '🎉');
  await reactions.idle();
  assert.equal(alice.member.wire.length, 1);
  assert.equal(bob.member.wire.length, 2);
});

test('react:sync when a link opens carries a private line’s reaction to its other party only', async () => {
  const { reactions, alice, bob } = await harness();
  const PUBLIC = 'line-public000000001';
  reactions.shown(alice.member.id, LINE, alice.member.id); // private, from Alice
  reactions.shown(alice.member.id, PUBLIC);
  reactions.toggle(alice.member.id, LINE, '😮');
  reactions.toggle(alice.member.id, PUBLIC, '👍');
  await reactions.idle();
  alice.member.wire.length = 0;
  bob.member.wire.length = 0;
  // Both links drop and come back.
  reactions.feature.opened?.(bob.member);
  reactions.feature.opened?.(alice.member);
  const synced = (member: FakeMember) =>
    member.wire.flatMap((m) => (m.t === 'react:sync' ? m.reactions.map((r) => [r.id, r.emoji]) : []));
  assert.deepEqual(synced(bob.member), [[PUBLIC, '👍']], 'nothing of the private line to Bob');
  assert.deepEqual(synced(alice.member), [
    [LINE, '😮'],
    [PUBLIC, '👍'],
  ]);
});

test('a third member’s reaction to a private line is not taken, live, in a sync, or from history', async () => {
  const { reactions, alice, bob, receive } = await harness();
  reactions.shown(alice.member.id, LINE, alice.member.id); // Alice wrote it to us only
  await receive(bob.member, await bob.change(alice.member.id, LINE, '👍', true, 1));
  const { t: _, ...synced } = await bob.change(alice.member.id, LINE, '🎉', true, 2);
  await receive(bob.member, { t: 'react:sync', reactions: [synced] });
  reactions.fromHistory(bob.member, alice.member.id, LINE, [await bob.state(alice.member.id, LINE, '😂', true, 3)]);
  await reactions.idle();
  assert.deepEqual(reactions.of(alice.member.id, LINE), []);
  // Its other party's is.
  await receive(alice.member, await alice.change(alice.member.id, LINE, '❤️', true, 1));
  assert.deepEqual(reactions.of(alice.member.id, LINE), [
    { emoji: '❤️', count: 1, names: ['Alice'], by: [alice.member.id], mine: false },
  ]);
  assert.equal(reactions.counts().forged, 0, 'all were signed: refused, not forged');
});

test('a private line takes no reactions from history and gives none to it', async () => {
  const { reactions, alice, bob } = await harness();
  // A history answer names the line before it shows (a line of ours, private to Bob).
  reactions.fromHistory(alice.member, SELF, LINE, [await bob.state(SELF, LINE, '👍', true, 1)]);
  await reactions.idle();
  reactions.shown(SELF, LINE, bob.member.id);
  // And once it shows: even Bob's own signed state, relayed as history, is not the line's.
  reactions.fromHistory(alice.member, SELF, LINE, [await bob.state(SELF, LINE, '😂', true, 2)]);
  await reactions.idle();
  assert.deepEqual(reactions.of(SELF, LINE), [], 'history never has a private line: not its reactions');
  reactions.toggle(SELF, LINE, '🎉');
  await reactions.idle();
  assert.equal(reactions.of(SELF, LINE).length, 1);
  assert.deepEqual(reactions.forHistory(SELF, LINE), []);
});

test('a reaction taken on a relaying member’s word is not handed on: the next newcomer would see it as relayed by us', async () => {
  const mallory = await reactor('mallory-0001', 'Mallory');
  const { reactions, alice, bob } = await harness();
  reactions.shown(alice.member.id, LINE);
  // Dana left before we came: her "reaction" is only Mallory's word, and unsigned at that.
  reactions.fromHistory(mallory.member, alice.member.id, LINE, [
    { emoji: '👍', by: 'dana-0000001', name: 'Dana', on: true, ts: 1 },
    await bob.state(alice.member.id, LINE, '🎉', true, 2),
  ]);
  await reactions.idle();
  assert.deepEqual(
    reactions.of(alice.member.id, LINE).map((r) => r.names),
    [['Dana (relayed by Mallory)'], ['Bob']],
  );
  assert.deepEqual(
    reactions.forHistory(alice.member.id, LINE).map((r) => r.by),
    [bob.member.id],
    'only the state checked against its reactor’s key goes on',
  );
});

test('a line shown again (a better history copy, on a new element) has its reactions drawn again', async () => {
  const { reactions, alice, bob, updates, receive } = await harness();
  reactions.shown(alice.member.id, LINE);
  await receive(bob.member, await bob.change(alice.member.id, LINE, '👍', true, 1));
  const before = updates.length;
  reactions.shown(alice.member.id, LINE);
  assert.equal(updates.length, before + 1);
  assert.deepEqual(updates.at(-1), [{ emoji: '👍', count: 1, names: ['Bob'], by: [bob.member.id], mine: false }]);
});

/** The tab's sessionStorage for reactions, as storage.ts keeps it: JSON in, JSON out. */
function tabStore(initial: unknown = null) {
  let raw = JSON.stringify(initial);
  return {
    load: (): unknown => JSON.parse(raw),
    save: (saved: unknown) => {
      raw = JSON.stringify(saved);
    },
    get raw() {
      return raw;
    },
  };
}

/** A page of this tab: its reactions, over the store, under peer id `id` (empty until joined). */
function reloadable(store: ReturnType<typeof tabStore>, identity: Identity, members: FakeMember[], id = () => SELF) {
  let wall = 1_700_000_000_000;
  const updates: Array<[string, ReactionSummary[]]> = [];
  const reactions = createReactions({
    selfId: id,
    selfName: () => 'Me',
    members: () => members,
    identity,
    known: () => undefined,
    changed: (_author, lineId, summary) => updates.push([lineId, [...summary]]),
    store,
    wallClock: () => wall++,
  });
  return { reactions, updates };
}

test('our reactions outlive a reload: shown again on lines in no history (a file, a private line), also on lines shown later, and synced again', async () => {
  const identity = createIdentity();
  const alice = openMember('alice-000001');
  const bob = openMember('bob-00000001');
  const store = tabStore();
  const FILE = 'file-aaaaaaaaaaaaaaaa';
  const PRIVATE = 'line-private00000001';
  const before = reloadable(store, identity, [alice, bob]).reactions;
  before.shown(alice.id, FILE);
  before.shown(bob.id, PRIVATE, bob.id);
  before.toggle(alice.id, FILE, '👍');
  before.toggle(bob.id, PRIVATE, '❤️');
  before.toggle(alice.id, FILE, '🎉');
  before.toggle(alice.id, FILE, '🎉'); // taken back: after the reload too
  await before.idle();

  // The reload: a new page of the same tab, before it has joined (no peer id yet).
  let joined = '';
  const { reactions: after, updates } = reloadable(store, identity, [alice, bob], () => joined);
  after.shown(alice.id, 'line-shownbefore0001');
  assert.deepEqual(updates, [], 'nothing is taken before the page knows it is us');
  joined = SELF;
  after.shown(alice.id, FILE);
  assert.deepEqual(after.of(alice.id, FILE), [{ emoji: '👍', count: 1, names: ['You'], by: [SELF], mine: true }]);
  after.shown(bob.id, PRIVATE, bob.id);
  assert.deepEqual(after.of(bob.id, PRIVATE), [{ emoji: '❤️', count: 1, names: ['You'], by: [SELF], mine: true }]);

  // Synced again when the links open, signed as before, the private one to its other party only.
  alice.wire.length = 0;
  bob.wire.length = 0;
  after.feature.opened?.(alice);
  after.feature.opened?.(bob);
  const synced = (member: FakeMember) =>
    member.wire.flatMap((m) => (m.t === 'react:sync' ? m.reactions.map((r) => [r.id, r.emoji, r.on]) : []));
  assert.deepEqual(synced(alice), [
    [FILE, '👍', true],
    [FILE, '🎉', false],
  ]);
  assert.deepEqual(synced(bob), [
    [FILE, '👍', true],
    [PRIVATE, '❤️', true],
    [FILE, '🎉', false],
  ]);
  const key = (await identity.publicKey()) ?? '';
  const sync = bob.wire[0];
  assert.ok(sync?.t === 'react:sync');
  for (const r of sync.reactions) assert.equal(await verifyReaction(key, r.sig ?? '', { ...r, by: SELF }), true);

  // A click after the reload is later than what came before it: taken back, and kept so.
  after.toggle(alice.id, FILE, '👍');
  await after.idle();
  assert.deepEqual(after.of(alice.id, FILE), []);
  const again = reloadable(store, identity, [alice, bob]).reactions;
  again.shown(alice.id, FILE);
  again.shown(bob.id, PRIVATE, bob.id);
  assert.deepEqual(again.of(alice.id, FILE), []);
  assert.equal(again.of(bob.id, PRIVATE)[0]?.mine, true);

  // A reload that got another peer id reacts as someone else: nothing kept is taken.
  const other = reloadable(store, identity, [alice, bob], () => 'me-000000002').reactions;
  other.shown(bob.id, PRIVATE, bob.id);
  assert.deepEqual(other.of(bob.id, PRIVATE), []);
});

test('what the store holds is read as a member’s react would be: anything malformed or not ours is left out, nothing throws', async () => {
  const LINE_OK = 'line-kept0000000001';
  const good = JSON.stringify({
    t: 'react',
    author: 'alice-000001',
    id: LINE_OK,
    emoji: '👍',
    on: true,
    ts: 1_700_000_000_000,
  });
  const store = tabStore({
    from: SELF,
    reactions: [
      [good, null],
      [JSON.stringify({ t: 'react', author: 'alice-000001', id: LINE, emoji: '💩', on: true, ts: 1 }), null],
      ['{not json', null],
      [good.replace(LINE_OK, LINE), 'not a peer id!'],
      [good.replace(LINE_OK, LINE), 42],
      [{ t: 'react' }, null],
      'a string',
      [good],
      null,
    ],
  });
  const { reactions } = reloadable(store, createIdentity(), []);
  reactions.shown('alice-000001', LINE_OK);
  reactions.shown('alice-000001', LINE);
  assert.deepEqual(reactions.of('alice-000001', LINE_OK), [
    { emoji: '👍', count: 1, names: ['You'], by: [SELF], mine: true },
  ]);
  assert.deepEqual(reactions.of('alice-000001', LINE), []);
  for (const saved of [
    null,
    'text',
    7,
    [],
    { from: SELF },
    { from: SELF, reactions: 'x' },
    { from: 'someone-else', reactions: [[good, null]] },
  ]) {
    const page = reloadable(tabStore(saved), createIdentity(), []).reactions;
    page.shown('alice-000001', LINE_OK);
    assert.deepEqual(page.of('alice-000001', LINE_OK), [], JSON.stringify(saved));
  }
});
