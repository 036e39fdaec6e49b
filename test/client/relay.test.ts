// Relaying through members, in Node with fake links and real WebCrypto: routes follow what
// members advertise and the keys the server carried; what goes through a relay is sealed
// to its recipient (the relay sees no text), opens as its author's, and is acked back the
// same way; an altered, replayed or out-of-window message is refused; one hop only; a relay
// keeps to its fair share; and traffic moves back to the direct link as soon as it works.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type Announcement, createAnnouncement } from '../../client/announce.ts';
import { type ChatLine, createChat } from '../../client/features/chat.ts';
import { createEdits } from '../../client/features/edits.ts';
import { createReactions } from '../../client/features/reactions.ts';
import { createReceipts } from '../../client/features/receipts.ts';
import { createTranscript } from '../../client/features/transcript.ts';
import { createIdentity, type Identity, verifyLine } from '../../client/identity.ts';
import type { Handshake } from '../../client/member.ts';
import { createMesh, type Mesh, type MeshNotice } from '../../client/mesh.ts';
import { createRelay, RELAY_RATE } from '../../client/relay.ts';
import { REFUSED_NOTICE_MS, REPLAY_WINDOW_MS, type Refusal, refusalText } from '../../client/relay-inbox.ts';
import { createRouter, type Router } from '../../client/router.ts';
import {
  type ChannelMessage,
  editAckId,
  encodeChannelMessage,
  type MessageOf,
  type PeerKeys,
  parseChannelMessage,
} from '../../protocol/index.ts';
import { type FakeLink, fakeLinkConfig, fakeLinks } from './fakes.ts';

const ROOM_KEY = 'room-key-0123456789abcdef';
const ME = 'aaaaaaaaaaaa';
const BOB = 'bbbbbbbbbbbb';
const CAROL = 'cccccccccccc';
const DAVE = 'dddddddddddd';

interface Party {
  identity: Identity;
  announcement: Announcement;
  keys: PeerKeys;
}

async function party(roomKey = ROOM_KEY): Promise<Party> {
  const identity = createIdentity();
  const announcement = createAnnouncement(roomKey, identity);
  const keys = await announcement.keys();
  if (!keys) throw new Error('WebCrypto expected');
  return { identity, announcement, keys };
}

/** Proves every hello (the fakes have no DTLS) and checks announced keys for real. */
function provingHandshake(announcement: Announcement): Handshake {
  return {
    canProve: true,
    hello: async () => ({ t: 'hello', v: 2 }),
    check: async () => 'verified',
    checkKeys: (keys) => announcement.check(keys),
    vouchedEcdh: (keys) => announcement.vouchedEcdh(keys),
  };
}

/** Resolves once `ready()` holds (WebCrypto and the features' chains are asynchronous). */
async function until(ready: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    if (ready()) return;
    // A millisecond between looks, not the next turn: a spin would take a core from the
    // suite's other files while WebCrypto works on the thread pool.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  assert.fail(`never happened: ${what}`);
}

/** Resolves once the asynchronous `ready()` holds (what was sealed is opened asynchronously). */
async function eventually(ready: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`never happened: ${what}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const chatTexts = (messages: ChannelMessage[]) => messages.flatMap((m) => (m.t === 'chat' ? [m.text] : []));
const readIds = (messages: ChannelMessage[]) => messages.flatMap((m) => (m.t === 'receipt:read' ? m.ids : []));

async function room(
  options: { relaying?: boolean; clock?: () => number; wallClock?: () => number; withDave?: boolean } = {},
) {
  const me = await party();
  const bob = await party();
  const carol = await party();
  const dave = await party();
  const { factory, made } = fakeLinks();
  const shown: ChatLine[] = [];
  const notices: MeshNotice[] = [];
  const refused: Array<[string, string, Refusal]> = [];
  let router: Router | null = null;
  let mesh: Mesh | null = null;
  const receipts = createReceipts({ member: (id) => mesh?.member(id), changed: () => {} });
  const chat = createChat({
    selfId: () => ME,
    selfName: () => 'Me',
    members: () => mesh?.all() ?? [],
    display: (line) => {
      shown.push(line);
      edits.seen(line);
    },
    identity: me.identity,
    transcript: createTranscript(),
    delivered: (lineId, member) => receipts.delivered(lineId, member),
    // As the page wires it (wiring/chat.ts): edits are acknowledged with `ack` too.
    acknowledged: (member, ids) => edits.acknowledged(member, ids),
  });
  const revised: Array<{ from: string; id: string; text: string | null }> = [];
  const edits = createEdits({
    selfId: () => ME,
    members: () => mesh?.all() ?? [],
    identity: me.identity,
    transcript: createTranscript(),
    revised: (from, id, revision) => revised.push({ from, id, text: revision.text }),
  });
  const relay = createRelay({
    selfId: () => ME,
    members: () => mesh?.objects() ?? [],
    member: (id) => mesh?.object(id),
    enabled: () => options.relaying ?? true,
    announcement: me.announcement,
    deliver: (from, message) => router?.dispatch(from, message, 'relayed'),
    drained: (member) => router?.drained(member),
    refused: (from, via, why) => refused.push([from.id, via.id, why]),
    ...(options.clock ? { now: options.clock } : {}),
    ...(options.wallClock ? { wallClock: options.wallClock } : {}),
  });
  const reactions = createReactions({
    selfId: () => ME,
    selfName: () => 'Me',
    members: () => mesh?.all() ?? [],
    identity: me.identity,
    known: () => undefined,
    changed: () => {},
  });
  router = createRouter([chat.feature, edits.feature, receipts.feature, reactions.feature, relay.feature]);
  mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake: provingHandshake(me.announcement),
    router,
    sendSignal: () => {},
    changed: () => relay.refresh(),
    notice: (notice) => notices.push(notice),
  });
  mesh.setSelf(ME);
  mesh.sync(
    [
      { id: BOB, name: 'Bob', keys: bob.keys },
      { id: CAROL, name: 'Carol', keys: carol.keys },
      ...(options.withDave ? [{ id: DAVE, name: 'Dave', keys: dave.keys }] : []),
    ],
    false,
  );
  const [toBob, toCarol, toDave] = made as [FakeLink, FakeLink, FakeLink | undefined];
  if (!toBob || !toCarol) throw new Error('two links expected');
  // The members go too: their features' timers (resends through a relay) with them.
  after(() => {
    relay.stop();
    mesh?.closeAll('ERR_PAGE_CLOSED');
  });
  const view = (id: string) => mesh?.members().find((m) => m.id === id);
  const m = mesh;
  /** Opens a direct link and plays the other side's hello (with its signing key). */
  async function link(to: FakeLink, other: Party): Promise<void> {
    to.openChannel();
    await until(() => to.sent.some((msg) => msg.t === 'hello'), 'our hello went');
    to.deliver({ t: 'hello', v: 2, key: await other.identity.publicKey().then((k) => k ?? '') });
    // Its proof is checked asynchronously: until then the link is not direct, and a relay
    // passes nothing on over it (on a loaded machine a test went on before, and saw nothing).
    await until(
      () => [...m.objects()].some((o) => o.link === to && o.verification === 'verified'),
      'its hello checked',
    );
  }
  /** Carol links to us and tells us she links to Bob. */
  async function viaCarol(): Promise<void> {
    await until(() => m.object(BOB)?.announced !== null && m.object(CAROL)?.announced !== null, 'keys checked');
    await link(toCarol, carol);
    toCarol.deliver({ t: 'relay:links', peers: [{ id: BOB, rtt: 7 }] });
    // No relay while the direct link is still forming: only once it has failed.
    assert.notEqual(view(BOB)?.state, 'relayed');
    toBob.fail();
    await until(() => view(BOB)?.state === 'relayed', 'bob is relayed');
  }
  /** Bob links to us directly, and so does Carol, who says she links to him (a relay for when he falls silent). */
  async function bobDirectCarolToo(): Promise<void> {
    await until(() => m.object(BOB)?.announced !== null && m.object(CAROL)?.announced !== null, 'keys checked');
    await link(toCarol, carol);
    toCarol.deliver({ t: 'relay:links', peers: [{ id: BOB, rtt: 7 }] });
    await link(toBob, bob);
    await until(() => view(BOB)?.state === 'connected', 'bob is direct');
  }
  /** Dave links to us and to Bob (`rtt` ms away), then Bob is relayed (viaCarol): two relays. */
  async function viaCarolOrDave(rtt: number): Promise<FakeLink> {
    if (!toDave) throw new Error('room({ withDave: true }) expected');
    await until(() => m.object(DAVE)?.announced !== null, 'dave’s keys checked');
    await link(toDave, dave);
    toDave.deliver({ t: 'relay:links', peers: [{ id: BOB, rtt }] });
    await viaCarol();
    return toDave;
  }
  /** A path poll (main.ts runs one every few seconds) that reads these round trips to Carol and Dave. */
  async function measured(carolMs: number | null, daveMs: number | null): Promise<void> {
    if (!toDave) throw new Error('room({ withDave: true }) expected');
    toCarol.measure(carolMs);
    toDave.measure(daveMs);
    await m.refreshPaths();
  }
  /** What we sealed to Bob through Carol (or another relay), opened as Bob would. */
  async function openedByBob(via: FakeLink = toCarol): Promise<ChannelMessage[]> {
    const out: ChannelMessage[] = [];
    for (const message of via.sent) {
      if (message.t !== 'relay:fwd' || message.to !== BOB) continue;
      const opened = await bob.announcement.open(ME, BOB, me.keys, message.sealed);
      const inner = opened ? parseChannelMessage(opened.text) : null;
      if (inner) out.push(inner);
    }
    return out;
  }
  return {
    mesh,
    chat,
    edits,
    revised,
    receipts,
    reactions,
    relay,
    shown,
    notices,
    refused,
    toBob,
    toCarol,
    toDave,
    me,
    bob,
    carol,
    dave,
    view,
    link,
    viaCarol,
    bobDirectCarolToo,
    viaCarolOrDave,
    measured,
    openedByBob,
  };
}

async function bobSays(bob: Party, text: string, id: string): Promise<MessageOf<'chat'>> {
  const ts = Date.now();
  const sig = (await bob.identity.sign({ from: BOB, id, ts, text })) ?? undefined;
  return { t: 'chat', id, ts, text, ...(sig ? { sig } : {}) };
}

test('a member we cannot reach is reached through one that links to it, sealed so the relay cannot read it', async () => {
  const r = await room();
  await r.viaCarol();
  const bob = r.view(BOB);
  assert.equal(bob?.via?.id, CAROL);
  assert.equal(bob?.via?.rttMs, null, 'our own RTT to carol is unknown here');
  assert.equal(bob?.verification, 'verified', 'proven by its announced keys');

  // Private: carol has no copy of her own (a public line she would get directly).
  r.chat.send('hello bob', BOB);
  await r.chat.idle();
  await until(() => r.toCarol.sent.some((m) => m.t === 'relay:fwd'), 'a sealed message went to carol');
  for (const message of r.toCarol.sent) {
    assert.ok(!JSON.stringify(message).includes('hello bob'), 'carol never gets the text');
  }
  const opened = await r.openedByBob();
  assert.ok(opened.some((m) => m.t === 'chat' && m.text === 'hello bob' && m.to === BOB));
  // Sealed to bob: carol (who holds the room key) cannot open it.
  const first = r.toCarol.sent.find((m) => m.t === 'relay:fwd');
  assert.ok(first?.t === 'relay:fwd');
  assert.equal(await r.carol.announcement.open(ME, CAROL, r.me.keys, first.sealed), null);
});

test('a relayed line opens as its author’s, is checked against its announced key, and is acked back the same way', async () => {
  const r = await room();
  await r.viaCarol();
  const line = await bobSays(r.bob, 'hi from bob', 'message-from-bob-1');
  const sealed = await r.bob.announcement.seal(BOB, ME, r.me.keys, encodeChannelMessage(line));
  assert.ok(sealed);
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  await until(() => r.shown.length === 1, 'the line is shown');
  assert.deepEqual([r.shown[0]?.from, r.shown[0]?.text], [BOB, 'hi from bob']);
  await until(() => r.toCarol.sent.filter((m) => m.t === 'relay:fwd').length > 0, 'the ack went back');
  const acks = (await r.openedByBob()).filter((m) => m.t === 'ack');
  assert.deepEqual(acks, [{ t: 'ack', ids: ['message-from-bob-1'] }]);

  // A line bob did not sign (the relay cannot sign for him, and nothing else is accepted).
  const unsigned = { t: 'chat', id: 'message-from-bob-2', ts: Date.now(), text: 'not bob' } as const;
  const forged = await r.bob.announcement.seal(BOB, ME, r.me.keys, encodeChannelMessage(unsigned));
  assert.ok(forged);
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: forged });
  await r.chat.idle();
  assert.equal(r.shown.length, 1, 'a line that does not check against the announced key is not shown');
});

test('a reply goes through a relay with what it answers, sealed and signed with it; one from the member behind it shows with it', async () => {
  const r = await room();
  await r.viaCarol();
  // Bob said no hello to us (reached only through Carol): he is taken to read replies.
  const re = { from: BOB, id: 'message-from-bob-0', name: 'Bob', text: 'the question nobody else reads' };
  r.chat.send('the answer', undefined, re);
  await r.chat.idle();
  await until(() => r.toCarol.sent.some((m) => m.t === 'relay:fwd'), 'a sealed message went to carol');
  for (const message of r.toCarol.sent) assert.ok(!JSON.stringify(message).includes('nobody else'));
  const line = (await r.openedByBob()).find((m) => m.t === 'chat' && m.text === 'the answer');
  assert.ok(line?.t === 'chat' && line.sig !== undefined);
  assert.deepEqual(line.re, re);
  const { id, ts, text } = line;
  const ourKey = await r.me.identity.publicKey();
  assert.ok(ourKey);
  assert.equal(await verifyLine(ourKey, line.sig, { from: ME, id, ts, text, re }), true);

  const answer = { t: 'chat', id: 'reply-from-bob-001', ts: Date.now(), text: 'thanks' } as const;
  const answered = { from: ME, id, name: 'me', text: 'the answer' };
  const sig = (await r.bob.identity.sign({ from: BOB, ...answer, re: answered })) ?? undefined;
  const sealed = await r.bob.announcement.seal(
    BOB,
    ME,
    r.me.keys,
    encodeChannelMessage({ ...answer, re: answered, ...(sig ? { sig } : {}) }),
  );
  assert.ok(sealed);
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  await until(() => r.shown.some((shown) => shown.text === 'thanks'), 'the reply is shown');
  assert.deepEqual(r.shown.find((shown) => shown.text === 'thanks')?.re, answered);
});

test('an edit and a deletion go through a relay sealed and signed; the relay cannot forge one in the author’s name', async () => {
  const r = await room();
  await r.viaCarol();
  r.chat.send('the first words');
  await r.chat.idle();
  const id = r.shown.find((line) => line.text === 'the first words')?.id ?? '';
  assert.equal(await r.edits.edit(id, 'the second words nobody else reads'), true);
  assert.equal(await r.edits.delete(id), true);
  await until(() => r.toCarol.sent.filter((m) => m.t === 'relay:fwd').length >= 3, 'sealed edits went to carol');
  for (const message of r.toCarol.sent) assert.ok(!JSON.stringify(message).includes('nobody else'));
  const sent = (await r.openedByBob()).filter((m) => m.t === 'chat:edit');
  assert.deepEqual(
    sent.map((m) => m.t === 'chat:edit' && m.text),
    ['the second words nobody else reads', undefined],
  );

  // Bob's line, then his edit of it, through Carol; and Carol's own edit in Bob's name, signed by her.
  const line = await bobSays(r.bob, 'bob’s words', 'message-from-bob-1');
  const through = async (message: ChannelMessage): Promise<void> => {
    const sealed = await r.bob.announcement.seal(BOB, ME, r.me.keys, encodeChannelMessage(message));
    assert.ok(sealed);
    r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  };
  await through(line);
  await until(() => r.shown.some((shown) => shown.text === 'bob’s words'), 'bob’s line is shown');
  const at = line.ts + 1;
  const edited = { from: BOB, id: line.id, ts: line.ts, text: 'carol’s words', edited: at };
  const forged = (await r.carol.identity.sign(edited)) ?? '';
  await through({ t: 'chat:edit', id: line.id, ts: line.ts, at, text: edited.text, sig: forged });
  await until(() => r.edits.counts().forged === 1, 'the forged edit is counted');
  const genuine = (await r.bob.identity.sign({ ...edited, text: 'bob’s second words' })) ?? '';
  await through({ t: 'chat:edit', id: line.id, ts: line.ts, at, text: 'bob’s second words', sig: genuine });
  await until(() => r.revised.some((x) => x.from === BOB), 'bob’s edit is taken');
  assert.deepEqual(
    r.revised.filter((x) => x.from === BOB),
    [{ from: BOB, id: line.id, text: 'bob’s second words' }],
  );
});

test('a relayed reaction is checked against its reactor’s announced key: signed by another, it is dropped', async () => {
  const r = await room();
  await r.viaCarol();
  const line = 'message-from-me-0001';
  r.reactions.shown(ME, line);
  /** Bob's reaction sealed to us by Bob, as it comes through Carol; `signer` signs it. */
  async function throughCarol(emoji: '👍' | '🎉', signer: Party): Promise<void> {
    const change = { author: ME, id: line, emoji, on: true, ts: Date.now() };
    const sig = (await signer.identity.signReaction({ by: BOB, ...change })) ?? '';
    const react = { t: 'react' as const, ...change, sig };
    const sealed = await r.bob.announcement.seal(BOB, ME, r.me.keys, encodeChannelMessage(react));
    assert.ok(sealed);
    r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  }
  await throughCarol('👍', r.bob);
  await until(() => r.reactions.of(ME, line).length === 1, 'bob’s reaction is shown');
  assert.deepEqual(r.reactions.of(ME, line)[0]?.names, ['Bob']);
  // Carol's signature in Bob's name: whoever made it, it is not Bob's key.
  await throughCarol('🎉', r.carol);
  await until(() => r.reactions.counts().forged === 1, 'the forged one is counted');
  assert.deepEqual(
    r.reactions.of(ME, line).map((x) => x.emoji),
    ['👍'],
  );
});

test('an altered, replayed, misdirected or out-of-window relayed message is refused and reported', async () => {
  let wall = Date.now();
  let now = 0;
  const r = await room({ wallClock: () => wall, clock: () => now });
  await r.viaCarol();
  // Reports come at most once in a while for the same author and relay: each of these is apart.
  const apart = (): void => {
    now += REFUSED_NOTICE_MS;
  };
  const line = await bobSays(r.bob, 'once only', 'message-from-bob-3');
  const sealed = (await r.bob.announcement.seal(BOB, ME, r.me.keys, encodeChannelMessage(line))) ?? '';
  const flipped = `${sealed.slice(0, 30)}${sealed[30] === 'A' ? 'B' : 'A'}${sealed.slice(31)}`;
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: flipped });
  await until(() => r.refused.length === 1, 'the altered one is refused');
  assert.deepEqual(r.refused[0], [BOB, CAROL, 'altered']);

  apart();
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  await until(() => r.refused.length === 2, 'the replay is refused');
  assert.equal(r.refused[1]?.[2], 'replayed');
  // The first copy is shown once its signature is checked, which may finish after the
  // replay's refusal.
  await r.chat.idle();
  assert.equal(r.shown.filter((l) => l.text === 'once only').length, 1);

  // Sealed from bob to someone else (carol), then handed to us as if for us: does not open.
  const toCarol = (await r.bob.announcement.seal(BOB, CAROL, r.carol.keys, encodeChannelMessage(line))) ?? '';
  apart();
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: toCarol });
  await until(() => r.refused.length === 3, 'the misdirected one is refused');
  assert.equal(r.refused[2]?.[2], 'altered');

  const later = await bobSays(r.bob, 'kept for later', 'message-from-bob-4');
  const old = (await r.bob.announcement.seal(BOB, ME, r.me.keys, encodeChannelMessage(later))) ?? '';
  wall += REPLAY_WINDOW_MS + 1_000;
  apart();
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: old });
  await until(() => r.refused.length === 4, 'the stale one is refused');
  assert.equal(r.refused[3]?.[2], 'stale');
  assert.ok(!r.shown.some((l) => l.text === 'kept for later'));
});

test('one hop only: relay, link-level, file and call messages never come through a relay', async () => {
  const r = await room();
  await r.viaCarol();
  const inner: ChannelMessage[] = [
    { t: 'relay:fwd', to: CAROL, sealed: 'x'.repeat(64) },
    { t: 'bye' },
    { t: 'hello', v: 2 },
    { t: 'call:state', inCall: true, audio: true, video: false, screen: false } as unknown as ChannelMessage,
  ];
  for (const message of inner) {
    const sealed = (await r.bob.announcement.seal(BOB, ME, r.me.keys, JSON.stringify(message))) ?? '';
    r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  }
  await until(() => r.relay.stats().refused === inner.length, 'all refused');
  assert.deepEqual(r.refused, [[BOB, CAROL, 'malformed']], 'reported once');
  assert.equal(r.mesh.members().length, 2, 'a relayed goodbye removes nobody');
  // And nothing but relayable types is sent through one.
  assert.equal(r.mesh.object(BOB)?.send({ t: 'bye' }), false);
});

test('typing, reactions (a full resync too), read receipts and history go through a relay; files and calls never do', async () => {
  const r = await room();
  await r.viaCarol();
  const bob = r.mesh.object(BOB);
  assert.ok(bob);
  // A resync as reactions-own.ts sends it when a route opens: 100 signed changes, the most in one.
  const change = (n: number) => ({
    author: BOB,
    id: `message-from-bob-${String(n).padStart(4, '0')}`,
    emoji: '🎉' as const,
    on: true,
    ts: 1_700_000_000_000 + n,
    sig: 'S'.repeat(86),
  });
  const through: ChannelMessage[] = [
    { t: 'typing', active: true },
    { t: 'react', author: BOB, id: 'message-from-bob-9', emoji: '👍', on: true, ts: 1_700_000_000_000 },
    { t: 'react:sync', reactions: Array.from({ length: 100 }, (_, n) => change(n)) },
    { t: 'receipt:read', ids: ['message-from-bob-9'] },
    { t: 'history:req' },
    { t: 'history:req', n: 7 },
    {
      t: 'history:lines',
      n: 7,
      lines: [{ from: BOB, name: 'Bob', id: 'message-from-bob-9', ts: 1_700_000_000_000, text: 'hi' }],
      done: true,
    },
  ];
  for (const message of through) assert.equal(bob.send(message), true, message.t);
  await until(() => r.toCarol.sent.filter((m) => m.t === 'relay:fwd').length === through.length, 'all sealed');
  assert.deepEqual(await r.openedByBob(), through);
  const direct: ChannelMessage[] = [
    { t: 'call:state', inCall: true, audio: true, video: false, screen: false } as unknown as ChannelMessage,
    { t: 'file:decline', id: 'transfer-0000000000001', reason: 'declined' } as unknown as ChannelMessage,
  ];
  for (const message of direct) assert.equal(bob.send(message), false, message.t);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(r.toCarol.sent.filter((m) => m.t === 'relay:fwd').length, through.length, 'nothing more sealed');
});

test('a history chunk too big to seal whole goes in pieces, each with the request number it answers, the last one done', async () => {
  const r = await room();
  await r.viaCarol();
  const bob = r.mesh.object(BOB);
  assert.ok(bob);
  // Sized for a direct link: 3,000 UTF-8 bytes a line, twelve lines, past one envelope.
  const lines = Array.from({ length: 12 }, (_, i) => ({
    from: CAROL,
    name: 'Carol',
    id: `message-from-carol-${String(i).padStart(3, '0')}`,
    ts: 1_700_000_000_000 + i,
    text: '\u6f22'.repeat(1_000),
  }));
  assert.equal(bob.send({ t: 'history:lines', n: 41, lines, done: true }), true);
  await until(() => r.toCarol.sent.some((m) => m.t === 'relay:fwd'), 'sealed');
  await until(() => r.toCarol.sent.filter((m) => m.t === 'relay:fwd').length > 1, 'in pieces');
  const pieces = (await r.openedByBob()).filter((m): m is MessageOf<'history:lines'> => m.t === 'history:lines');
  assert.ok(pieces.length > 1);
  assert.deepEqual(
    pieces.map((piece) => [piece.n, piece.done]),
    pieces.map((_, i) => [41, i === pieces.length - 1]),
  );
  assert.deepEqual(
    pieces.flatMap((piece) => piece.lines.map((line) => line.id)),
    lines.map((line) => line.id),
  );
});

test('a relay forwards only between members it links to, within its fair share, and not at all when off', async () => {
  let now = 0;
  const r = await room({ clock: () => now });
  await until(() => r.mesh.object(BOB)?.announced !== null, 'keys checked');
  await r.link(r.toBob, r.bob);
  await r.link(r.toCarol, r.carol);
  const sealed = 'A'.repeat(64);
  for (let i = 0; i < 500; i++) r.toBob.deliver({ t: 'relay:fwd', to: CAROL, sealed });
  const delivered = () => r.toCarol.sent.filter((m) => m.t === 'relay:deliver');
  const burst = delivered().length;
  assert.ok(burst > 0 && burst <= 2 * RELAY_RATE, `a burst of 500 is cut to the bucket (${burst})`);
  assert.ok(delivered().every((m) => m.t === 'relay:deliver' && m.from === BOB && m.sealed === sealed));
  now += 1_000;
  for (let i = 0; i < 500; i++) r.toBob.deliver({ t: 'relay:fwd', to: CAROL, sealed });
  const afterSecond = delivered().length - burst;
  assert.ok(afterSecond <= RELAY_RATE + 1, `one second later, about RELAY_RATE more (${afterSecond})`);
  assert.equal(r.relay.stats().overRate, 1_000 - delivered().length);
  // Not to itself, nor to a member we do not link to.
  r.toBob.deliver({ t: 'relay:fwd', to: BOB, sealed });
  r.toBob.deliver({ t: 'relay:fwd', to: 'dddddddddddd', sealed });
  assert.equal(r.toBob.sent.filter((m) => m.t === 'relay:deliver').length, 0);

  const off = await room({ relaying: false });
  await until(() => off.mesh.object(BOB)?.announced !== null, 'keys checked');
  await off.link(off.toBob, off.bob);
  await off.link(off.toCarol, off.carol);
  off.toBob.deliver({ t: 'relay:fwd', to: CAROL, sealed });
  assert.equal(off.toCarol.sent.filter((m) => m.t === 'relay:deliver').length, 0);
  assert.ok(
    off.toCarol.sent.filter((m) => m.t === 'relay:links').every((m) => m.t === 'relay:links' && m.peers.length === 0),
    'a page that does not relay advertises no links',
  );
});

test('a sender paces itself through a relay, and continues when there is room again', async () => {
  let now = 0;
  const r = await room({ clock: () => now });
  await r.viaCarol();
  for (let i = 0; i < 2 * RELAY_RATE; i++) r.chat.send(`line ${i}`);
  await r.chat.idle();
  // A second of the rate: the relay's bucket holds two, and keeps one for the network's bunching.
  await until(() => r.relay.stats().sent === RELAY_RATE, 'the burst went');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(r.relay.stats().sent, RELAY_RATE, 'no more than the burst at once');
  now += 1_000;
  await until(() => r.relay.stats().sent === 2 * RELAY_RATE, 'the rest went once the bucket refilled');
});

test('a sender paces itself to the rate its relay advertises when that is lower than its own', async () => {
  let now = 0;
  const r = await room({ clock: () => now });
  await r.viaCarol();
  const slow = 10; // carol relays 10 a second per pair: more would be dropped on the way
  r.toCarol.deliver({ t: 'relay:links', peers: [{ id: BOB, rtt: 7 }], rate: slow });
  await until(() => r.view(BOB)?.state === 'relayed', 'still through carol');
  for (let i = 0; i < 5 * slow; i++) r.chat.send(`line ${i}`);
  await r.chat.idle();
  await until(() => r.relay.stats().sent === slow, 'a second of carol’s rate went');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(r.relay.stats().sent, slow, 'no more than a second of carol’s rate at once');
  now += 1_000;
  await until(() => r.relay.stats().sent === 2 * slow, 'one second of carol’s rate more');
  now += 3_000;
  await until(() => r.relay.stats().sent === 3 * slow, 'a pause earns no more than a second’s worth at once');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(r.relay.stats().sent, 3 * slow);
  for (const expected of [4 * slow, 5 * slow]) {
    now += 1_000;
    await until(() => r.relay.stats().sent === expected, 'the rest, a second of the rate at a time');
  }
  // And we tell the members we link to what we relay at (with our next advertisement).
  await until(() => r.toCarol.sent.some((m) => m.t === 'relay:links' && m.rate === RELAY_RATE), 'our rate told');
});

test('what a sender paces through a relay fits the relay’s share even when the network holds its first burst back', async () => {
  const slow = 5; // carol relays 5 a second per pair (a page setting)
  // Our page sends 4 seconds of lines through carol; when each relay:fwd went, by our clock.
  let now = 0;
  const sender = await room({ clock: () => now });
  await sender.viaCarol();
  sender.toCarol.deliver({ t: 'relay:links', peers: [{ id: BOB, rtt: 7 }], rate: slow });
  await until(() => sender.view(BOB)?.state === 'relayed', 'still through carol');
  for (let i = 0; i < 4 * slow; i++) sender.chat.send(`line ${i}`);
  await sender.chat.idle();
  const sentAt: number[] = [];
  const record = () => {
    while (sentAt.length < sender.relay.stats().sent) sentAt.push(now);
  };
  await until(() => sender.relay.stats().sent > 0, 'the first went');
  await sleep(20);
  record();
  while (sentAt.length < 4 * slow && now < 10_000) {
    now += 1_000;
    const before = sentAt.length;
    await eventually(async () => sender.relay.stats().sent > before, `more went at ${now} ms`);
    await sleep(20);
    record();
  }
  assert.equal(sentAt.length, 4 * slow, 'every line went');

  // The same messages reach a relay at that rate, the first ones half a second late (the
  // network held them back: the relay's bucket stayed full meanwhile), the rest on time.
  let relayNow = 0;
  const relay = await room({ clock: () => relayNow });
  relay.relay.setRate(slow);
  await until(() => relay.mesh.object(BOB)?.announced !== null, 'keys checked');
  await relay.link(relay.toBob, relay.bob);
  await relay.link(relay.toCarol, relay.carol);
  const sealed = 'A'.repeat(64);
  for (const at of sentAt) {
    relayNow = Math.max(relayNow, at === 0 ? 500 : at);
    relay.toBob.deliver({ t: 'relay:fwd', to: CAROL, sealed });
  }
  assert.equal(relay.relay.stats().overRate, 0, 'nothing dropped for going over the relay’s rate');
  assert.equal(relay.toCarol.sent.filter((m) => m.t === 'relay:deliver').length, 4 * slow);
});

test('a member whose link opens hears our links once, with our next advertisement', async () => {
  const r = await room({ withDave: true });
  await until(() => [CAROL, DAVE].every((id) => r.mesh.object(id)?.announced !== null), 'keys checked');
  const links = (to: FakeLink) => to.sent.filter((m) => m.t === 'relay:links');
  const toDave = r.toDave;
  if (!toDave) throw new Error('a link to dave expected');
  await r.link(r.toCarol, r.carol);
  await until(() => links(r.toCarol).length === 1, 'carol hears that we link to her');
  // Dave's link opens within the second after: one advertisement tells both, a second later.
  await r.link(toDave, r.dave);
  assert.equal(links(toDave).length, 0, 'not at once');
  await until(() => links(toDave).length === 1, 'dave hears our links');
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  assert.equal(links(toDave).length, 1, 'once');
  assert.deepEqual(
    links(r.toCarol).map((m) => (m.t === 'relay:links' ? m.peers.map((p) => p.id).sort() : [])),
    [[CAROL], [CAROL, DAVE].sort()],
  );
});

test('a new rate from the settings is advertised at once', async () => {
  const r = await room();
  await r.viaCarol();
  r.relay.setRate(12);
  await until(() => r.toCarol.sent.some((m) => m.t === 'relay:links' && m.rate === 12), 'carol hears the new rate');
});

test('announced keys without a valid room-key proof are never used, and a hello that disagrees with them is held', async () => {
  const r = await room();
  const stranger = await party('another-room-key-000000');
  const mallory = 'mmmmmmmmmmmm';
  r.mesh.peerJoined({ id: mallory, name: 'Mallory', keys: stranger.keys });
  await r.viaCarol();
  r.toCarol.deliver({ t: 'relay:links', peers: [{ id: mallory, rtt: 3 }] });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(r.mesh.object(mallory)?.announced, null);
  assert.notEqual(r.view(mallory)?.state, 'relayed');

  // Bob's direct link proves another signing key than the one the server carried.
  r.toBob.openChannel();
  await until(() => r.toBob.sent.some((m) => m.t === 'hello'), 'our hello went');
  r.toBob.deliver({ t: 'hello', v: 2, key: (await r.carol.identity.publicKey()) ?? '' });
  await until(() => r.view(BOB)?.reason?.code === 'key-mismatch', 'the mismatch is shown');
  assert.equal(r.mesh.object(BOB)?.send({ t: 'typing', active: true }), false, 'nothing goes to it');
});

test('when the relay leaves, the route moves to another member that links to both', async () => {
  const r = await room({ withDave: true });
  const toDave = await r.viaCarolOrDave(9);
  const first = r.view(BOB)?.via?.id;
  assert.ok(first === CAROL || first === DAVE, `through one of them (${first})`);
  const [gone, other] = first === CAROL ? [CAROL, DAVE] : [DAVE, CAROL];
  r.mesh.peerLeft({ id: gone, reason: 'leave' });
  await until(() => r.view(BOB)?.via?.id === other, 'through the other one');
  assert.equal(r.view(BOB)?.state, 'relayed');
  r.chat.send('still reaching bob');
  await r.chat.idle();
  const otherLink = other === CAROL ? r.toCarol : toDave;
  await until(() => otherLink.sent.some((m) => m.t === 'relay:fwd' && m.to === BOB), 'sealed through the other');
});

test('the relay is the one with the smallest measured round trip, our RTT to it plus its own onward, and changes with them', async () => {
  const r = await room({ withDave: true });
  await r.viaCarolOrDave(9); // and carol advertises 7 ms to bob
  const via = () => r.view(BOB)?.via;
  const { measured } = r;

  // Carol is 40 + 7 = 47 ms away from bob, dave 20 + 9 = 29: dave, though carol comes first.
  await measured(40, 20);
  assert.deepEqual(via(), { id: DAVE, name: 'Dave', rttMs: 29 });
  // A new measurement: dave is now 60 + 9 = 69.
  await measured(40, 60);
  assert.deepEqual(via(), { id: CAROL, name: 'Carol', rttMs: 47 });
  // A new advertisement: carol is now 50 ms from bob, 40 + 50 = 90.
  r.toCarol.deliver({ t: 'relay:links', peers: [{ id: BOB, rtt: 50 }] });
  await until(() => via()?.id === DAVE, 'through dave again');
  assert.equal(via()?.rttMs, 69);

  // Unknown loses to any known round trip, however slow: ours to carol not measured yet...
  await measured(null, 900);
  assert.deepEqual(via(), { id: DAVE, name: 'Dave', rttMs: 909 });
  // ...or hers to bob not known, though ours to her is 5 ms.
  await measured(5, 900);
  assert.deepEqual(via(), { id: CAROL, name: 'Carol', rttMs: 55 });
  r.toCarol.deliver({ t: 'relay:links', peers: [{ id: BOB, rtt: null }] });
  await until(() => via()?.id === DAVE, 'dave once carol no longer knows her round trip to bob');
  assert.equal(via()?.rttMs, 909);
  r.toCarol.deliver({ t: 'relay:links', peers: [{ id: BOB, rtt: 7 }] });
  await until(() => via()?.id === CAROL, 'carol once her round trip is known');
  assert.equal(via()?.rttMs, 12);
});

test('a relay keeps the route until another is clearly faster: jitter between two about as fast does not swap them', async () => {
  const r = await room({ withDave: true });
  await r.viaCarolOrDave(10); // carol advertises 7 ms to bob, dave 10
  const via = () => r.view(BOB)?.via;
  const { measured } = r;
  await measured(50, 60); // carol 57, dave 70
  assert.equal(via()?.id, CAROL);
  // Polls that see them about as fast, either way round: the route stays with carol.
  for (const [toCarol, toDaveMs] of [
    [60, 52], // carol 67, dave 62
    [50, 45], // carol 57, dave 55
    [70, 60], // carol 77, dave 70: 9 % faster, within the margin
  ] as const) {
    await measured(toCarol, toDaveMs);
    assert.equal(via()?.id, CAROL, `carol ${toCarol + 7}, dave ${toDaveMs + 10}`);
    assert.equal(via()?.rttMs, toCarol + 7, 'the round trip shown is the current relay’s');
  }
  // Dave clearly faster (30 against 77): the route moves, and stays there on jitter back.
  await measured(70, 20);
  assert.deepEqual(via(), { id: DAVE, name: 'Dave', rttMs: 30 });
  await measured(26, 23); // carol 33, dave 33
  assert.equal(via()?.id, DAVE);
});

test('when the direct link opens, traffic goes straight to it; when the relay goes, so does the route', async () => {
  const r = await room();
  await r.viaCarol();
  await r.link(r.toBob, r.bob);
  await until(() => r.view(BOB)?.state === 'connected', 'bob is direct');
  assert.equal(r.view(BOB)?.via, null);
  r.chat.send('direct now');
  await r.chat.idle();
  assert.ok(r.toBob.sent.some((m) => m.t === 'chat' && m.text === 'direct now'));
  assert.ok(!(await r.openedByBob()).some((m) => m.t === 'chat' && m.text === 'direct now'));

  r.toBob.dropChannel();
  await until(() => r.view(BOB)?.state === 'relayed', 'back through carol when the direct link drops');
  r.mesh.peerLeft({ id: CAROL, reason: 'leave' });
  await until(() => r.view(BOB)?.state === 'reconnecting', 'no route once carol left');
  assert.equal(r.view(BOB)?.via, null);
});

test('a line sent through a relay while a member was silent goes again on the direct link once it is heard', async () => {
  const r = await room();
  await r.bobDirectCarolToo();

  // Bob's network is cut: his channel stays open but silent, and carol still says she links to him.
  r.toBob.goSilent();
  await until(() => r.view(BOB)?.state === 'relayed', 'bob is relayed through carol');
  r.chat.send('while bob was away');
  await r.chat.idle();
  await until(() => r.toCarol.sent.some((m) => m.t === 'relay:fwd'), 'a sealed message went to carol');
  assert.ok((await r.openedByBob()).some((m) => m.t === 'chat' && m.text === 'while bob was away'));
  // Carol lost him too (the line with him), and nothing acknowledged the line.
  r.toCarol.deliver({ t: 'relay:links', peers: [] });
  await until(() => r.view(BOB)?.via === null, 'no route once carol no longer links to bob');
  const direct = () => r.toBob.sent.filter((m) => m.t === 'chat' && m.text === 'while bob was away');
  assert.equal(direct().length, 0);

  // His network is back: the same channel is heard again, and the line goes on it.
  r.toBob.hearAgain({ t: 'ping', n: 1 });
  await until(() => r.view(BOB)?.state === 'connected', 'bob is direct again');
  await until(() => direct().length === 1, 'the unacknowledged line went again, directly');
});

test('a member silent on its link is not routed through one that went quiet with it (our own network going, her silence not noticed yet); once she is heard after, it is', async () => {
  const r = await room();
  await r.bobDirectCarolToo();
  // Our network goes: Carol was last heard half a second after Bob, so her silence is
  // noticed half a second after his. Meanwhile she "links to him": she reaches nobody.
  r.toCarol.heardAt = performance.now() - 3_000;
  r.toBob.goSilent();
  assert.equal(r.view(BOB)?.via, null, 'not "only through Carol"');
  assert.equal(r.view(BOB)?.state, 'reconnecting');
  // Carol heard well after Bob went quiet (her next advertisement): our network carries, she reaches him.
  r.toCarol.deliver({ t: 'relay:links', peers: [{ id: BOB, rtt: 7 }] });
  await until(() => r.view(BOB)?.state === 'relayed', 'bob is relayed through carol');
  assert.equal(r.view(BOB)?.via?.name, 'Carol');
});

test('a member silent on its link is news for the chat once a message of its own comes through a relay, not on a relay’s word that it links to it; the relay named is the one that carried it', async () => {
  const r = await room({ withDave: true });
  const about = (id: string) =>
    r.notices.flatMap((n) => (n.id !== id ? [] : n.kind === 'relayed' ? [`relayed via ${n.via}`] : [n.kind]));
  await until(() => [BOB, CAROL, DAVE].every((id) => r.mesh.object(id)?.announced !== null), 'keys checked');
  await r.link(r.toCarol, r.carol);
  await r.link(r.toBob, r.bob);
  await r.link(r.toDave as FakeLink, r.dave);
  // Carol says she links to bob: his silence finds the route there at once, but only her word
  // says he is there (a member gone would be routed to the same way).
  r.toCarol.deliver({ t: 'relay:links', peers: [{ id: BOB, rtt: 7 }] });
  r.toBob.goSilent();
  await until(() => r.view(BOB)?.state === 'relayed', 'bob is relayed through carol');
  assert.deepEqual(about(BOB), ['silent']);
  assert.equal(r.mesh.object(BOB)?.heardThrough, null, 'routed through carol, not heard yet');
  // A line he sealed comes through dave: he is heard there, once.
  for (const [n, via] of [
    [1, r.toDave],
    [2, r.toCarol],
  ] as const) {
    const sealed = await sealedByBob(r, await bobSays(r.bob, `through a relay ${n}`, `bob-line-00${n}`));
    via?.deliver({ t: 'relay:deliver', from: BOB, sealed });
    await until(() => r.shown.some((line) => line.text === `through a relay ${n}`), 'his line is shown');
  }
  assert.deepEqual(about(BOB), ['silent', 'relayed via Dave']);
  assert.equal(r.mesh.object(BOB)?.heardThrough, 'Carol', 'the member that carried the latest');
  // Heard on his own link again: no longer "through" anyone.
  r.toBob.hearAgain({ t: 'ping', n: 1 });
  assert.equal(r.mesh.object(BOB)?.heardThrough, null);

  // A link that never worked (no path between the two): relayed from the start, nothing said.
  const never = await room();
  await never.viaCarol();
  const sealed = await sealedByBob(never, await bobSays(never.bob, 'hello', 'bob-line-101'));
  assert.equal(never.mesh.object(BOB)?.heardThrough, null, 'routed, not heard yet');
  never.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  await until(() => never.shown.some((line) => line.text === 'hello'), 'his line is shown');
  // Heard through carol: his call tile says "no direct link", not "not responding".
  assert.equal(never.mesh.object(BOB)?.heardThrough, 'Carol');
  assert.deepEqual(
    never.notices.filter((n) => n.id === BOB),
    [],
  );
});

/** Bob's message, sealed by Bob to us, as a relay hands it over. */
async function sealedByBob(r: Awaited<ReturnType<typeof room>>, message: ChannelMessage): Promise<string> {
  const sealed = await r.bob.announcement.seal(BOB, ME, r.me.keys, encodeChannelMessage(message));
  assert.ok(sealed);
  return sealed;
}

test('a relay that holds back an author’s messages and delivers them at once cannot get the author muted or cut', async () => {
  const r = await room();
  await r.viaCarol();
  // 45 genuine typing starts Carol kept back (within the replay window), delivered at once:
  // more than the typing budget's burst, and its burst again, would cut a member on its own link.
  const typing = await Promise.all(Array.from({ length: 45 }, () => sealedByBob(r, { t: 'typing', active: true })));
  for (const sealed of typing) r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  await until(() => r.relay.stats().received + r.relay.stats().overBudget === 45, 'all 45 opened');
  assert.ok(r.relay.stats().overBudget > 0, 'the excess is dropped');
  assert.ok(!['muted', 'flooding'].includes(r.view(BOB)?.reason?.code ?? ''), 'bob is neither muted nor cut');

  // Bob's next line through Carol is shown...
  const relayed = await bobSays(r.bob, 'still heard through carol', 'message-from-bob-5');
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: await sealedByBob(r, relayed) });
  await until(() => r.shown.some((l) => l.text === 'still heard through carol'), 'the relayed line is shown');
  // ...and so is the one on his repaired direct link, hello first.
  await r.link(r.toBob, r.bob);
  await until(() => r.view(BOB)?.state === 'connected', 'bob is direct');
  r.toBob.deliver(await bobSays(r.bob, 'still heard directly', 'message-from-bob-6'));
  await until(() => r.shown.some((l) => l.text === 'still heard directly'), 'the direct line is shown');
  assert.notEqual(r.toBob.closed, true);
});

test('through a relay from a member whose own link works: junk is not reported, a genuine line is shown', async () => {
  const r = await room();
  await until(() => r.mesh.object(BOB)?.announced !== null, 'keys checked');
  await r.link(r.toBob, r.bob);
  await r.link(r.toCarol, r.carol);
  await until(() => r.view(BOB)?.state === 'connected', 'bob is direct');
  // Bob sent junk to carol (an honest relay) for us, to get her blamed; and a genuine line,
  // as he would in the second before we notice his link died (each side on its own clock).
  const line = await bobSays(r.bob, 'sent the long way round', 'message-from-bob-7');
  for (const sealed of ['A'.repeat(64), await sealedByBob(r, line)])
    r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  await until(() => r.shown.some((l) => l.text === 'sent the long way round'), 'the genuine line is shown');
  assert.equal(r.relay.stats().refused, 1, 'the junk is refused');
  assert.deepEqual(r.refused, [], 'no notice about carol');
});

test('junk said to be from one member through one relay is reported once in a while, not once a message', async () => {
  let now = 0;
  const r = await room({ clock: () => now });
  await r.viaCarol();
  for (let i = 0; i < 1_000; i++) r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: `${'A'.repeat(63)}${i}` });
  await until(() => r.relay.stats().refused === 1_000, 'all refused');
  assert.deepEqual(r.refused, [[BOB, CAROL, 'altered']], 'one notice for 1,000');
  now += REFUSED_NOTICE_MS;
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: 'B'.repeat(64) });
  await until(() => r.refused.length === 2, 'another notice, a while later');
});

test('the notice of a refused relayed message does not say the relay spoilt it: the author may have sent it so', () => {
  assert.equal(
    refusalText('Bob', 'Carol', 'altered'),
    'Carol passed on a message said to be from Bob that did not open (changed on the way, or sent that way): not shown.',
  );
  for (const why of ['altered', 'replayed', 'stale', 'malformed'] as const) {
    assert.doesNotMatch(refusalText('Bob', 'Carol', why), /that was changed|Carol (changed|altered|replayed)/, why);
  }
});

test('a line a relay drops goes again while the route stays', async () => {
  const r = await room();
  await r.viaCarol();
  r.chat.send('dropped by carol');
  await r.chat.idle();
  await eventually(async () => chatTexts(await r.openedByBob()).length === 1, 'handed to carol');
  // Carol passes nothing on, and nothing else changes: the chat's resend is all there is.
  await eventually(async () => chatTexts(await r.openedByBob()).length === 2, 'the line goes again');
  assert.equal(r.view(BOB)?.via?.id, CAROL, 'the only relay keeps the route');
  assert.equal(r.chat.pending(r.mesh.object(BOB)), 1, 'still unacknowledged: it goes again later');
});

/** Carol and Dave both link to Bob, Dave claiming he is 0 ms away: our route goes through him, and our line `text` with it. */
async function lineThroughDave(text: string) {
  const r = await room({ withDave: true });
  const toDave = await r.viaCarolOrDave(0);
  r.toCarol.deliver({ t: 'relay:links', peers: [{ id: BOB, rtt: 50 }] });
  await r.measured(10, 10); // carol 60, dave 10
  await until(() => r.view(BOB)?.via?.id === DAVE, 'through dave');
  r.chat.send(text);
  await r.chat.idle();
  await eventually(async () => chatTexts(await r.openedByBob(toDave)).length === 1, 'handed to dave');
  return { r, toDave };
}

test('a relay that does not deliver loses the route to one that does, whatever round trip it claims', async () => {
  const { r } = await lineThroughDave('through whoever delivers');
  // Dave passes nothing on. The line goes again, and with it the route moves to carol.
  await until(() => r.view(BOB)?.via?.id === CAROL, 'carol takes the route');
  await eventually(
    async () => chatTexts(await r.openedByBob(r.toCarol)).includes('through whoever delivers'),
    'the line goes through carol',
  );
  // Bob's ack comes back (through carol): delivered. Dave, claiming faster still, stays passed over.
  const sealed = await sealedByBob(r, { t: 'ack', ids: [r.shown[0]?.id ?? ''] });
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  await until(() => r.chat.pending(r.mesh.object(BOB)) === 0, 'acknowledged');
  await r.measured(10, 1);
  assert.equal(r.view(BOB)?.via?.id, CAROL);
});

test('a deletion a relay drops goes again, and the route moves to a relay that passes it on, as for lines', async () => {
  const { r, toDave } = await lineThroughDave('my card number is 1234 oops');
  const id = r.shown[0]?.id ?? '';
  // Dave passes the line on, and Bob's ack comes back through him...
  toDave.deliver({ t: 'relay:deliver', from: BOB, sealed: await sealedByBob(r, { t: 'ack', ids: [id] }) });
  await until(() => r.chat.pending(r.mesh.object(BOB)) === 0, 'the line acknowledged');
  // ...then he passes nothing on. The deletion goes again, and with it the route moves to carol.
  assert.equal(await r.edits.delete(id), true);
  await until(() => r.view(BOB)?.via?.id === CAROL, 'carol takes the route');
  const deletions = async () =>
    (await r.openedByBob(r.toCarol)).flatMap((m) => (m.t === 'chat:edit' && m.id === id && !m.text ? [m] : []));
  await eventually(async () => (await deletions()).length > 0, 'the deletion goes through carol');
  // Bob acknowledges it (through carol): it is sent no more.
  const [deletion] = await deletions();
  assert.ok(deletion);
  const ack = editAckId(deletion);
  assert.ok(ack);
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: await sealedByBob(r, { t: 'ack', ids: [ack] }) });
  await until(() => r.edits.pending(r.mesh.object(BOB)) === 0, 'the deletion acknowledged');
});

test('a message the relay’s channel refuses is not lost: it goes again, in its place', async () => {
  const r = await room();
  await r.viaCarol();
  const send = r.toCarol.send.bind(r.toCarol);
  let refuse = 1;
  // RTCDataChannel.send throws while it closes or is full; link.ts turns that into false.
  r.toCarol.send = (message) => (message.t === 'relay:fwd' && refuse-- > 0 ? false : send(message));
  r.chat.send('first');
  r.chat.send('second');
  await r.chat.idle();
  // Well before the chat's own resend (RESEND_FIRST_MS).
  await sleep(1_000);
  assert.deepEqual(chatTexts(await r.openedByBob()), ['first', 'second']);
});

test('a read receipt through a relay goes again when the route opens again: the relay may have dropped it', async () => {
  const r = await room();
  await r.viaCarol();
  r.receipts.read(BOB, 'message-from-bob-r1');
  await eventually(async () => readIds(await r.openedByBob()).length === 1, 'handed to carol');
  // Carol dropped it; she goes silent a moment and is heard again: the route opens again.
  r.toCarol.goSilent();
  await until(() => r.view(BOB)?.via === null, 'no route');
  r.toCarol.hearAgain({ t: 'ping', n: 1 });
  await until(() => r.view(BOB)?.via?.id === CAROL, 'through carol again');
  await eventually(async () => readIds(await r.openedByBob()).length === 2, 'the receipt goes again');
  assert.deepEqual(readIds(await r.openedByBob()), ['message-from-bob-r1', 'message-from-bob-r1']);
});

test('what does not wait for room (an ack) waits in the queue: never more at once than the relay passes, and it goes', async () => {
  let now = 0; // one instant, until the test moves it
  const r = await room({ clock: () => now });
  await r.viaCarol();
  for (let i = 0; i < RELAY_RATE; i++) r.chat.send(`line ${i}`);
  await r.chat.idle();
  await until(() => r.relay.stats().sent === RELAY_RATE, 'our burst went: what the relay takes from us now');
  const line = await bobSays(r.bob, 'hi', 'message-from-bob-p1');
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: await sealedByBob(r, line) });
  await until(() => r.shown.some((l) => l.text === 'hi'), 'shown');
  await sleep(200); // the ack's 40 ms, and then some
  assert.equal(r.relay.stats().sent, RELAY_RATE, 'the ack waits: the relay would drop it');
  now += 1_000;
  await eventually(
    async () => (await r.openedByBob()).some((m) => m.t === 'ack' && m.ids.includes('message-from-bob-p1')),
    'the ack goes once there is room',
  );
});

test('a member cut for flooding is not heard through a relay either', async () => {
  const r = await room();
  await until(() => r.mesh.object(BOB)?.announced !== null && r.mesh.object(CAROL)?.announced !== null, 'keys');
  await r.link(r.toBob, r.bob);
  await r.link(r.toCarol, r.carol);
  for (let i = 0; i < 300; i++) r.toBob.deliver({ t: 'ping', n: i });
  await until(() => r.view(BOB)?.reason?.code === 'flooding', 'bob is cut for flooding');
  const line = await bobSays(r.bob, 'still here, through carol', 'message-from-bob-c1');
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: await sealedByBob(r, line) });
  await sleep(100);
  await r.chat.idle();
  assert.ok(!r.shown.some((l) => l.text === 'still here, through carol'));
  assert.equal(r.relay.stats().fromHeld, 1);
});

test('a line waiting for room in the relay’s channel goes when that channel drains', async () => {
  const r = await room();
  await r.viaCarol();
  let full = true;
  Object.defineProperty(r.toCarol, 'writable', { get: () => !full, configurable: true });
  r.chat.send('waits for carol’s channel');
  await r.chat.idle();
  await sleep(50);
  assert.ok(!r.toCarol.sent.some((m) => m.t === 'relay:fwd'), 'held while carol’s channel is full');
  full = false;
  r.toCarol.options.events.drain(); // bufferedamountlow on carol's channel
  await eventually(
    async () => chatTexts(await r.openedByBob()).includes('waits for carol’s channel'),
    'the line goes once the relay’s channel drained',
  );
});

test('lines a relay passes on together in another order are shown in the order their author wrote them', async () => {
  const r = await room();
  await r.viaCarol();
  const first = await bobSays(r.bob, 'question?', 'message-from-bob-o1');
  await sleep(5);
  const second = await bobSays(r.bob, 'no.', 'message-from-bob-o2');
  const [one, two] = [await sealedByBob(r, first), await sealedByBob(r, second)];
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: two });
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: one });
  await until(() => r.shown.length === 2, 'both shown');
  assert.deepEqual(
    r.shown.map((l) => l.text),
    ['question?', 'no.'],
  );
});

test('what waits for a member reached through a relay goes once its announced keys, announced anew, are checked', async () => {
  const r = await room();
  await r.viaCarol();
  let full = true;
  Object.defineProperty(r.toCarol, 'writable', { get: () => !full, configurable: true });
  // A line from Bob through Carol: our ack to it (it does not wait for room) waits in the
  // queue for Carol's channel.
  const line: ChannelMessage = { t: 'chat', id: 'line-relayed-01', ts: Date.now(), text: 'from bob' };
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: await sealedByBob(r, line) });
  await sleep(100);
  assert.ok(!r.toCarol.sent.some((m) => m.t === 'relay:fwd'), 'held while carol’s channel is full');
  // Bob's announced keys change (the server carries new ones): while they are checked, we
  // know none to seal to, and the relay stays the same when they check.
  const renewed = await party();
  r.mesh.sync(
    [
      { id: BOB, name: 'Bob', keys: renewed.keys },
      { id: CAROL, name: 'Carol', keys: r.carol.keys },
    ],
    false,
  );
  assert.equal(r.mesh.object(BOB)?.announced, null, 'checked anew');
  full = false;
  r.toCarol.options.events.drain();
  await eventually(async () => {
    for (const message of r.toCarol.sent) {
      if (message.t !== 'relay:fwd' || message.to !== BOB) continue;
      const opened = await renewed.announcement.open(ME, BOB, r.me.keys, message.sealed);
      const inner = opened ? parseChannelMessage(opened.text) : null;
      if (inner?.t === 'ack' && inner.ids.includes(line.id)) return true;
    }
    return false;
  }, 'the ack goes, sealed to the new keys');
});

test('a relayed message is opened once however often its author comes and goes: a relay replaying it after the author’s blip is refused', async () => {
  const r = await room();
  await r.viaCarol();
  const typing = await sealedByBob(r, { t: 'typing', active: true });
  const line = await bobSays(r.bob, 'said once', 'message-from-bob-9');
  const sealed = await sealedByBob(r, line);
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: typing });
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  await until(() => r.shown.some((l) => l.text === 'said once'), 'the relayed line is shown');
  // Bob's signaling blips (its page, and its keys, stay): this page lets its member go and
  // makes it anew when the server says it is back.
  r.mesh.peerLeft({ id: BOB, reason: 'disconnect' });
  r.mesh.peerJoined({ id: BOB, name: 'Bob', keys: r.bob.keys, resumed: true });
  await until(() => r.mesh.object(BOB)?.announced !== null, 'keys checked again');
  const refusedBefore = r.relay.stats().refused;
  // Carol passes on again what she carried before: both copies are refused as replays.
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: typing });
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed });
  await until(() => r.relay.stats().refused === refusedBefore + 2, 'both replays are refused');
  await r.chat.idle();
  assert.equal(r.shown.filter((l) => l.text === 'said once').length, 1);
});

test('a member reached only through a relay proves it holds its announced key with what it seals; one that announced another’s key never does', async () => {
  const r = await room();
  // Mallory announces Bob's signing key beside an ECDH key of her own, with a valid room-key
  // proof (she holds the room key): her page signs with her own key under Bob's public one.
  const mallory = 'mmmmmmmmmmmm';
  const malloryIdentity = createIdentity();
  const forger: Identity = { ...malloryIdentity, publicKey: () => r.bob.identity.publicKey() };
  const forged = createAnnouncement(ROOM_KEY, forger);
  const forgedKeys = await forged.keys();
  assert.ok(forgedKeys?.held && r.bob.keys.held);
  assert.equal(forgedKeys.sign, r.bob.keys.sign);
  // Eve copies Bob's announcement whole, his signature over his ECDH key too.
  const eve = 'eeeeeeeeeeee';
  const evesOwn = await party();
  r.mesh.peerJoined({ id: mallory, name: 'Mallory', keys: forgedKeys });
  r.mesh.peerJoined({ id: eve, name: 'Eve', keys: r.bob.keys });
  await until(
    () => [BOB, mallory, eve].every((id) => r.mesh.object(id)?.announced !== null),
    'every announcement proves the room key',
  );
  await r.viaCarol();
  r.toCarol.deliver({ t: 'relay:links', peers: [BOB, mallory, eve].map((id) => ({ id, rtt: 3 })) });
  for (const id of [mallory, eve]) (r.mesh.object(id)?.link as FakeLink | undefined)?.fail();
  await until(() => [mallory, eve].every((id) => r.view(id)?.state === 'relayed'), 'all three relayed');
  const bob = r.mesh.object(BOB);
  assert.equal(bob?.keyHeld, false, 'announced, not yet shown to be held');

  // Each sends a typing notice through Carol, sealed with the ECDH key it holds.
  r.toCarol.deliver({ t: 'relay:deliver', from: BOB, sealed: await sealedByBob(r, { t: 'typing', active: true }) });
  const typing = encodeChannelMessage({ t: 'typing', active: true });
  const byMallory = await forged.seal(mallory, ME, r.me.keys, typing);
  const byEve = await evesOwn.announcement.seal(eve, ME, r.me.keys, typing);
  assert.ok(byMallory && byEve);
  const refusedBefore = r.relay.stats().refused;
  r.toCarol.deliver({ t: 'relay:deliver', from: mallory, sealed: byMallory });
  r.toCarol.deliver({ t: 'relay:deliver', from: eve, sealed: byEve });
  await until(() => bob?.keyHeld === true, 'bob holds his key: his sealed message opened');
  // Mallory's opens (her ECDH key is hers), but Bob's key never signed it; Eve's does not
  // open at all (she holds no private half of what she announced).
  await until(() => r.relay.stats().received >= 2 && r.relay.stats().refused === refusedBefore + 1, 'both heard');
  await sleep(50);
  assert.equal(r.mesh.object(mallory)?.keyHeld, false, 'mallory announced bob’s key, and holds none of it');
  assert.equal(r.mesh.object(eve)?.keyHeld, false, 'eve copied bob’s announcement, and holds none of it');
  assert.equal(r.mesh.object(mallory)?.key, r.bob.keys.sign, 'what her lines would be checked with: bob’s key');
});
