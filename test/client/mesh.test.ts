// The mesh as a reconciler, in Node with fake links: the orderings that have bitten before
// (two joins at once, glare, a signal before peer:joined, rejoin after a server restart,
// the return grace period, a reload) each end with one member object and the right link.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { createSlot, type DisposeReason, defineFeature } from '../../client/feature.ts';
import { createMesh, type MeshNotice } from '../../client/mesh.ts';
import { createRouter } from '../../client/router.ts';
import type { IncomingSignal } from '../../protocol/index.ts';
import { fakeLinkConfig, fakeLinks, noFeatures, trustingHandshake } from './fakes.ts';

const A = 'aaaaaaaaaaaa';
const B = 'bbbbbbbbbbbb';
const C = 'cccccccccccc';
const D = 'dddddddddddd';
const offer = (from: string, sdp = `session-of-${from}`): IncomingSignal => ({
  from,
  description: { type: 'offer', sdp },
});

function harness(self: string, router = noFeatures) {
  const { factory, made } = fakeLinks();
  const notices: MeshNotice[] = [];
  const signals: Array<{ to: string }> = [];
  const changes = { count: 0 };
  const mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake: trustingHandshake,
    router,
    sendSignal: (to) => signals.push({ to }),
    changed: () => {
      changes.count++;
    },
    notice: (n) => notices.push(n),
    returnGraceMs: 30_000,
  });
  mesh.setSelf(self);
  return { mesh, made, notices, signals, changes };
}

test('the member with the smaller id offers first, however each side learned of the other', () => {
  const a = harness(A);
  a.mesh.peerJoined({ id: B, name: 'Bob' });
  const b = harness(B);
  b.mesh.sync([{ id: A, name: 'Alice' }], false);
  assert.equal(a.made[0]?.options.offersFirst, true);
  assert.equal(a.made[0]?.options.polite, false);
  assert.equal(b.made[0]?.options.offersFirst, false);
  assert.equal(b.made[0]?.options.polite, true);
});

test('two members joining at once: ack, peer:joined and an early signal make one member and one link', () => {
  // A "joined" line only for a member the server announced after our join: one our join
  // ack lists was here first, and the line that says we joined names it already.
  for (const [order, joinedLines] of [
    [['ack', 'joined', 'signal'], 0],
    [['signal', 'ack', 'joined'], 0],
    [['joined', 'signal', 'ack'], 1],
  ] as const) {
    const { mesh, made, notices } = harness(B);
    for (const step of order) {
      if (step === 'ack') mesh.sync([{ id: A, name: 'Alice' }], false);
      if (step === 'joined') mesh.peerJoined({ id: A, name: 'Alice' });
      if (step === 'signal') mesh.signal(offer(A));
    }
    assert.equal(mesh.members().length, 1, order.join(' → '));
    assert.equal(made.length, 1, `one link for ${order.join(' → ')}`);
    assert.equal(mesh.members()[0]?.name, 'Alice');
    assert.equal(
      notices.filter((n) => n.kind === 'joined').length,
      joinedLines,
      `"joined" lines for ${order.join(' → ')}`,
    );
  }
});

test('members the join ack lists get no "joined" line; those who come later, or while we were away, do', () => {
  const { mesh, notices } = harness(A);
  mesh.sync(
    [
      { id: B, name: 'Bob' },
      { id: C, name: 'Carol' },
    ],
    false,
  );
  assert.equal(mesh.members().length, 2);
  assert.equal(notices.length, 0, 'both were here before us');
  const D = 'dddddddddddd';
  mesh.peerJoined({ id: D, name: 'Dave' });
  assert.deepEqual(
    notices.map((n) => [n.kind, n.name]),
    [['joined', 'Dave']],
  );
  // Back after a server restart: Erin came meanwhile; the others are known.
  const E = 'eeeeeeeeeeee';
  mesh.sync(
    [
      { id: B, name: 'Bob' },
      { id: C, name: 'Carol' },
      { id: D, name: 'Dave' },
      { id: E, name: 'Erin' },
    ],
    true,
  );
  assert.deepEqual(
    notices.map((n) => [n.kind, n.name]),
    [
      ['joined', 'Dave'],
      ['joined', 'Erin'],
    ],
  );
});

test('glare: an offer from a member we are offering to goes to the same link', () => {
  const { mesh, made } = harness(A);
  mesh.peerJoined({ id: B, name: 'Bob' });
  mesh.signal(offer(B));
  mesh.signal({ from: B, candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host' } });
  assert.equal(made.length, 1);
  assert.equal(made[0]?.received.length, 2);
});

test('a resumed peer:joined for a member whose link is down repairs or restarts the link', () => {
  const { mesh, made } = harness(A);
  mesh.sync(
    [
      { id: B, name: 'Bob' },
      { id: C, name: 'Carol' },
    ],
    false,
  );
  made[0]?.openChannel();
  made[0]?.dropChannel();
  mesh.peerJoined({ id: B, name: 'Bob', resumed: true });
  mesh.peerJoined({ id: C, name: 'Carol', resumed: true });
  assert.equal(made[0]?.restarts, 1, 'a link that worked is repaired');
  assert.equal(made[1]?.closed, true, 'a link that never opened starts over');
  assert.equal(made.length, 3);
  // Dave's signaling came back while her link to us worked: what we signaled him meanwhile
  // (an offer for a call's m-lines) was dropped by the server, and goes again.
  mesh.sync([{ id: D, name: 'Dave' }], true);
  const toDave = made.at(-1);
  toDave?.openChannel();
  mesh.peerJoined({ id: D, name: 'Dave', resumed: true });
  assert.equal(toDave?.offersResent, 1);
});

test('members announced again (a room made whole after a Redis outage) are not news: no second "joined", the same links', () => {
  const { mesh, made, notices } = harness(A);
  mesh.sync([{ id: B, name: 'Bob' }], false);
  mesh.peerJoined({ id: C, name: 'Carol' });
  made[0]?.openChannel();
  // The server announces every member of the room, those we know with the one we never heard of.
  for (const peer of [
    { id: B, name: 'Bob' },
    { id: C, name: 'Carol' },
    { id: D, name: 'Dave' },
  ]) {
    mesh.peerJoined(peer);
  }
  assert.deepEqual(
    notices.map((n) => [n.kind, n.name]),
    [
      ['joined', 'Carol'],
      ['joined', 'Dave'],
    ],
  );
  assert.equal(made.length, 3, 'one link per member');
  assert.ok(made.every((link) => !link.closed && link.restarts === 0));
});

test('a signal before peer:joined makes a member that is announced once the server names it', () => {
  const { mesh, notices } = harness(B);
  mesh.signal(offer(C));
  assert.equal(mesh.members()[0]?.name, '…');
  assert.equal(notices.length, 0, 'no "joined" line before the server said so');
  mesh.peerJoined({ id: C, name: 'Carol' });
  assert.equal(mesh.members()[0]?.name, 'Carol');
  assert.deepEqual(
    notices.map((n) => n.kind),
    ['joined'],
  );
});

test('rejoin after a server restart keeps open links, repairs established ones, replaces never-opened ones', () => {
  const { mesh, made, notices } = harness(A);
  mesh.sync(
    [
      { id: B, name: 'Bob' },
      { id: C, name: 'Carol' },
      { id: 'dddddddddddd', name: 'Dave' },
      { id: 'eeeeeeeeeeee', name: 'Erin' },
    ],
    false,
  );
  const [toBob, toCarol, toDave] = made;
  toBob?.openChannel(); // stays open through the restart
  toCarol?.openChannel();
  toCarol?.dropChannel(); // worked once, down now
  // Dave's link never opened; Erin left while the server was down.
  mesh.sync(
    [
      { id: B, name: 'Bob' },
      { id: C, name: 'Carol' },
      { id: 'dddddddddddd', name: 'Dave' },
    ],
    true,
  );
  assert.equal(toBob?.restarts, 0);
  assert.equal(toBob?.closed, false);
  assert.equal(toBob?.offersResent, 1, 'an open link sends again an offer of ours the outage may have lost');
  assert.equal(toCarol?.restarts, 1, 'an established link is repaired by ICE restart');
  assert.equal(toCarol?.closed, false);
  assert.equal(toDave?.closed, true, 'a never-opened link is replaced');
  assert.equal(made.length, 5, 'one new link (for Dave)');
  assert.deepEqual(
    mesh
      .members()
      .map((m) => m.name)
      .sort(),
    ['Bob', 'Carol', 'Dave'],
  );
  const left = notices.find((n) => n.kind === 'left');
  assert.equal(left?.kind === 'left' && left.reason, 'ERR_NOT_IN_ROOM');
});

test('a member whose signaling and link both dropped is kept for the grace period, then dropped', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { mesh, made, notices } = harness(A);
    mesh.sync([{ id: B, name: 'Bob' }], false);
    made[0]?.openChannel();
    made[0]?.dropChannel();
    mesh.peerLeft({ id: B, reason: 'disconnect' });
    mock.timers.tick(29_000);
    assert.equal(mesh.members().length, 1, 'still waiting');
    mock.timers.tick(1_000);
    assert.equal(mesh.members().length, 0);
    const left = notices.find((n) => n.kind === 'left');
    assert.equal(left?.kind === 'left' && left.reason, 'ERR_RETURN_TIMEOUT');
  } finally {
    mock.timers.reset();
  }
});

test('a member who comes back within the grace period stays', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { mesh, made } = harness(A);
    mesh.sync([{ id: B, name: 'Bob' }], false);
    made[0]?.openChannel();
    made[0]?.dropChannel();
    mesh.peerLeft({ id: B, reason: 'disconnect' });
    mock.timers.tick(10_000);
    mesh.peerJoined({ id: B, name: 'Bob' });
    mock.timers.tick(60_000);
    assert.equal(mesh.members().length, 1);
    assert.equal(made.length, 1, 'the established link is kept for repair');
  } finally {
    mock.timers.reset();
  }
});

test('a member whose channel is alive stays when only its signaling drops (P2P outlives the server)', () => {
  const { mesh, made } = harness(A);
  mesh.sync([{ id: B, name: 'Bob' }], false);
  made[0]?.openChannel();
  mesh.peerLeft({ id: B, reason: 'disconnect' });
  assert.equal(mesh.members().length, 1);
});

test('a member kept for its live link after its signaling dropped gets the grace once that link goes silent', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { mesh, made, notices } = harness(A);
    mesh.sync(
      [
        { id: B, name: 'Bob' },
        { id: C, name: 'Carol' },
        { id: D, name: 'Dave' },
      ],
      false,
    );
    for (const link of made) link.openChannel();
    // Bob: the server says it left while its link is alive; the link dies later (no close:
    // its network went). Carol: the same, but her link is heard again within the grace.
    mesh.peerLeft({ id: B, reason: 'disconnect' });
    mesh.peerLeft({ id: C, reason: 'disconnect' });
    // Dave: back on the server before his link goes quiet: the server has him, no grace.
    mesh.peerLeft({ id: D, reason: 'disconnect' });
    mesh.peerJoined({ id: D, name: 'Dave', resumed: true });
    mock.timers.tick(60_000);
    assert.equal(mesh.members().length, 3, 'all links alive: all kept');
    for (const link of made) link.goSilent();
    mock.timers.tick(10_000);
    made[1]?.hearAgain({ t: 'ping', n: 1 });
    mock.timers.tick(20_000);
    assert.deepEqual(
      mesh
        .members()
        .map((m) => m.name)
        .sort(),
      ['Carol', 'Dave'],
    );
    const left = notices.find((n) => n.kind === 'left');
    assert.equal(left?.kind === 'left' && `${left.name} ${left.reason}`, 'Bob ERR_RETURN_TIMEOUT');
    made[1]?.goSilent();
    mock.timers.tick(30_000);
    assert.deepEqual(
      mesh.members().map((m) => m.name),
      ['Dave'],
      'silent again, and the server still does not have her',
    );
  } finally {
    mock.timers.reset();
  }
});

test('a member a rejoin does not list, kept for its live link, gets the grace once that link goes silent', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { mesh, made, notices } = harness(A);
    mesh.sync([{ id: B, name: 'Bob' }], false);
    made[0]?.openChannel();
    mesh.sync([], true);
    assert.equal(mesh.members().length, 1, 'its link is alive');
    made[0]?.goSilent();
    mock.timers.tick(30_000);
    assert.equal(mesh.members().length, 0);
    const left = notices.find((n) => n.kind === 'left');
    assert.equal(left?.kind === 'left' && left.reason, 'ERR_RETURN_TIMEOUT');
  } finally {
    mock.timers.reset();
  }
});

test('a member hidden while silent is shown again when it comes back on a new link (its reload)', () => {
  const { mesh, made, notices } = harness(B);
  mesh.sync([{ id: A, name: 'Alice' }], false);
  mesh.signal(offer(A, 'first-session'));
  made[0]?.openChannel();
  made[0]?.goSilent();
  assert.equal(mesh.members()[0]?.visible, false, 'hidden while it does not answer');
  // It reloads (its goodbye went nowhere), takes its id back, and offers from its new page.
  mesh.peerJoined({ id: A, name: 'Alice', resumed: true });
  mesh.signal(offer(A, 'after-reload'));
  assert.equal(made.length, 2);
  made[1]?.openChannel();
  assert.equal(mesh.members()[0]?.visible, true);
  assert.deepEqual(
    notices.filter((n) => n.kind === 'silent' || n.kind === 'back').map((n) => n.kind),
    ['silent', 'back'],
  );
});

test('a member silent while others are still heard well after it went quiet is silent alone; members gone quiet together (our own network going) are not', () => {
  const silences = (notices: MeshNotice[]) =>
    notices.flatMap((n) => (n.kind === 'silent' ? [`${n.name}${n.alone ? ' alone' : ''}`] : []));
  /** Alice's page, linked to Bob and Carol. */
  function linked() {
    const { mesh, made, notices } = harness(A);
    mesh.sync(
      [
        { id: B, name: 'Bob' },
        { id: C, name: 'Carol' },
      ],
      false,
    );
    for (const link of made) link.openChannel();
    const [toBob, toCarol] = made;
    if (!toBob || !toCarol) throw new Error('two links expected');
    return { toBob, toCarol, notices };
  }
  // Carol pings on while Bob's silence is noticed, 3.5 s after he was last heard.
  const one = linked();
  one.toCarol.deliver({ t: 'ping', n: 1 });
  one.toBob.goSilent();
  assert.deepEqual(silences(one.notices), ['Bob alone'], 'our network carried Carol’s ping: his silence is his');

  // Our network goes: Carol was last heard half a second after Bob, and each falls silent in turn.
  const both = linked();
  both.toCarol.heardAt = performance.now() - 3_000;
  both.toBob.goSilent();
  both.toCarol.goSilent();
  assert.deepEqual(silences(both.notices), ['Bob', 'Carol'], 'nobody heard since: it may be us');
});

test('a reload (an offer from a new session) replaces the link but keeps the member and its feature state', () => {
  const counter = createSlot('count', () => ({ n: 0 }));
  const features = createRouter([
    defineFeature({
      name: 'counting',
      types: ['chat'],
      receive: (member) => {
        member.slot(counter).n++;
      },
    }),
  ]);
  const { mesh, made } = harness(B, features);
  mesh.signal(offer(A, 'first-session'));
  mesh.peerJoined({ id: A, name: 'Alice' });
  made[0]?.openChannel();
  made[0]?.deliver({ t: 'chat', id: 'message-0001', ts: 1, text: 'hi' });
  mesh.signal(offer(A, 'after-reload'));
  assert.equal(made.length, 2);
  assert.equal(made[0]?.closed, true);
  made[1]?.openChannel();
  made[1]?.deliver({ t: 'chat', id: 'message-0002', ts: 2, text: 'hi again' });
  // A message on the old link after the replacement is not the member's any more.
  made[0]?.deliver({ t: 'chat', id: 'message-0003', ts: 3, text: 'stale' });
  assert.equal(mesh.member(A)?.slot(counter).n, 2);
});

test('teardown has one path with a reason code, and a disposed member does nothing', () => {
  const removed: DisposeReason[] = [];
  let received = 0;
  const features = createRouter([
    defineFeature({
      name: 'watch',
      types: ['chat'],
      receive: () => {
        received++;
      },
      removed: (_member, reason) => {
        removed.push(reason);
      },
    }),
  ]);
  const { mesh, made } = harness(A, features);
  mesh.sync(
    [
      { id: B, name: 'Bob' },
      { id: C, name: 'Carol' },
    ],
    false,
  );
  made[0]?.openChannel();
  made[1]?.openChannel();
  made[0]?.options.events.closed(); // Bob's tab closed
  made[1]?.deliver({ t: 'bye' }); // Carol said goodbye
  made[0]?.deliver({ t: 'chat', id: 'message-0001', ts: 1, text: 'after the end' });
  assert.deepEqual(removed, ['ERR_CHANNEL_CLOSED', 'ERR_BYE']);
  assert.equal(received, 0);
  assert.equal(mesh.members().length, 0);
  assert.ok(made.every((l) => l.closed));
});

test('a new peer id for us starts every link over, quietly', () => {
  const { mesh, made, notices } = harness(A);
  mesh.sync([{ id: B, name: 'Bob' }], false);
  mesh.setSelf('zzzzzzzzzzzz');
  assert.equal(mesh.members().length, 0);
  assert.equal(made[0]?.closed, true);
  assert.equal(notices.filter((n) => n.kind === 'left').length, 0);
  // The join ack that came with the new id lists Bob again, and Carol, who came meanwhile.
  mesh.sync(
    [
      { id: B, name: 'Bob' },
      { id: C, name: 'Carol' },
    ],
    true,
  );
  assert.deepEqual(
    notices.map((n) => `${n.kind} ${n.name}`),
    ['joined Carol'],
    'Bob was here all along',
  );
});

test('kept out of a full room, we drop every link, quietly; let in again, those we had are not news', () => {
  const { mesh, made, notices } = harness(A);
  mesh.sync([{ id: B, name: 'Bob' }], false);
  mesh.peerJoined({ id: C, name: 'Carol' });
  const before = notices.length;
  mesh.outside();
  assert.equal(mesh.members().length, 0);
  assert.ok(
    made.every((link) => link.closed),
    'every link closed',
  );
  assert.deepEqual(notices.slice(before), [], 'no "left" for members who did not go');
  // A seat frees: the join ack lists Bob and Carol, and Dave, who took our seat meanwhile.
  mesh.sync(
    [
      { id: B, name: 'Bob' },
      { id: C, name: 'Carol' },
      { id: D, name: 'Dave' },
    ],
    true,
  );
  assert.equal(mesh.members().length, 3);
  assert.deepEqual(
    notices.slice(before).map((n) => `${n.kind} ${n.name}`),
    ['joined Dave'],
  );
});

test('renames come from the server only, and are announced', () => {
  const { mesh, notices } = harness(A);
  mesh.sync([{ id: B, name: 'Bob' }], false);
  mesh.peerRenamed({ id: B, name: 'Robert' });
  assert.equal(mesh.members()[0]?.name, 'Robert');
  assert.deepEqual(notices.at(-1), { kind: 'renamed', id: B, name: 'Robert', previous: 'Bob' });
});

test('a path poll that reads what is already shown changes nothing, nor does jitter; a round trip that moved or a new path does', async () => {
  const { mesh, made, changes } = harness(A);
  mesh.sync([{ id: B, name: 'Bob' }], false);
  made[0]?.openChannel();
  made[0]?.measure(3);
  const before = changes.count;
  await mesh.refreshPaths();
  assert.equal(changes.count, before + 1, 'the first reading is news');
  assert.equal(mesh.members()[0]?.path?.rttMs, 3);
  await mesh.refreshPaths();
  assert.equal(changes.count, before + 1, 'the same reading again redraws nothing');
  for (const jitter of [4, 1, 5, 2]) {
    made[0]?.measure(jitter);
    await mesh.refreshPaths();
  }
  assert.equal(changes.count, before + 1, 'readings within 2 ms of the one shown redraw nothing');
  assert.equal(mesh.members()[0]?.path?.rttMs, 3, 'and the one shown stays');
  made[0]?.measure(6);
  await mesh.refreshPaths();
  assert.equal(changes.count, before + 2, 'a round trip that moved by more is shown');
  assert.equal(mesh.members()[0]?.path?.rttMs, 6);
  made[0]?.measure(null);
  await mesh.refreshPaths();
  assert.equal(changes.count, before + 3, 'a path gone is shown');
  assert.equal(mesh.members()[0]?.path, null);
});

test('new ICE servers reach every live link; a held member, its link closed for good, is passed over', () => {
  const { mesh, made } = harness(A);
  mesh.sync(
    [
      { id: B, name: 'Mallory' },
      { id: C, name: 'Carol' },
    ],
    false,
  );
  const [toMallory, toCarol] = made;
  toMallory?.openChannel();
  // Its link changes its signing key mid-link: held, as one cut for flooding is.
  toMallory?.deliver({ t: 'hello', v: 2, key: 'key-one' });
  toMallory?.deliver({ t: 'hello', v: 2, key: 'key-two' });
  assert.equal(mesh.object(B)?.held, true);
  assert.equal(toMallory?.closed, true);
  const config: RTCConfiguration = { iceServers: [{ urls: 'turn:turn.example:3478' }] };
  assert.doesNotThrow(() => mesh.reconfigure(config), 'a closed RTCPeerConnection throws on setConfiguration');
  assert.deepEqual(toCarol?.configured, [config]);
  assert.deepEqual(toMallory?.configured, []);
});

test('a member whose signaling dropped while its link was silent, heard again, then silent for good, is dropped after the grace', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { mesh, made, notices } = harness(A);
    mesh.sync([{ id: B, name: 'Bob' }], false);
    made[0]?.openChannel();
    made[0]?.goSilent(); // its network blips: the link goes quiet first…
    mesh.peerLeft({ id: B, reason: 'disconnect' }); // …then the server notices its socket went
    made[0]?.hearAgain({ t: 'ping', n: 1 }); // the link recovers (ICE restart); its signaling does not
    mock.timers.tick(60_000);
    assert.equal(mesh.members().length, 1, 'heard: kept, P2P outlives the server');
    made[0]?.goSilent(); // gone for good, without a close (a lid shut)
    mock.timers.tick(30_000);
    assert.equal(mesh.members().length, 0);
    const left = notices.find((n) => n.kind === 'left');
    assert.equal(left?.kind === 'left' && left.reason, 'ERR_RETURN_TIMEOUT');
  } finally {
    mock.timers.reset();
  }
});

test('a retry restarts the links that are down, not those still making their first connection', () => {
  const { mesh, made } = harness(C);
  mesh.sync(
    [
      { id: A, name: 'Alice' },
      { id: B, name: 'Bob' },
    ],
    false,
  );
  const [toAlice, toBob] = made;
  toAlice?.openChannel();
  toAlice?.dropChannel(); // worked, down now
  toBob?.fail(); // never connected: unreachable, still retried
  // Back on the server: Dave came meanwhile (a new link); Alice's is repaired in the sync.
  mesh.sync(
    [
      { id: A, name: 'Alice' },
      { id: B, name: 'Bob' },
      { id: D, name: 'Dave' },
    ],
    true,
  );
  const toBobAgain = made[2];
  const toDave = made[3];
  assert.equal(toAlice?.restarts, 1, 'repaired by the sync');
  assert.equal(toBob?.closed, true, 'a link that never opened starts over');
  // Then the network comes back ('online'): only what is down and past its first try.
  mesh.retryAll();
  assert.equal(toAlice?.restarts, 2);
  assert.equal(toBobAgain?.restarts, 0, 'a link the sync just made is left to negotiate');
  assert.equal(toDave?.restarts, 0, 'so is a new member’s');
  toDave?.fail();
  mesh.retryAll();
  assert.equal(toDave?.restarts, 1, 'an unreachable link is retried');
});

test('a member that starts new sessions without end gets a few new links, then is cut as a flooder; one that reloads gets its link at once', (t) => {
  let now = 1_000_000;
  t.mock.method(performance, 'now', () => now);
  const { mesh, made } = harness(A);
  mesh.sync(
    [
      { id: B, name: 'Mallory' },
      { id: C, name: 'Carol' },
    ],
    false,
  );
  const linksMade = (run: () => void): number => {
    const before = made.length;
    run();
    return made.length - before;
  };
  // Carol reloads three times in a row, her pages' closes lost: each new session gets its link.
  mesh.signal(offer(C, 'carol-0'));
  for (let i = 1; i <= 3; i++)
    assert.equal(
      linksMade(() => mesh.signal(offer(C, `carol-${i}`))),
      1,
    );
  // Then once every 5 s for a minute: never cut.
  for (let i = 4; i < 16; i++) {
    now += 5_000;
    assert.equal(
      linksMade(() => mesh.signal(offer(C, `carol-${i}`))),
      1,
    );
  }
  assert.equal(mesh.object(C)?.held, false);
  // Mallory's every offer carries another fingerprint: a new RTCPeerConnection each time,
  // and our answers spent on the server's signaling allowance, were it not bounded.
  const forMallory = linksMade(() => {
    for (let i = 0; i < 500; i++) mesh.signal(offer(B, `mallory-${i}`));
  });
  assert.ok(forMallory <= 4, `${forMallory} links made for one member in one burst`);
  assert.equal(mesh.object(B)?.held, true);
  assert.equal(mesh.members().find((m) => m.id === B)?.reason?.code, 'flooding');
  assert.equal(made.at(-1)?.closed, true, 'its last link closed, and none made again');
  now += 60_000;
  assert.equal(
    linksMade(() => mesh.signal(offer(B, 'mallory-later'))),
    0,
  );
});

test('a member dropped on its link’s word while the server still lists it comes back from its next signal under its name', () => {
  const { mesh, made, notices } = harness(C);
  mesh.sync([{ id: A, name: 'Alice' }], false);
  mesh.peerJoined({ id: B, name: 'Bob' });
  mesh.peerRenamed({ id: B, name: 'Robert' });
  mesh.signal(offer(A, 'alice-first'));
  mesh.signal(offer(B, 'bob-first'));
  made[0]?.openChannel();
  made[1]?.openChannel();
  // Their old pages' channels close after their reloads took their ids back (peer:joined,
  // resumed, came first): dropped, though the server lists them.
  made[0]?.options.events.closed();
  made[1]?.deliver({ t: 'bye' });
  assert.equal(mesh.members().length, 0);
  mesh.signal(offer(A, 'alice-reloaded'));
  mesh.signal(offer(B, 'bob-reloaded'));
  assert.deepEqual(
    mesh.members().map((m) => m.name),
    ['Alice', 'Robert'],
  );
  assert.deepEqual(
    notices.map((n) => `${n.kind} ${n.name}`),
    ['joined Bob', 'renamed Robert', 'left Alice', 'left Robert', 'joined Alice', 'joined Robert'],
  );
  // One the server said left is not brought back by a signal of its.
  mesh.peerLeft({ id: A, reason: 'leave' });
  mesh.signal(offer(A, 'alice-again'));
  assert.equal(mesh.members().find((m) => m.id === A)?.name, '…');
});

test('a newcomer given the name of a member silent and off the server: that one is gone, said before the newcomer joins; one still heard stays', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const E = 'eeeeeeeeeeee';
    const { mesh, made, notices } = harness(A);
    mesh.sync(
      [
        { id: B, name: 'Bob' },
        { id: C, name: 'Carol' },
      ],
      false,
    );
    // Bob's browser crashed (link and signaling gone, awaited for the grace); Carol's
    // signaling dropped while her link still carries (P2P outlives the server).
    made[0]?.openChannel();
    made[0]?.dropChannel();
    made[1]?.openChannel();
    mesh.peerLeft({ id: B, reason: 'disconnect' });
    mesh.peerLeft({ id: C, reason: 'disconnect' });
    mesh.peerJoined({ id: D, name: 'Bob' });
    mesh.peerJoined({ id: E, name: 'Carol' });
    const comings = () =>
      notices.flatMap((n) =>
        n.kind === 'left' ? [`${n.id} left ${n.reason}`] : n.kind === 'joined' ? [`${n.id} joined`] : [],
      );
    assert.deepEqual(comings(), [`${B} left ERR_NAME_TAKEN`, `${D} joined`, `${E} joined`]);
    assert.deepEqual(
      mesh
        .members()
        .map((m) => m.id)
        .sort(),
      [C, D, E].sort(),
    );
    mock.timers.tick(60_000);
    assert.deepEqual(comings().slice(3), [], 'nothing more of Bob at the end of his grace');
  } finally {
    mock.timers.reset();
  }
});

test('a member listed at our join was here before us; one announced as joining, or signalling first, came after us', () => {
  const { mesh } = harness(B);
  mesh.sync([{ id: A, name: 'Alice' }], false);
  mesh.peerJoined({ id: C, name: 'Carol' });
  mesh.signal(offer(D, 'before-its-announcement'));
  assert.equal(mesh.member(A)?.cameAfterUs, false);
  assert.equal(mesh.member(C)?.cameAfterUs, true);
  assert.equal(mesh.member(D)?.cameAfterUs, true);
});
