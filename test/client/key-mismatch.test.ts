// A room-key proof that fails (someone between us swapped a fingerprint) is a warning on the
// member's entry, never a chat line; the link is retried once with a fresh negotiation,
// then held as intercepted: closed, not made again, and nothing but link messages went.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineFeature, type MemberHandle } from '../../client/feature.ts';
import type { ChatLine } from '../../client/features/chat.ts';
import { createHistory } from '../../client/features/history.ts';
import { createTranscript } from '../../client/features/transcript.ts';
import { createIdentity, type Identity } from '../../client/identity.ts';
import type { Handshake, MemberNoticeKind } from '../../client/member.ts';
import { createMesh } from '../../client/mesh.ts';
import { createRouter } from '../../client/router.ts';
import type { Verification } from '../../client/verify.ts';
import type { HistoryLine, PeerInfo } from '../../protocol/index.ts';
import { fakeLinkConfig, fakeLinks } from './fakes.ts';

const OTHER = 'bbbbbbbbbbbb';

function harness(selfId: string) {
  const { factory, made } = fakeLinks();
  const opened: MemberHandle[] = [];
  const notices: MemberNoticeKind[] = [];
  const feature = defineFeature({
    name: 'chat',
    types: ['chat', 'ack'],
    receive: () => {},
    opened: (m) => opened.push(m),
  });
  const handshake: Handshake = {
    canProve: true,
    hello: async () => ({ t: 'hello', v: 2, proof: 'p' }),
    check: async () => 'mismatch',
  };
  const mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake,
    router: createRouter([feature]),
    sendSignal: () => {},
    changed: () => {},
    notice: (notice) => {
      if (notice.kind === 'intercepted') notices.push(notice.kind);
    },
  });
  mesh.setSelf(selfId);
  mesh.peerJoined({ id: OTHER, name: 'Bob' });
  return { mesh, made, opened, notices, reason: () => mesh.members()[0]?.reason?.code ?? null };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('the side that offers first retries on a fresh link once, then holds it as intercepted', async () => {
  const { mesh, made, opened, notices, reason } = harness('aaaaaaaaaaaa');
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'forged' });
  await settle();
  assert.equal(made.length, 2, 'a fresh link (a new negotiation) after the first mismatch');
  assert.equal(made[0]?.closed, true);
  assert.equal(reason(), 'room-key-mismatch', 'a warning on the entry meanwhile');
  assert.deepEqual(notices, [], 'not held yet');

  made[1]?.openChannel();
  await settle();
  made[1]?.deliver({ t: 'hello', v: 2, proof: 'forged again' });
  await settle();
  assert.equal(made.length, 2, 'no third link');
  assert.equal(made[1]?.closed, true);
  assert.equal(reason(), 'intercepted');
  assert.deepEqual(notices, ['intercepted']);
  assert.deepEqual(opened, [], 'features never heard of the link');
  assert.equal(mesh.member(OTHER)?.send({ t: 'chat', id: 'abcdefghij01', ts: 1, text: 'hi' }), false);
  // A later offer from it does not bring the link back.
  mesh.signal({ from: OTHER, description: { type: 'offer', sdp: 'another session' } });
  assert.equal(made.length, 2);
  for (const link of made)
    assert.deepEqual(
      link.sent.map((m) => m.t),
      ['hello'],
    );
});

test('the side that waits for offers keeps the warning until the fresh offer, then holds', async () => {
  const { mesh, made, notices, reason } = harness('cccccccccccc');
  mesh.signal({ from: OTHER, description: { type: 'offer', sdp: 'first session' } });
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'forged' });
  await settle();
  assert.equal(made.length, 1, 'the offering side starts the fresh negotiation, not this one');
  assert.equal(reason(), 'room-key-mismatch');
  // The offering side closes its end of the link first: ours sees its channel close (the
  // real link reports that) before the fresh offer comes through the server.
  made[0]?.options.events.closed();
  assert.equal(mesh.members().length, 1, 'a close the member was waiting for does not drop it');
  assert.equal(reason(), 'room-key-mismatch');

  mesh.signal({ from: OTHER, description: { type: 'offer', sdp: 'fresh session' } });
  assert.equal(made.length, 2, 'the fresh offer gets a fresh link');
  assert.equal(mesh.members()[0]?.name, 'Bob', 'the same member, not an unannounced one');
  made[1]?.openChannel();
  await settle();
  made[1]?.deliver({ t: 'hello', v: 2, proof: 'forged again' });
  await settle();
  assert.equal(reason(), 'intercepted');
  assert.deepEqual(notices, ['intercepted']);
});

/**
 * Our page (the side that waits for the first offer) and Bob, whose hellos' proofs are checked
 * only when the test settles each check (`checks`, in order).
 */
function checkedByHand() {
  const checks: Array<(result: Verification) => void> = [];
  const { factory, made } = fakeLinks();
  const notices: string[] = [];
  const mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake: {
      canProve: true,
      hello: async () => ({ t: 'hello', v: 2, proof: 'p' }),
      check: () => new Promise<Verification>((resolve) => checks.push(resolve)),
    },
    router: createRouter([]),
    sendSignal: () => {},
    changed: () => {},
    notice: (notice) => notices.push(`${notice.kind} ${notice.name}`),
  });
  mesh.setSelf('cccccccccccc');
  mesh.peerJoined({ id: OTHER, name: 'Bob' });
  return { mesh, made, checks, notices };
}

test('the side that waits sees the link close before its own check failed: the same member, and the second failure holds it', async () => {
  // The offering side found the mismatch first and closed the link for a fresh one while our
  // check of its hello still ran: that close is not a departure.
  const { mesh, made, checks, notices } = checkedByHand();
  const reason = () => mesh.members()[0]?.reason?.code ?? null;
  mesh.signal({ from: OTHER, description: { type: 'offer', sdp: 'first session' } });
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'forged' });
  await settle();
  made[0]?.options.events.closed();
  mesh.signal({ from: OTHER, description: { type: 'offer', sdp: 'fresh session' } });
  checks.shift()?.('mismatch');
  await settle();
  assert.deepEqual(
    mesh.members().map((m) => m.name),
    ['Bob'],
  );
  assert.equal(reason(), 'room-key-mismatch');
  made[1]?.openChannel();
  await settle();
  made[1]?.deliver({ t: 'hello', v: 2, proof: 'forged again' });
  await settle();
  checks.shift()?.('mismatch');
  await settle();
  assert.equal(reason(), 'intercepted');
  assert.deepEqual(notices, ['joined Bob', 'intercepted Bob']);
});

test('a link that closes while its hello is checked, and proves the key, was a departure', async () => {
  const { mesh, made, checks } = checkedByHand();
  made[0]?.openChannel();
  await settle();
  made[0]?.deliver({ t: 'hello', v: 2, proof: 'good' });
  await settle();
  made[0]?.options.events.closed();
  assert.equal(mesh.members().length, 1, 'not before the check says what the close was');
  checks.shift()?.('verified');
  await settle();
  assert.equal(mesh.members().length, 0);
});

// Whose key a link's hello carries is learned as its member's (history authors, reactions)
// only once the page vouches for it: its room-key proof checked and it agrees with the key the
// member announced. Mallory (holding the room key) answering a link the server routed to her
// "for Alice", or a stranger without the key under Alice's id, must not sign in her name.

const SELF = 'aaaaaaaaaaaa';
const ALICE = 'bbbbbbbbbbbb';
const MALLORY = 'cccccccccccc';
const LINE_TS = 1_700_000_000_000;

interface Room {
  mesh: ReturnType<typeof createMesh>;
  made: ReturnType<typeof fakeLinks>['made'];
  history: ReturnType<typeof createHistory>;
  shown: ChatLine[];
  notices: string[];
}

/** A newcomer page that holds the room key, with history, asking Alice and Mallory. */
function historyRoom(handshake: Handshake, peers: PeerInfo[]): Room {
  const { factory, made } = fakeLinks();
  const shown: ChatLine[] = [];
  const notices: string[] = [];
  let mesh: ReturnType<typeof createMesh> | null = null;
  const history = createHistory({
    selfId: () => SELF,
    selfName: () => 'me',
    ownKey: async () => null,
    members: () => mesh?.all() ?? [],
    transcript: createTranscript(),
    show: (line) => shown.push(line),
  });
  mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake,
    router: createRouter([history.feature]),
    sendSignal: () => {},
    changed: () => {},
    notice: (notice) => notices.push(notice.kind),
  });
  mesh.setSelf(SELF);
  history.joined(peers.map((peer) => peer.id));
  mesh.sync(peers, false);
  return { mesh, made, history, shown, notices };
}

/** Mallory's own, honest link: her hello proves her key, and she answers our history request with `line`. */
async function malloryAnswers(room: Room, link: number, malloryKey: string, line: HistoryLine): Promise<void> {
  const to = room.made[link];
  to?.openChannel();
  await settle();
  to?.deliver({ t: 'hello', v: 3, proof: 'p', key: malloryKey });
  await settle();
  const request = to?.sent.find((m) => m.t === 'history:req');
  assert.ok(request?.t === 'history:req', 'Mallory was asked for history');
  to?.deliver({ t: 'history:lines', ...(request.n === undefined ? {} : { n: request.n }), lines: [line], done: true });
  await settle();
  await room.history.idle();
}

async function signedLine(by: Identity, text: string): Promise<HistoryLine> {
  const body = { from: ALICE, id: 'line-alice-0001', ts: LINE_TS, text };
  const sig = await by.sign(body);
  assert.ok(sig);
  return { ...body, name: 'Alice', sig };
}

test('a link held for carrying another key than announced lends that key to nobody: its lines in history are not "✓" as the member’s (nor shown)', async () => {
  const alice = createIdentity();
  const mallory = createIdentity();
  const aliceKey = (await alice.publicKey()) as string;
  const malloryKey = (await mallory.publicKey()) as string;
  // Mallory holds the room key: every proof she makes checks.
  const room = historyRoom(
    {
      canProve: true,
      hello: async () => ({ t: 'hello', v: 3, proof: 'p' }),
      check: async () => 'verified',
      checkKeys: async () => 'verified',
    },
    [
      { id: ALICE, name: 'Alice', keys: { sign: aliceKey, ecdh: 'e', proof: 'p' } },
      { id: MALLORY, name: 'Mallory', keys: { sign: malloryKey, ecdh: 'e2', proof: 'p2' } },
    ],
  );
  await settle();
  // The server routes our link "to Alice" to Mallory, whose hello proves the room key with her own key.
  room.made[0]?.openChannel();
  await settle();
  room.made[0]?.deliver({ t: 'hello', v: 3, proof: 'p', key: malloryKey });
  await settle();
  assert.deepEqual(room.notices, ['intercepted']);
  assert.equal(room.mesh.object(ALICE)?.key, null, 'neither disagreeing key is vouched for');
  assert.ok(!room.history.author(ALICE)?.keys.has(malloryKey), 'Mallory’s key is not learned as Alice’s');

  await malloryAnswers(room, 1, malloryKey, await signedLine(mallory, 'send the money to Mallory'));
  // Not "✓" as Alice's, nor shown at all: Alice is here, and no key of hers checks it.
  assert.equal(room.shown.length, 0);
  assert.equal(room.history.counts().dropped, 1);
});

test('the announcement’s check settles before a hello’s verdict: a key it contradicts is never learned, even for a moment', async () => {
  const alice = createIdentity();
  const mallory = createIdentity();
  const aliceKey = (await alice.publicKey()) as string;
  const malloryKey = (await mallory.publicKey()) as string;
  const announcementChecks: Array<() => void> = [];
  const room = historyRoom(
    {
      canProve: true,
      hello: async () => ({ t: 'hello', v: 3, proof: 'p' }),
      check: async () => 'verified',
      // Alice's announcement is checked slowly; Mallory's at once.
      checkKeys: (keys) =>
        keys.sign === aliceKey
          ? new Promise((resolve) => announcementChecks.push(() => resolve('verified')))
          : Promise.resolve('verified'),
    },
    [
      { id: ALICE, name: 'Alice', keys: { sign: aliceKey, ecdh: 'e', proof: 'p' } },
      { id: MALLORY, name: 'Mallory', keys: { sign: malloryKey, ecdh: 'e2', proof: 'p2' } },
    ],
  );
  room.made[0]?.openChannel();
  await settle();
  room.made[0]?.deliver({ t: 'hello', v: 3, proof: 'p', key: malloryKey });
  await settle();
  assert.ok(!room.history.author(ALICE)?.keys.has(malloryKey), 'not while the announcement is checked');
  for (const settleCheck of announcementChecks) settleCheck();
  await settle();
  assert.deepEqual(room.notices, ['intercepted']);
  assert.ok(!room.history.author(ALICE)?.keys.has(malloryKey), 'nor after');
});

test('a hello’s key is not learned while its proof is checked: a history line merged meanwhile does not take it', async () => {
  const impostor = createIdentity();
  const mallory = createIdentity();
  const impostorKey = (await impostor.publicKey()) as string;
  const malloryKey = (await mallory.publicKey()) as string;
  const aliceChecks: Array<(result: Verification) => void> = [];
  const room = historyRoom(
    {
      canProve: true,
      hello: async () => ({ t: 'hello', v: 3, proof: 'p' }),
      // The hello on "Alice's" link is checked slowly; Mallory's at once.
      check: (_link, hello) =>
        hello.key === impostorKey
          ? new Promise<Verification>((resolve) => aliceChecks.push(resolve))
          : Promise.resolve('verified'),
      checkKeys: async () => 'verified',
    },
    [
      { id: ALICE, name: 'Alice' },
      { id: MALLORY, name: 'Mallory', keys: { sign: malloryKey, ecdh: 'e2', proof: 'p2' } },
    ],
  );
  room.made[0]?.openChannel();
  await settle();
  room.made[0]?.deliver({ t: 'hello', v: 3, proof: 'forged', key: impostorKey });
  await settle();
  // While that proof is checked, Mallory's answer brings a line "from Alice" signed with its key.
  await malloryAnswers(room, 1, malloryKey, await signedLine(impostor, 'invented'));
  for (const settleCheck of aliceChecks) settleCheck('unverified');
  await settle();
  await room.history.idle();
  assert.ok(!room.history.author(ALICE)?.keys.has(impostorKey));
  assert.ok(
    room.shown.every((line) => line.history?.verified !== 'true'),
    'the line is not shown as Alice’s, signed',
  );
});

test('a stranger without the room key under a member’s id lends it no key: that member’s genuine lines are not shown as altered', async () => {
  const alice = createIdentity();
  const mallory = createIdentity();
  const malloryKey = (await mallory.publicKey()) as string;
  const room = historyRoom(
    {
      canProve: true,
      hello: async () => ({ t: 'hello', v: 3, proof: 'p' }),
      check: async (_link, hello) => (hello.proof ? 'verified' : 'unverified'),
      checkKeys: async () => 'verified',
    },
    [
      { id: ALICE, name: 'Alice' },
      { id: MALLORY, name: 'Mallory', keys: { sign: malloryKey, ecdh: 'e2', proof: 'p2' } },
    ],
  );
  // The server alone answers the link "to Alice": no proof, a key of its own.
  room.made[0]?.openChannel();
  await settle();
  room.made[0]?.deliver({ t: 'hello', v: 3, key: (await createIdentity().publicKey()) as string });
  await settle();
  assert.equal(room.history.author(ALICE)?.keys.size ?? 0, 0, 'no key learned for Alice');
  // An honest member relays Alice's genuine line.
  await malloryAnswers(room, 1, malloryKey, await signedLine(alice, 'lunch at noon'));
  assert.ok(
    room.shown.every((line) => line.history?.verified !== 'false'),
    'Alice’s genuine line is not shown as altered by the honest member who relayed it',
  );
});
