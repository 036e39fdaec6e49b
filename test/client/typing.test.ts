// The typing indicator on both sides: how often we announce, when we stop, how the text
// reads, and a member over the cap (one start per second) being ignored. While we write
// privately, only the member we write to hears we type. An ignored member's typing is not shown.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { createTyping, TYPING_IDLE_MS, TYPING_STALE_MS } from '../../client/features/typing.ts';
import { typingText } from '../../client/view/typing.ts';
import { CHANNEL_RATES, type ChannelMessage } from '../../protocol/index.ts';
import { type FakeMember, manualClock, openMember } from './fake-member.ts';

function harness(t: { after(fn: () => void): void }) {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const clock = manualClock(10_000);
  const peers = [openMember('alice-000001'), openMember('bob-00000001'), openMember('carol-000001')];
  const shown: string[][] = [];
  /** The member we write to privately (private-target.ts), or null. */
  const target: { current: string | null } = { current: null };
  /** The members we ignore (ignored.ts). */
  const ignored = new Set<string>();
  const typing = createTyping({
    members: () => peers,
    audience: () => target.current,
    changed: (list) => shown.push(list.map((m) => m.id)),
    ignored: (peerId) => ignored.has(peerId),
    now: clock.now,
  });
  const advance = (ms: number) => {
    clock.advance(ms);
    mock.timers.tick(ms);
  };
  return { typing, peers, shown, advance, target, ignored };
}

const typingOf = (member: FakeMember): ChannelMessage[] => member.wire.filter((m) => m.t === 'typing');

test('while we type, a start goes out at most once per 2 s, and a stop 5 s after the last key', (t) => {
  const { typing, peers, advance } = harness(t);
  const [alice] = peers;
  assert.ok(alice);
  // Ten seconds of typing, a key every 100 ms.
  for (let i = 0; i < 100; i++) {
    typing.keystroke();
    advance(100);
  }
  assert.deepEqual(
    typingOf(alice).map((m) => m.t === 'typing' && m.active),
    [true, true, true, true, true],
  );
  advance(TYPING_IDLE_MS - 100 - 1);
  assert.equal(typingOf(alice).length, 5, 'no stop before 5 s without a key');
  advance(1);
  assert.deepEqual(typingOf(alice).at(-1), { t: 'typing', active: false });
});

test('sending the message stops at once; typing again right after waits for the cap', (t) => {
  const { typing, peers, advance } = harness(t);
  const [alice] = peers;
  assert.ok(alice);
  typing.keystroke();
  advance(300);
  typing.stop();
  assert.deepEqual(typingOf(alice), [
    { t: 'typing', active: true },
    { t: 'typing', active: false },
  ]);
  typing.keystroke(); // 300 ms after the last start: the receiver would ignore a start now
  assert.equal(typingOf(alice).length, 2);
  advance(1_000);
  typing.keystroke();
  assert.deepEqual(typingOf(alice).at(-1), { t: 'typing', active: true });
});

test('a member shows as typing, and goes on its stop, on its chat line, or when it goes stale', (t) => {
  const { typing, peers, shown, advance } = harness(t);
  const [alice, bob] = peers;
  assert.ok(alice && bob);
  typing.feature.receive(alice, { t: 'typing', active: true });
  typing.feature.receive(bob, { t: 'typing', active: true });
  assert.deepEqual(shown.at(-1), [alice.id, bob.id]);
  typing.feature.receive(alice, { t: 'typing', active: false });
  assert.deepEqual(shown.at(-1), [bob.id]);
  typing.lineFrom(bob);
  assert.deepEqual(shown.at(-1), []);
  advance(1_000);
  typing.feature.receive(alice, { t: 'typing', active: true });
  assert.deepEqual(shown.at(-1), [alice.id]);
  advance(TYPING_STALE_MS);
  assert.deepEqual(shown.at(-1), [], 'a start whose stop was lost expires');
});

test('a member flooding starts is obeyed once per second, and stops cost nothing', (t) => {
  const { typing, peers, shown, advance } = harness(t);
  const [alice] = peers;
  assert.ok(alice);
  let obeyed = 0;
  for (let i = 0; i < 1_000; i++) {
    const before = shown.length;
    typing.feature.receive(alice, { t: 'typing', active: true });
    if (shown.length > before) obeyed++;
    typing.feature.receive(alice, { t: 'typing', active: false });
    advance(5);
  }
  // 5 seconds of flood: one start per second at most.
  assert.ok(obeyed <= 5, `obeyed ${obeyed} starts in 5 s`);
  assert.ok(obeyed >= 4, `still heard about once a second (${obeyed})`);
});

test('a member that leaves stops typing', (t) => {
  const { typing, peers, shown } = harness(t);
  const [alice] = peers;
  assert.ok(alice);
  typing.feature.receive(alice, { t: 'typing', active: true });
  assert.equal(typing.anyoneTyping(), true);
  typing.feature.removed?.(alice, 'ERR_PEER_LEFT');
  assert.deepEqual(shown.at(-1), []);
  assert.deepEqual(typing.typing(), []);
  assert.equal(typing.anyoneTyping(), false);
});

test('an ignored member typing is not shown; stopping ignoring shows it at once, ignoring hides it', (t) => {
  const { typing, peers, shown, ignored } = harness(t);
  const [alice, bob] = peers;
  assert.ok(alice && bob);
  ignored.add(alice.id);
  typing.feature.receive(alice, { t: 'typing', active: true });
  assert.deepEqual(shown, [], 'her start changes nothing shown');
  assert.equal(typing.anyoneTyping(), false, 'nor has our transfers step back (files feature)');
  typing.feature.receive(bob, { t: 'typing', active: true });
  assert.equal(typing.anyoneTyping(), true);
  assert.deepEqual(shown.at(-1), [bob.id]);
  assert.deepEqual(
    typing.typing(),
    [bob.id].map((id) => peers.find((p) => p.id === id)),
  );
  ignored.delete(alice.id);
  typing.ignoredChanged();
  assert.deepEqual(shown.at(-1), [alice.id, bob.id]);
  ignored.add(alice.id);
  typing.ignoredChanged();
  assert.deepEqual(shown.at(-1), [bob.id]);
  const before = shown.length;
  typing.feature.receive(alice, { t: 'typing', active: false });
  assert.equal(shown.length, before, 'nor her stop');
});

const said = (member: FakeMember): boolean[] => typingOf(member).map((m) => m.t === 'typing' && m.active);

test('while we write privately, only the member we write to hears we type, and stop', (t) => {
  const { typing, peers, advance, target } = harness(t);
  const [alice, bob, carol] = peers;
  assert.ok(alice && bob && carol);
  target.current = bob.id;
  for (let i = 0; i < 30; i++) {
    typing.keystroke();
    advance(100);
  }
  // A link that opens meanwhile: told only if it is Bob's.
  typing.feature.opened?.(alice);
  typing.stop();
  assert.deepEqual(said(bob), [true, true, false]);
  assert.deepEqual(typingOf(alice), []);
  assert.deepEqual(typingOf(carol), []);
});

test('choosing or changing whom we write to while typing stops those no longer written to', (t) => {
  const { typing, peers, advance, target } = harness(t);
  const [alice, bob, carol] = peers;
  assert.ok(alice && bob && carol);
  typing.keystroke(); // to everyone
  advance(500);
  target.current = bob.id; // private mode on, mid-typing
  typing.keystroke();
  assert.deepEqual(said(alice), [true, false]);
  assert.deepEqual(said(carol), [true, false]);
  assert.deepEqual(said(bob), [true], 'Bob is still written to: no stop');
  advance(2_000);
  typing.keystroke(); // the refresh: Bob alone
  assert.deepEqual(said(bob), [true, true]);
  assert.deepEqual(said(alice), [true, false]);
  target.current = carol.id; // to Carol now: she hears it at once, not at the next refresh
  typing.keystroke();
  assert.deepEqual(said(bob), [true, true, false]);
  assert.deepEqual(said(carol), [true, false, true]);
  typing.keystroke();
  assert.deepEqual(said(carol), [true, false, true], 'one start, then the refresh as ever');
  advance(2_000);
  typing.keystroke();
  assert.deepEqual(said(carol), [true, false, true, true]);
  assert.deepEqual(said(alice), [true, false]);
  target.current = null; // private mode off: everyone again, at once
  typing.keystroke();
  assert.deepEqual(said(carol), [true, false, true, true], 'Carol is still written to: no stop, no second start');
  assert.deepEqual(said(alice), [true, false, true]);
  advance(2_000);
  typing.keystroke();
  typing.stop();
  for (const member of [alice, bob, carol]) assert.deepEqual(said(member).slice(-2), [true, false]);
});

test('changing whom we write to stops those no longer written to at once, without another keystroke', (t) => {
  const { typing, peers, target } = harness(t);
  const [alice, bob, carol] = peers;
  assert.ok(alice && bob && carol);
  typing.keystroke(); // to everyone
  target.current = bob.id;
  typing.audienceChanged();
  assert.deepEqual(said(alice), [true, false]);
  assert.deepEqual(said(carol), [true, false]);
  assert.deepEqual(said(bob), [true]);
});

test('the indicator names one or two, and says "several" for more', () => {
  assert.equal(typingText([]), '');
  assert.equal(typingText(['Alice']), 'Alice is typing…');
  assert.equal(typingText(['Alice', 'Bob']), 'Alice and Bob are typing…');
  assert.equal(typingText(['Alice', 'Bob', 'Carol']), 'Several people are typing…');
});

test('a member whose link went quiet gets no starts or stops meanwhile (they would reach it all at once, past its budget); it hears we type once its link opens again', (t) => {
  const { typing, peers, advance } = harness(t);
  const [alice, bob] = peers;
  assert.ok(alice && bob);
  // Bob's link is silent (his network dropped): its channel still takes what we send, and
  // holds it until the link is back.
  Object.defineProperty(bob, 'open', { get: () => false });
  // Twenty lines written through the dead spot, a little over a second apart.
  for (let line = 0; line < 20; line++) {
    typing.keystroke();
    advance(1_200);
    typing.stop();
  }
  assert.ok(typingOf(alice).length > CHANNEL_RATES.typing.burst, 'more than the budget takes at once');
  assert.deepEqual(typingOf(bob), []);
  typing.keystroke();
  Object.defineProperty(bob, 'open', { get: () => true });
  typing.feature.opened?.(bob);
  assert.deepEqual(typingOf(bob), [{ t: 'typing', active: true }]);
});
