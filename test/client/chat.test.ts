// The chat feature on its own, against a stand-in member: nothing typed is lost while a
// channel opens, reopens or is full, duplicates are dropped by (author, id), acks free the
// outbox, lines are signed and checked, a private line goes to its one recipient only, and a
// burst goes out within the chat budget the receiver holds us to.
import assert from 'node:assert/strict';
import { afterEach, mock, test } from 'node:test';
import { createBudget, MUTE_MS } from '../../client/budget.ts';
import {
  type ChatLine,
  createChat,
  DIRECT_RESEND_FIRST_MS,
  RESEND_FIRST_MS,
  RESEND_MAX_MS,
} from '../../client/features/chat.ts';
import { createTranscript } from '../../client/features/transcript.ts';
import { createIdentity, type Identity, verifyLine } from '../../client/identity.ts';
import {
  CHANNEL_RATES,
  type ChannelMessage,
  encodeChannelMessage,
  MAX_HISTORY_LINES,
  MAX_TIMESTAMP_MS,
  type MessageOf,
} from '../../protocol/index.ts';
import { type FakeMember, fakeMember } from './fake-member.ts';

const SELF = 'me-000000001';

/**
 * Every harness's chat and members, ended after each test: a line never acknowledged keeps
 * a resend timer (on a direct channel too), which would keep the test process alive.
 */
const harnesses: { chat: ReturnType<typeof createChat>; peers: FakeMember[] }[] = [];
afterEach(() => {
  for (const { chat, peers } of harnesses.splice(0)) {
    for (const peer of peers) if (!peer.disposed) chat.feature.removed?.(peer, 'ERR_PAGE_CLOSED');
  }
});

function harness(peers: FakeMember[] = [fakeMember('peer-0000001')], now?: () => number) {
  const shown: ChatLine[] = [];
  const transcript = createTranscript();
  const identity = createIdentity();
  const chat = createChat({
    ...(now ? { now } : {}),
    selfId: () => SELF,
    selfName: () => 'Me',
    members: () => peers,
    display: (line) => shown.push(line),
    identity,
    transcript,
  });
  for (const peer of peers) chat.feature.added?.(peer);
  harnesses.push({ chat, peers });
  const peer = peers[0] as FakeMember;
  return { chat, peer, peers, shown, transcript, identity };
}

/** A member with a signing key of its own, and a way to write lines as it. */
async function author(id: string): Promise<{ member: FakeMember; identity: Identity; line: LineWriter }> {
  const identity = createIdentity();
  const member = fakeMember(id, await identity.publicKey());
  const line: LineWriter = async (text, extra = {}) => {
    const body = {
      id: extra.id ?? `line-${String(++lineCount).padStart(12, '0')}`,
      ts: extra.ts ?? 1_700_000_000_000,
      text,
    };
    const to = extra.to;
    const sig = await identity.sign({ from: id, ...body, to });
    return { t: 'chat', ...body, ...(to ? { to } : {}), ...(sig ? { sig } : {}) };
  };
  return { member, identity, line };
}
let lineCount = 0;
type LineWriter = (text: string, extra?: { id?: string; ts?: number; to?: string }) => Promise<MessageOf<'chat'>>;

/** Sends a line through a relay (mock timers on) and lets it go unacknowledged until the resend wait is RESEND_MAX_MS. */
async function unacknowledgedUntilTheLongestWait(chat: ReturnType<typeof harness>['chat'], text: string) {
  const line = chat.send(text);
  mock.timers.tick(0);
  await chat.idle();
  let elapsed = 0;
  for (let wait = RESEND_FIRST_MS; wait < RESEND_MAX_MS; wait *= 2) elapsed += wait;
  mock.timers.tick(elapsed);
  return line;
}

const texts = (wire: ChannelMessage[]) => wire.flatMap((message) => (message.t === 'chat' ? [message.text] : []));

test('a message written before the channel opens is delivered when it opens', async () => {
  const { chat, peer } = harness();
  chat.send('first');
  chat.send('second');
  await chat.idle();
  assert.deepEqual(peer.wire, []);
  peer.isOpen = true;
  chat.feature.opened?.(peer);
  assert.deepEqual(texts(peer.wire), ['first', 'second']);
});

test('a line keeps its first row’s indentation (pasted code); blank rows before it and white space after it go; white space alone is not sent', async () => {
  const { chat, peer } = harness();
  peer.isOpen = true;
  chat.feature.opened?.(peer);
  chat.send('    def f(x):\n        return x * 2\n\n');
  chat.send('\n \n\t  hi  \n');
  assert.equal(chat.send(' \n\t \n '), null);
  await chat.idle();
  assert.deepEqual(texts(peer.wire), ['    def f(x):\n        return x * 2', '\t  hi']);
});

test('unacknowledged messages are sent again on a new channel; acknowledged ones are not', async () => {
  const { chat, peer } = harness();
  peer.isOpen = true;
  chat.feature.opened?.(peer);
  chat.send('a');
  chat.send('b');
  await chat.idle();
  const first = peer.wire[0];
  assert.ok(first?.t === 'chat');
  chat.feature.receive(peer, { t: 'ack', ids: [first.id] });
  assert.equal(chat.pending(peer), 1);
  peer.wire.length = 0;
  chat.feature.opened?.(peer); // e.g. a replaced link after the peer reloaded
  assert.deepEqual(texts(peer.wire), ['b']);
});

test('a deleted line of ours is not sent again: not on a channel that reopens, nor to a member back under its id', async () => {
  const away = fakeMember('away-0000001');
  const { chat, peer } = harness([fakeMember('peer-0000001'), away]);
  peer.isOpen = true;
  chat.feature.opened?.(peer);
  const gone = chat.send('sent to the wrong room');
  chat.send('kept');
  await chat.idle();
  assert.deepEqual(texts(peer.wire), ['sent to the wrong room', 'kept']);
  chat.feature.removed?.(away, 'ERR_PEER_LEFT');
  chat.withdraw(gone?.id ?? '');
  peer.wire.length = 0;
  chat.feature.opened?.(peer);
  assert.deepEqual(texts(peer.wire), ['kept']);
  assert.equal(chat.pending(peer), 1);
  // Back under the same id: what it went without goes, but not the deleted line.
  const back = fakeMember('away-0000001', null, true);
  chat.feature.added?.(back);
  chat.feature.opened?.(back);
  assert.deepEqual(texts(back.wire), ['kept']);
  chat.feature.removed?.(back, 'ERR_PAGE_CLOSED');
});

test('a full channel keeps the rest queued, in order, until it drains', async () => {
  const { chat, peer } = harness();
  chat.send('1');
  chat.send('2');
  chat.send('3');
  await chat.idle();
  peer.isOpen = true;
  chat.feature.drained?.(peer);
  assert.deepEqual(texts(peer.wire), ['1', '2', '3']);
});

test('our lines go out as written, are drawn after, and their signatures follow; a resend carries its signature', async () => {
  const { chat, peer, identity, shown } = harness();
  peer.isOpen = true;
  chat.send('one');
  chat.send('two');
  // On the channel within the writing task: nothing waits for WebCrypto or for our page.
  assert.deepEqual(texts(peer.wire), ['one', 'two']);
  assert.equal(shown.length, 0, 'drawn in a later task, not in the one that sends');
  const [a, b] = peer.wire;
  assert.ok(a?.t === 'chat' && b?.t === 'chat');
  assert.ok(a.sig === undefined && b.sig === undefined, 'no signature yet');
  assert.ok(b.ts > a.ts, 'sender time orders our lines');
  await chat.idle();
  assert.deepEqual(
    shown.map((line) => [line.text, line.own]),
    [
      ['one', true],
      ['two', true],
    ],
    'then drawn, in order',
  );
  const sigs = peer.wire.slice(2);
  assert.deepEqual(
    sigs.map((m) => (m.t === 'chat:sig' ? m.id : m.t)),
    [a.id, b.id],
    'each signature follows, in order',
  );
  const key = await identity.publicKey();
  assert.ok(key);
  for (const [line, sig] of [
    [a, sigs[0]],
    [b, sigs[1]],
  ] as const) {
    assert.ok(sig?.t === 'chat:sig');
    const { id, ts, text } = line;
    assert.equal(await verifyLine(key, sig.sig, { from: SELF, id, ts, text }), true, 'over author, id, time, text');
  }
  // Not acknowledged (the receiver waits for the signature too): sent again, signed inline.
  peer.wire.length = 0;
  chat.feature.opened?.(peer);
  assert.deepEqual(
    peer.wire.map((m) => (m.t === 'chat' ? [m.text, typeof m.sig] : m.t)),
    [
      ['one', 'string'],
      ['two', 'string'],
    ],
  );
});

test('nothing unsigned goes through a relay: a relayed member gets the line once it is signed', async (t) => {
  const { chat, peer } = harness();
  t.after(() => chat.feature.removed?.(peer, 'ERR_PAGE_CLOSED')); // its resend timer
  peer.isOpen = true;
  peer.relayed = true;
  chat.send('through carol');
  assert.equal(peer.wire.length, 0, 'waits for its signature');
  await chat.idle();
  assert.equal(peer.wire.length, 1, 'the line alone: its signature is inside');
  const [line] = peer.wire;
  assert.ok(line?.t === 'chat' && line.text === 'through carol' && typeof line.sig === 'string');
});

test('through a relay an unacknowledged line goes again, later each time, until acknowledged; on a direct channel acknowledged, never', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const relayed = fakeMember('peer-0000001', null, true);
  relayed.relayed = true;
  const direct = fakeMember('peer-0000002', null, true);
  const { chat } = harness([relayed, direct]);
  try {
    const line = chat.send('are you there?');
    assert.ok(line);
    mock.timers.tick(0); // drawn and signed in the next task
    await chat.idle();
    const copies = (member: FakeMember) => texts(member.wire).length;
    assert.deepEqual([copies(relayed), copies(direct)], [1, 1]);
    chat.feature.receive(direct, { t: 'ack', ids: [line.id] });
    // The relay may have dropped it: nothing else would tell.
    mock.timers.tick(RESEND_FIRST_MS - 1);
    assert.equal(copies(relayed), 1);
    mock.timers.tick(1);
    assert.equal(copies(relayed), 2, 'again after RESEND_FIRST_MS');
    mock.timers.tick(2 * RESEND_FIRST_MS - 1);
    assert.equal(copies(relayed), 2);
    mock.timers.tick(1);
    assert.equal(copies(relayed), 3, 'then after twice as long');
    chat.feature.receive(relayed, { t: 'ack', ids: [line.id] });
    mock.timers.tick(4 * RESEND_MAX_MS);
    assert.deepEqual([copies(relayed), copies(direct)], [3, 1], 'acknowledged: no more; direct: once');
  } finally {
    chat.feature.removed?.(relayed, 'ERR_PAGE_CLOSED');
    mock.timers.reset();
  }
});

test('on a direct channel a line the receiver dropped (it held us muted) goes again once the mute is surely over, until acknowledged', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { chat, peer } = harness();
  peer.isOpen = true;
  try {
    const line = chat.send('through the dead spot');
    assert.ok(line);
    mock.timers.tick(0);
    await chat.idle();
    const copies = () => texts(peer.wire).length;
    assert.equal(copies(), 1);
    // The receiver dropped it (muted us: budget.ts), the channel open all along.
    mock.timers.tick(DIRECT_RESEND_FIRST_MS - 1);
    assert.equal(copies(), 1, 'not within a mute');
    assert.ok(DIRECT_RESEND_FIRST_MS > MUTE_MS);
    mock.timers.tick(1);
    assert.equal(copies(), 2, 'again after DIRECT_RESEND_FIRST_MS');
    mock.timers.tick(2 * DIRECT_RESEND_FIRST_MS);
    assert.equal(copies(), 3, 'then after twice as long');
    chat.feature.receive(peer, { t: 'ack', ids: [line.id] });
    mock.timers.tick(4 * RESEND_MAX_MS);
    assert.equal(copies(), 3, 'acknowledged: no more');
  } finally {
    mock.timers.reset();
  }
});

test('a relayed member’s wait for a resend starts over once a line is acknowledged, and never passes RESEND_MAX_MS', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { chat, peer } = harness();
  peer.isOpen = true;
  peer.relayed = true;
  try {
    // Unacknowledged for long: the resends come RESEND_MAX_MS apart at most.
    const first = await unacknowledgedUntilTheLongestWait(chat, 'one');
    const before = texts(peer.wire).length;
    mock.timers.tick(RESEND_MAX_MS);
    assert.equal(texts(peer.wire).length, before + 1);
    // A second line, and the first acknowledged: the relay delivers, so the wait is short again.
    chat.send('two');
    mock.timers.tick(0);
    await chat.idle();
    assert.ok(first);
    chat.feature.receive(peer, { t: 'ack', ids: [first.id] });
    const sent = texts(peer.wire).length;
    mock.timers.tick(RESEND_MAX_MS); // the timer set before: it finds the line acknowledged
    assert.equal(texts(peer.wire).length, sent);
    mock.timers.tick(RESEND_FIRST_MS);
    assert.equal(texts(peer.wire).length, sent + 1, 'the second line went again, RESEND_FIRST_MS later');
    assert.equal(texts(peer.wire).filter((text) => text === 'one').length, before + 1, 'not the first');
  } finally {
    chat.feature.removed?.(peer, 'ERR_PAGE_CLOSED');
    mock.timers.reset();
  }
});

test('a line our page failed to show still goes signed, and the lines after it still reach a relayed member', async (t) => {
  const peer = fakeMember('peer-0000001');
  t.after(() => chat.feature.removed?.(peer, 'ERR_PAGE_CLOSED')); // its resend timer
  peer.isOpen = true;
  peer.relayed = true;
  let failures = 1;
  const errors = t.mock.method(console, 'error', () => {});
  const chat = createChat({
    selfId: () => SELF,
    selfName: () => 'Me',
    members: () => [peer],
    display: () => {
      if (failures-- > 0) throw new Error('the view broke');
    },
    identity: createIdentity(),
    transcript: createTranscript(),
  });
  chat.feature.added?.(peer);
  chat.send('first');
  chat.send('second');
  await chat.idle();
  assert.deepEqual(
    peer.wire.map((m) => (m.t === 'chat' ? `${m.text}:${typeof m.sig}` : m.t)),
    ['first:string', 'second:string'],
  );
  assert.equal(errors.mock.callCount(), 1);
});

test('a duplicate is acknowledged again but shown once; acks travel together', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { chat, peer, shown } = harness();
    peer.isOpen = true;
    const message = { t: 'chat', id: 'abcdefghijklmnopqrstu', ts: 1, text: 'hi' } as const;
    const other = { t: 'chat', id: 'bcdefghijklmnopqrstuv', ts: 2, text: 'there' } as const;
    chat.feature.receive(peer, message);
    chat.feature.receive(peer, message);
    chat.feature.receive(peer, other);
    mock.timers.tick(0); // the signature checks start in a task after the lines' own
    await chat.idle();
    assert.deepEqual(
      shown.map((l) => l.text),
      ['hi', 'there'],
    );
    assert.equal(peer.wire.length, 0, 'acks wait a moment');
    mock.timers.tick(100);
    assert.deepEqual(peer.wire, [{ t: 'ack', ids: [message.id, message.id, other.id] }]);
  } finally {
    mock.timers.reset();
  }
});

test('the same message id from two authors is two lines: dedup is by (author, id)', async () => {
  const bob = await author('bob-00000001');
  const mallory = await author('mallory-0001');
  const { chat, shown } = harness([bob.member, mallory.member]);
  const id = 'shared-id-000000001';
  chat.feature.receive(mallory.member, await mallory.line('mallory says', { id }));
  chat.feature.receive(bob.member, await bob.line('bob says', { id }));
  await chat.idle();
  assert.deepEqual(
    shown.map((l) => `${l.from}: ${l.text}`),
    ['mallory-0001: mallory says', 'bob-00000001: bob says'],
  );
});

test('on its author’s link a line shows at once; one whose signature does not fit is not kept for newcomers', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const bob = await author('bob-00000001');
    bob.member.isOpen = true;
    const { chat, shown, transcript } = harness([bob.member]);
    // Times within the skew the transcript believes (transcript.ts, keptAt), one after the
    // other: a time long past would count as written when kept, and the two lines' order
    // would then be the order their checks ended in.
    const good = await bob.line('original', { ts: Date.now() - 2_000 });
    const late = await bob.line('signed after', { ts: Date.now() - 1_000 });
    const unsigned = (line: MessageOf<'chat'>, id = line.id) => ({ ...line, id, sig: undefined }) as MessageOf<'chat'>;
    chat.feature.receive(bob.member, { ...good, id: 'altered-id-000000001', text: 'altered' }, 'direct');
    chat.feature.receive(bob.member, unsigned(good, 'unsigned-id-00000001'));
    chat.feature.receive(bob.member, good, 'direct');
    chat.feature.receive(bob.member, good, 'direct');
    chat.feature.receive(bob.member, unsigned(late), 'direct');
    // Shown within the receiving task: no check stands between the link and the page.
    assert.deepEqual(
      shown.map((l) => l.text),
      ['altered', 'original', 'original', 'signed after'],
      'the altered line, the unsigned copy, the original, the unsigned line; the resend dropped',
    );
    assert.deepEqual(transcript.recent(), [], 'checked in a task of its own, after the lines');
    // The signatures of the two unsigned lines follow: one fits, one was made for another id.
    // One for a line never sent changes nothing.
    chat.feature.receive(bob.member, { t: 'chat:sig', id: late.id, sig: late.sig ?? '' });
    chat.feature.receive(bob.member, { t: 'chat:sig', id: 'unsigned-id-00000001', sig: good.sig ?? '' });
    chat.feature.receive(bob.member, { t: 'chat:sig', id: 'never-sent-id-000001', sig: good.sig ?? '' });
    mock.timers.tick(0);
    await chat.idle();
    assert.deepEqual(
      transcript.recent().map((l) => [l.id, l.text]),
      [
        [good.id, 'original'],
        [late.id, 'signed after'],
      ],
      'only the lines whose signatures fit go to newcomers',
    );
    mock.timers.tick(100);
    const acks = bob.member.wire.flatMap((m) => (m.t === 'ack' ? m.ids : []));
    assert.deepEqual(
      acks,
      ['altered-id-000000001', good.id, good.id, late.id, 'unsigned-id-00000001'],
      'every copy acked; an unsigned line once its signature came',
    );
  } finally {
    mock.timers.reset();
  }
});

test('a line whose signature never comes stays unacknowledged until a signed copy arrives', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const bob = await author('bob-00000001');
    bob.member.isOpen = true;
    const { chat, shown, transcript } = harness([bob.member]);
    const line = await bob.line('lost signature');
    chat.feature.receive(bob.member, { ...line, sig: undefined } as MessageOf<'chat'>, 'direct');
    mock.timers.tick(100);
    assert.deepEqual(bob.member.wire, [], 'no ack: the sender keeps it and sends it again');
    // The channel came back: the sender's resend carries the signature.
    chat.feature.receive(bob.member, line, 'direct');
    mock.timers.tick(0);
    await chat.idle();
    mock.timers.tick(100);
    assert.deepEqual(
      shown.map((l) => l.text),
      ['lost signature'],
    );
    assert.deepEqual(
      transcript.recent().map((l) => l.text),
      ['lost signature'],
    );
    assert.deepEqual(bob.member.wire, [{ t: 'ack', ids: [line.id] }]);
  } finally {
    mock.timers.reset();
  }
});

test('a member that never signs cannot make us hold its lines: past the cap the oldest is acked unsigned', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const bob = await author('bob-00000001');
    bob.member.isOpen = true;
    const { chat, shown } = harness([bob.member]);
    // 4,000 characters a line: the characters' cap (400,000) comes after 100 lines.
    const long = 'x'.repeat(4_000);
    const ids = Array.from({ length: 101 }, (_, i) => `unsigned-long-${String(i).padStart(6, '0')}`);
    for (const id of ids) chat.feature.receive(bob.member, { t: 'chat', id, ts: 1, text: long }, 'direct');
    assert.equal(shown.length, 101, 'every line is shown');
    mock.timers.tick(100);
    const acked = bob.member.wire.flatMap((m) => (m.t === 'ack' ? m.ids : []));
    assert.deepEqual(acked, [ids[0]], 'the oldest let go, acked');
    // Short lines: the count's cap (2,500).
    bob.member.wire.length = 0;
    for (let i = 0; i < 2_500; i++)
      chat.feature.receive(
        bob.member,
        { t: 'chat', id: `unsigned-short-${String(i).padStart(6, '0')}`, ts: 1, text: 's' },
        'direct',
      );
    mock.timers.tick(100);
    const more = bob.member.wire.flatMap((m) => (m.t === 'ack' ? m.ids : []));
    assert.deepEqual(more, ids.slice(1), 'the long lines waiting go first, oldest first');
  } finally {
    mock.timers.reset();
  }
});

test('through a relay a line shows only if its signature fits, in the order lines came', async () => {
  const bob = await author('bob-00000001');
  const { chat, shown, transcript } = harness([bob.member]);
  const good = await bob.line('original');
  const after = await bob.line('direct, after');
  chat.feature.receive(bob.member, { ...good, id: 'altered-id-000000002', text: 'altered' }, 'relayed');
  chat.feature.receive(
    bob.member,
    { ...good, id: 'unsigned-id-00000002', sig: undefined } as MessageOf<'chat'>,
    'relayed',
  );
  chat.feature.receive(bob.member, good, 'relayed');
  // A direct line behind relayed ones still being checked waits its turn.
  chat.feature.receive(bob.member, after, 'direct');
  assert.equal(shown.length, 0, 'nothing before the checks');
  await chat.idle();
  assert.deepEqual(
    shown.map((l) => l.text),
    ['original', 'direct, after'],
  );
  assert.deepEqual(
    transcript.recent().map((l) => l.text),
    ['original', 'direct, after'],
  );
});

test('relayed lines keep arrival order although their checks finish in any order', async () => {
  const bob = await author('bob-00000001');
  const { chat, shown } = harness([bob.member]);
  const lines = await Promise.all(Array.from({ length: 50 }, (_, i) => bob.line(`n${i}`, { ts: 1_000 + i })));
  for (const line of lines) chat.feature.receive(bob.member, line, 'relayed');
  await chat.idle();
  assert.deepEqual(
    shown.map((l) => l.text),
    lines.map((l) => l.text),
  );
});

test('a private line goes only to its recipient, is marked on both sides and never kept for history', async () => {
  const bob = fakeMember('bob-00000001');
  const carol = fakeMember('carol-000001');
  bob.isOpen = true;
  carol.isOpen = true;
  const { chat, shown, transcript } = harness([bob, carol]);
  const line = chat.send('just for bob', bob.id);
  await chat.idle();
  assert.equal(line?.privateTo, bob.id);
  assert.deepEqual(texts(bob.wire), ['just for bob']);
  assert.equal((bob.wire[0] as MessageOf<'chat'>).to, bob.id);
  assert.deepEqual(texts(carol.wire), []);
  assert.equal(transcript.recent().length, 0);
  assert.equal(shown.length, 1);
  assert.equal(chat.send('to nobody', 'gone-0000001'), null);

  const alice = await author('alice-000001');
  const received = harness([alice.member]);
  received.chat.feature.receive(alice.member, await alice.line('psst', { to: SELF }));
  received.chat.feature.receive(alice.member, await alice.line('not for me', { to: 'carol-000001' }));
  await received.chat.idle();
  assert.deepEqual(
    received.shown.map((l) => [l.text, l.privateFrom]),
    [['psst', alice.member.id]],
  );
  assert.equal(received.transcript.recent().length, 0);
});

test('public lines are kept for newcomers with their signatures, ours included', async () => {
  const bob = await author('bob-00000001');
  const { chat, transcript } = harness([bob.member]);
  chat.send('mine');
  // Written a minute before ours (a clock further off counts as when the line came).
  chat.feature.receive(bob.member, await bob.line('his', { ts: Date.now() - 60_000 }));
  await chat.idle();
  const kept = transcript.recent();
  assert.deepEqual(
    kept.map((l) => [l.from, l.text, Boolean(l.sig)]),
    [
      ['bob-00000001', 'his', true],
      [SELF, 'mine', true],
    ],
  );
});

test('a member’s lines signed with far-future times do not shut everyone else out of what newcomers get', async () => {
  const mallory = await author('mallory-0001');
  const bob = await author('bob-00000001');
  const { chat, transcript } = harness([mallory.member, bob.member]);
  const lines = await Promise.all(
    Array.from({ length: MAX_HISTORY_LINES }, (_, i) => mallory.line(`future ${i}`, { ts: MAX_TIMESTAMP_MS - i })),
  );
  for (const line of lines) chat.feature.receive(mallory.member, line);
  await chat.idle();
  assert.equal(transcript.recent().length, MAX_HISTORY_LINES);
  await new Promise((resolve) => setTimeout(resolve, 5)); // written after they came, not in the same ms
  chat.feature.receive(bob.member, await bob.line('honest', { ts: Date.now() }));
  chat.send('mine too');
  await chat.idle();
  assert.deepEqual(
    transcript
      .recent()
      .slice(-2)
      .map((l) => l.text)
      .sort(),
    ['honest', 'mine too'],
    'the newest kept, handed to the next newcomer',
  );
});

test('a burst over the receiver’s chat budget waits here, and every line gets through unmuted', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    let ms = 0;
    const { chat, peer } = harness([fakeMember('peer-0000001')], () => ms);
    peer.isOpen = true;
    // What the receiving page holds us to, on the same clock (budget.ts).
    const budget = createBudget(CHANNEL_RATES, () => ms);
    const count = 3_000; // over the chat burst in lines, and far over it in characters
    for (let i = 0; i < count; i++) chat.send(`burst line ${i}`);
    mock.timers.tick(0); // each line is drawn and signed in a task after its sending
    await chat.idle();
    const verdicts = new Map<string, number>();
    const arrived: string[] = [];
    const receive = () => {
      for (const message of peer.wire.splice(0)) {
        if (message.t !== 'chat') continue;
        const verdict = budget.admit('chat', encodeChannelMessage(message).length);
        verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
        arrived.push(message.text);
        // Acknowledged as a page does: a line never acknowledged would go again.
        chat.feature.receive(peer, { t: 'ack', ids: [message.id] });
      }
    };
    receive();
    assert.ok(arrived.length < count, 'not all at once: that is over the budget');
    for (let step = 0; step < 2_000 && arrived.length < count; step++) {
      ms += 50;
      mock.timers.tick(50);
      receive();
    }
    assert.deepEqual([...verdicts], [['pass', count]]);
    assert.deepEqual(
      arrived,
      Array.from({ length: count }, (_, i) => `burst line ${i}`),
    );
  } finally {
    mock.timers.reset();
  }
});

test('empty and oversized messages are not sent', () => {
  const { chat } = harness();
  assert.equal(chat.send('   '), null);
  assert.equal(chat.send('x'.repeat(4001)), null);
});

test('a member this page shut out (held, no room key) is sent nothing and is no recipient; one shut later loses what waited for it', async () => {
  const [open, shut, later] = [fakeMember('peer-0000001'), fakeMember('peer-0000002'), fakeMember('peer-0000003')];
  shut.shut = true;
  const { chat } = harness([open, shut, later]);
  for (const member of [open, shut]) {
    member.isOpen = true;
    chat.feature.opened?.(member);
  }
  const line = chat.send('hello');
  assert.deepEqual(line?.sentTo, [open.id, later.id], 'the shut member is not a recipient');
  assert.equal(chat.send('just you', shut.id), null, 'nor can a private line go to it');
  await chat.idle();
  assert.deepEqual(texts(shut.wire), []);
  // `later` had the line waiting (its channel not open) when it was shut: it goes nowhere.
  later.shut = true;
  chat.feature.shut?.(later);
  later.isOpen = true;
  chat.feature.opened?.(later);
  assert.deepEqual(texts(later.wire), []);
});

test('lines a member left without acknowledging go to it when it comes back under the same id (a reload, its network back past the return grace), private ones too', async () => {
  const bob = fakeMember('peer-0000001');
  const { chat, peers } = harness([bob]);
  chat.send('for bob', bob.id);
  chat.send('for everyone');
  await chat.idle();
  // Bob's tab reloads: the channel was down, the member object goes.
  chat.feature.removed?.(bob, 'ERR_CHANNEL_CLOSED');
  const back = fakeMember(bob.id);
  peers.splice(0, 1, back);
  chat.feature.added?.(back);
  back.isOpen = true;
  chat.feature.opened?.(back);
  // A page whose network was gone never dropped us, so it does not ask for history again.
  assert.deepEqual(texts(back.wire), ['for bob', 'for everyone']);
  // Not for a member that went for good on our side (we took a new peer id).
  const carol = fakeMember('peer-0000002');
  peers.push(carol);
  chat.feature.added?.(carol);
  chat.send('for carol', carol.id);
  await chat.idle();
  chat.feature.removed?.(carol, 'ERR_SELF_RESET');
  const carolBack = fakeMember(carol.id, null, true);
  chat.feature.added?.(carolBack);
  chat.feature.opened?.(carolBack);
  assert.deepEqual(texts(carolBack.wire), []);
});

test('after a spell on the direct link, a line a relay drops is sent again RESEND_FIRST_MS later, not at the wait an earlier relay had doubled', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const peer = fakeMember('peer-0000001', null, true);
  const { chat } = harness([peer]);
  peer.relayed = true;
  try {
    const first = await unacknowledgedUntilTheLongestWait(chat, 'one');
    // The direct link is back: the line goes on it and is acknowledged there.
    peer.relayed = false;
    chat.feature.opened?.(peer);
    assert.ok(first);
    chat.feature.receive(peer, { t: 'ack', ids: [first.id] });
    mock.timers.tick(RESEND_MAX_MS); // the old timer fires and finds the member direct
    // Reached through a relay again; the new line is dropped by the relay.
    peer.relayed = true;
    chat.feature.opened?.(peer);
    chat.send('two');
    mock.timers.tick(0);
    await chat.idle();
    const sent = texts(peer.wire).filter((t) => t === 'two').length;
    mock.timers.tick(RESEND_FIRST_MS);
    assert.equal(texts(peer.wire).filter((t) => t === 'two').length, sent + 1, 'resent RESEND_FIRST_MS later');
  } finally {
    chat.feature.removed?.(peer, 'ERR_PAGE_CLOSED');
    mock.timers.reset();
  }
});
