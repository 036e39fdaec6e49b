// Replies on the wire and in the chat feature: a line may carry the line it answers (`re`),
// parsed strictly, signed with the line (nobody can forge a reply or move it to another
// line), carried for newcomers, and left out for a member whose hello said an older version,
// which gets the line readable without it.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { checkLine } from '../../client/features/authors.ts';
import { type ChatLine, createChat } from '../../client/features/chat.ts';
import { historyChunks } from '../../client/features/history-answer.ts';
import { createTranscript, type KeptLine } from '../../client/features/transcript.ts';
import { createIdentity, verifyLine } from '../../client/identity.ts';
import {
  MAX_REPLY_EXCERPT_LENGTH,
  type MessageOf,
  parseChannelMessage,
  REPLY_VERSION,
  type ReplyRef,
} from '../../protocol/index.ts';
import { type FakeMember, fakeMember } from './fake-member.ts';

const SELF = 'me-000000001';
const re: ReplyRef = { from: 'bob-00000001', id: 'original-line-0001', name: 'Bob', text: 'shall we meet at noon?' };
const line = { t: 'chat', id: 'reply-line-000001', ts: 1_700_000_000_000, text: 'yes' };

test('a line’s reply reference parses; one too long, misnamed or with extra fields is refused whole', () => {
  assert.deepEqual(parseChannelMessage(JSON.stringify({ ...line, re })), { ...line, re });
  const refused = [
    { ...re, text: 'x'.repeat(MAX_REPLY_EXCERPT_LENGTH + 1) },
    { ...re, text: '' },
    { ...re, name: 'n'.repeat(33) },
    { ...re, id: 'no spaces in ids' },
    { ...re, from: '<b>' },
    { ...re, html: '<img src=x>' },
    'original-line-0001',
  ];
  for (const bad of refused) assert.equal(parseChannelMessage(JSON.stringify({ ...line, re: bad })), null);
  assert.ok(
    parseChannelMessage(JSON.stringify({ ...line, re: { ...re, text: 'x'.repeat(MAX_REPLY_EXCERPT_LENGTH) } })),
  );
  const history = {
    t: 'history:lines',
    lines: [{ from: 'carol-000001', name: 'Carol', ...line, t: undefined, re }],
    done: true,
  };
  const parsed = parseChannelMessage(JSON.stringify(history));
  assert.ok(parsed?.t === 'history:lines');
  assert.deepEqual(parsed.lines[0]?.re, re);
});

const ended: { chat: ReturnType<typeof createChat>; peers: FakeMember[] }[] = [];
afterEach(() => {
  for (const { chat, peers } of ended.splice(0))
    for (const peer of peers) chat.feature.removed?.(peer, 'ERR_PAGE_CLOSED');
});

function harness(peers: FakeMember[]) {
  const shown: ChatLine[] = [];
  const transcript = createTranscript();
  const identity = createIdentity();
  const chat = createChat({
    selfId: () => SELF,
    selfName: () => 'Me',
    members: () => peers,
    display: (shownLine) => shown.push(shownLine),
    identity,
    transcript,
  });
  for (const peer of peers) chat.feature.added?.(peer);
  ended.push({ chat, peers });
  return { chat, shown, transcript, identity };
}

/** The chat line on a member's wire, with its signature (inline on a resend, else its chat:sig). */
function lineOn(member: FakeMember): { message: MessageOf<'chat'>; sig: string } {
  const message = member.wire.find((m) => m.t === 'chat');
  const sig = member.wire.find((m) => m.t === 'chat:sig');
  assert.ok(message?.t === 'chat' && sig?.t === 'chat:sig');
  return { message, sig: sig.sig };
}

test('a reply goes with its reference, signed over it; a member on an older version gets it readable without one, signed without it', async () => {
  const current = fakeMember('current-0001', null, true);
  current.version = REPLY_VERSION;
  const older = fakeMember('older-00001', null, true);
  older.version = REPLY_VERSION - 1;
  const relayedOnly = fakeMember('relayed-0001', null, true); // said no hello: version null
  const { chat, shown, transcript, identity } = harness([current, older, relayedOnly]);
  const sent = chat.send('see you then', undefined, re);
  assert.deepEqual(sent?.re, re);
  await chat.idle();
  const key = await identity.publicKey();
  assert.ok(key);
  assert.deepEqual(shown[0]?.re, re, 'our page shows what it answers');

  for (const member of [current, relayedOnly]) {
    const { message, sig } = lineOn(member);
    assert.deepEqual(message.re, re);
    const { id, ts, text } = message;
    assert.equal(await verifyLine(key, sig, { from: SELF, id, ts, text, re }), true, 'signed with its reference');
    assert.equal(await verifyLine(key, sig, { from: SELF, id, ts, text }), false, 'not without it');
    const moved = { ...re, id: 'another-line-00001' };
    assert.equal(await verifyLine(key, sig, { from: SELF, id, ts, text, re: moved }), false, 'nor moved');
    const renamed = { ...re, name: 'Carol' };
    assert.equal(await verifyLine(key, sig, { from: SELF, id, ts, text, re: renamed }), false, 'nor renamed');
  }
  const { message, sig } = lineOn(older);
  assert.equal(message.re, undefined, 'an older page would refuse the whole line');
  assert.equal(message.text, 'see you then');
  const { id, ts, text } = message;
  assert.equal(await verifyLine(key, sig, { from: SELF, id, ts, text }), true, 'its own signature checks there');
  // A resend (a reopened channel) carries each its own signed copy.
  older.wire.length = 0;
  current.wire.length = 0;
  chat.feature.opened?.(older);
  chat.feature.opened?.(current);
  const [resentOld] = older.wire;
  const [resentNew] = current.wire;
  assert.ok(resentOld?.t === 'chat' && resentNew?.t === 'chat');
  assert.equal(resentOld.re, undefined);
  assert.equal(resentOld.sig, sig);
  assert.deepEqual(resentNew.re, re);
  assert.deepEqual(transcript.recent()[0]?.re, re, 'kept for newcomers with its reference');
});

test('through a relay a reply whose reference was changed on the way is not shown; the author’s is', async () => {
  const bobIdentity = createIdentity();
  const bob = fakeMember('bob-00000001', await bobIdentity.publicKey(), true);
  bob.relayed = true;
  const { chat, shown } = harness([bob]);
  const body = { id: 'reply-line-000002', ts: Date.now(), text: 'agreed' };
  const sig = await bobIdentity.sign({ from: bob.id, ...body, re });
  assert.ok(sig);
  chat.feature.receive(bob, { t: 'chat', ...body, re: { ...re, id: 'moved-elsewhere-01' }, sig }, 'relayed');
  chat.feature.receive(bob, { t: 'chat', ...body, sig }, 'relayed');
  await chat.idle();
  assert.equal(shown.length, 0, 'moved or stripped, the signature does not fit');
  chat.feature.receive(bob, { t: 'chat', ...body, re, sig }, 'relayed');
  await chat.idle();
  assert.deepEqual(
    shown.map((l) => [l.text, l.re]),
    [['agreed', re]],
  );
});

test('history carries replies, checked with their reference; a member on an older version is answered without them', async () => {
  const identity = createIdentity();
  const key = await identity.publicKey();
  assert.ok(key);
  const body = { from: 'carol-000001', name: 'Carol', id: 'reply-line-000003', ts: 1_700_000_000_000, text: 'me too' };
  const sig = await identity.sign({ ...body, re });
  assert.ok(sig);
  const plain: KeptLine = { ...body, id: 'plain-line-000003', text: 'hello' };
  const reply: KeptLine = { ...body, re, sig };
  const [forCurrent] = historyChunks([plain, reply]);
  assert.deepEqual(
    forCurrent?.lines.map((l) => [l.id, l.re]),
    [
      [plain.id, undefined],
      [reply.id, re],
    ],
  );
  const [forOlder] = historyChunks([plain, reply], undefined, { replies: false });
  assert.deepEqual(
    forOlder?.lines.map((l) => l.id),
    [plain.id],
  );
  const author = { keys: new Set([key]), name: 'Carol', heard: true };
  const wire = forCurrent?.lines[1];
  assert.ok(wire);
  assert.equal(await checkLine(wire, author), 'true');
  assert.equal(await checkLine({ ...wire, re: { ...re, text: 'something else' } }, author), 'false', 'excerpt altered');
  assert.equal(await checkLine({ ...wire, re: undefined }, author), 'false', 'reference stripped');
});
