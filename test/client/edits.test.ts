// Editing and deleting one's own lines: `chat:edit` parsed strictly, signed by the line's
// author over the line as it now stands (an edit's signature never checks as the line's, a
// deletion's has no text), taken only from the line's author, the latest winning and a
// deletion final, an edit that came before its line applied when it comes, sent only to
// members on EDIT_VERSION (a private line's to its other party alone) and again when a link
// opens; history carries lines as revised, checked against the author's key, and never to a
// member on an older version; a flood of edits mutes its sender. A reply's quote of a line
// its author deleted says so on a page that never held the line (a newcomer's, the line older
// than its history), whether the deletion comes before the reply or after; a forged one
// hides nothing. Our latest edits outlive a reload of the tab, and go to a member that had
// not got them once its link opens.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sealedLength } from '../../client/announce.ts';
import { createBudget } from '../../client/budget.ts';
import { checkLine } from '../../client/features/authors.ts';
import type { ChatLine } from '../../client/features/chat.ts';
import { DIRECT_RESEND_FIRST_MS, RESEND_MAX_MS } from '../../client/features/chat-resend.ts';
import { createEdits, type EditsOptions } from '../../client/features/edits.ts';
import { RESEND_ROUNDS } from '../../client/features/edits-resend.ts';
import { PER_AUTHOR } from '../../client/features/edits-unheld.ts';
import { historyChunks } from '../../client/features/history-answer.ts';
import { createTranscript, type Revision } from '../../client/features/transcript.ts';
import { createIdentity, verifyDeletion, verifyLine } from '../../client/identity.ts';
import { editStore } from '../../client/storage.ts';
import { textToSend } from '../../client/view/composer-box.ts';
import { createReplies } from '../../client/view/replies.ts';
import {
  CHANNEL_RATES,
  EDIT_ACK_VERSION,
  EDIT_VERSION,
  editAckId,
  encodeChannelMessage,
  MAX_CHAT_LENGTH,
  MAX_REPLY_EXCERPT_LENGTH,
  MAX_SEALED_LENGTH,
  type MessageOf,
  NAME_MAX_LENGTH,
  parseChannelMessage,
  type ReplyRef,
} from '../../protocol/index.ts';
import { type FakeElement, installFakeDom } from './fake-dom.ts';
import { type FakeMember, fakeMember, manualClock } from './fake-member.ts';

const SELF = 'me-000000001';
const ALICE = 'alice-000001';
const TS = 1_700_000_000_000;
const re: ReplyRef = { from: 'bob-00000001', id: 'original-line-0001', name: 'Bob', text: 'noon?' };

type Edit = MessageOf<'chat:edit'>;

test('chat:edit parses; an oversize, empty or malformed one is refused whole, as are a deletion with a quote and a history line deleted with its text', () => {
  const edit = { t: 'chat:edit', id: 'line-000000000001', ts: TS, at: TS + 5, text: 'fixed' };
  assert.deepEqual(parseChannelMessage(JSON.stringify(edit)), edit);
  const deletion = { t: 'chat:edit', id: 'line-000000000001', ts: TS, at: TS + 5 };
  assert.deepEqual(parseChannelMessage(JSON.stringify(deletion)), deletion);
  assert.ok(parseChannelMessage(JSON.stringify({ ...edit, text: 'x'.repeat(MAX_CHAT_LENGTH) })));
  const refused = [
    { ...edit, text: 'x'.repeat(MAX_CHAT_LENGTH + 1) },
    { ...edit, text: '' },
    { ...edit, id: 'no spaces in ids' },
    { ...edit, at: -1 },
    { ...edit, at: 'later' },
    { ...edit, to: '<b>' },
    { ...edit, html: '<img src=x>' },
    { ...edit, re: { ...re, extra: 1 } },
  ];
  for (const bad of refused) assert.equal(parseChannelMessage(JSON.stringify(bad)), null, JSON.stringify(bad));
  // A deletion with a quote: its signature does not cover one, so it would be kept as the
  // author's deletion of the line and then not match it when it came (quotes said deleted, the
  // line did not).
  assert.equal(parseChannelMessage(JSON.stringify({ ...deletion, re })), null);
  const history = (line: object) =>
    parseChannelMessage(JSON.stringify({ t: 'history:lines', lines: [line], done: true }));
  const base = { from: ALICE, name: 'Alice', id: 'line-000000000001', ts: TS };
  assert.ok(history({ ...base, text: 'edited', edited: TS + 1 }));
  assert.ok(history({ ...base, deleted: TS + 1 }));
  assert.equal(history({ ...base, text: 'still here', deleted: TS + 1 }), null);
  assert.equal(history({ ...base }), null);
  assert.equal(history({ ...base, deleted: TS + 1, edited: TS + 2 }), null);
});

test('an edit’s signature covers the line as it stands and its time; it never checks as the line’s, nor a deletion’s as either', async () => {
  const identity = createIdentity();
  const key = (await identity.publicKey()) ?? '';
  const line = { from: ALICE, id: 'line-000000000001', ts: TS, text: 'fixed', re };
  const editSig = (await identity.sign({ ...line, edited: TS + 5 })) ?? '';
  assert.equal(await verifyLine(key, editSig, { ...line, edited: TS + 5 }), true);
  assert.equal(await verifyLine(key, editSig, line), false);
  assert.equal(await verifyLine(key, editSig, { ...line, edited: TS + 6 }), false);
  assert.equal(await verifyLine(key, editSig, { ...line, text: 'altered', edited: TS + 5 }), false);
  assert.equal(await verifyLine(key, editSig, { ...line, re: undefined, edited: TS + 5 }), false);
  const lineSig = (await identity.sign(line)) ?? '';
  assert.equal(await verifyLine(key, lineSig, { ...line, edited: TS + 5 }), false);
  const deletion = { from: ALICE, id: line.id, ts: TS, at: TS + 7 };
  const deleteSig = (await identity.signDeletion(deletion)) ?? '';
  assert.equal(await verifyDeletion(key, deleteSig, deletion), true);
  assert.equal(await verifyDeletion(key, deleteSig, { ...deletion, id: 'line-000000000002' }), false);
  assert.equal(await verifyDeletion(key, deleteSig, { ...deletion, to: SELF }), false);
  assert.equal(await verifyDeletion(key, editSig, { ...deletion, at: TS + 5 }), false);
});

/** A member whose page signs with its own key: its lines, and its edits of them. */
async function author(id: string) {
  const identity = createIdentity();
  const member = fakeMember(id, await identity.publicKey(), true);
  member.version = EDIT_VERSION;
  async function edit(line: ChatLine, text: string | null, at: number): Promise<Edit> {
    const to = line.privateFrom === undefined ? undefined : SELF;
    const sig =
      text === null
        ? await identity.signDeletion({ from: id, id: line.id, ts: line.ts, to, at })
        : await identity.sign({ from: id, id: line.id, ts: line.ts, text, to, re: line.re, edited: at });
    return {
      t: 'chat:edit',
      id: line.id,
      ts: line.ts,
      at,
      ...(text === null ? {} : { text }),
      ...(to === undefined ? {} : { to }),
      ...(line.re === undefined || text === null ? {} : { re: line.re }),
      ...(sig ? { sig } : {}),
    };
  }
  return { member, identity, edit };
}

/** Every harness's members, gone once the file's tests are: the timers of edits awaiting their acks with them. */
const harnessed: Array<() => void> = [];
after(() => {
  for (const gone of harnessed.splice(0)) gone();
});

function harness(peers: FakeMember[]) {
  const transcript = createTranscript();
  const revised: Array<{ from: string; id: string; revision: Revision }> = [];
  const identity = createIdentity();
  let wall = TS + 1_000;
  const edits = createEdits({
    selfId: () => SELF,
    members: () => peers,
    identity,
    transcript,
    revised: (from, id, revision) => revised.push({ from, id, revision }),
    wallClock: () => wall++,
  });
  harnessed.push(() => {
    for (const peer of peers) edits.feature.removed?.(peer, 'ERR_PAGE_CLOSED');
  });
  return { edits, transcript, revised, identity };
}

const chatLine = (from: string, id: string, text: string, extra: Partial<ChatLine> = {}): ChatLine => ({
  kind: 'chat',
  id,
  from,
  ts: TS,
  text,
  own: from === SELF,
  ...extra,
});

test('an edit from the line’s author is taken, the latest wins, and a deletion is final', async () => {
  const alice = await author(ALICE);
  const { edits, revised } = harness([alice.member]);
  const line = chatLine(ALICE, 'line-000000000001', 'helo', { re });
  edits.seen(line);
  edits.feature.receive(alice.member, await alice.edit(line, 'hello', TS + 10));
  await edits.idle();
  assert.deepEqual(revised.at(-1)?.revision.text, 'hello');
  // An older edit replayed after it changes nothing.
  edits.feature.receive(alice.member, await alice.edit(line, 'hel', TS + 5));
  edits.feature.receive(alice.member, await alice.edit(line, null, TS + 20));
  await edits.idle();
  assert.deepEqual(revised.at(-1)?.revision, { at: TS + 20, text: null, sig: revised.at(-1)?.revision.sig });
  // Deleted, then edited (a later time): the deletion stays.
  edits.feature.receive(alice.member, await alice.edit(line, 'back from the dead', TS + 30));
  await edits.idle();
  assert.equal(revised.length, 2);
  assert.equal(edits.counts().stale, 2);
});

test('a forged edit, one of a line that is not its sender’s, and one that does not match its line are dropped', async () => {
  const alice = await author(ALICE);
  const mallory = await author('mallory-0001');
  const { edits, revised } = harness([alice.member, mallory.member]);
  const line = chatLine(ALICE, 'line-000000000001', 'pay Alice');
  edits.seen(line);
  // Mallory signs an edit of Alice's line with her own key, sent as Alice would (a relay
  // cannot pretend to be Alice: the seal names the sender): it does not check.
  const forged = await mallory.edit(line, 'pay Mallory', TS + 10);
  edits.feature.receive(alice.member, forged);
  // Sent as herself, it names a line of Mallory's that does not exist: kept as hers, and applies to nothing of Alice's.
  edits.feature.receive(mallory.member, forged);
  // Alice's own edit, but of another time or quoting another line: not that line's.
  edits.feature.receive(alice.member, { ...(await alice.edit(line, 'x', TS + 11)), ts: TS + 1 });
  edits.feature.receive(alice.member, await alice.edit({ ...line, re }, 'x', TS + 12));
  // Unsigned, from a member with a key.
  const { sig: _sig, ...unsigned } = await alice.edit(line, 'unsigned', TS + 13);
  edits.feature.receive(alice.member, unsigned);
  await edits.idle();
  assert.deepEqual(
    revised.map((r) => [r.from, r.revision.text]),
    [['mallory-0001', 'pay Mallory']],
  );
  assert.deepEqual(edits.counts(), { applied: 0, forged: 2, unknown: 0, stale: 0, mismatched: 2 });
});

test('an edit that came before its line is checked at once, kept, and applied when the line comes, however late; the oldest of an author’s go past PER_AUTHOR', async () => {
  const alice = await author(ALICE);
  const { edits, revised, transcript } = harness([alice.member]);
  const line = chatLine(ALICE, 'line-000000000001', 'first words');
  edits.feature.receive(alice.member, await alice.edit(line, 'second words', TS + 10));
  await edits.idle();
  // Told at once (quotes of the line show it), as a line not held.
  assert.deepEqual(edits.revision(ALICE, line.id), { text: 'second words', to: undefined });
  assert.deepEqual(
    revised.map((r) => r.revision.text),
    ['second words'],
  );
  // An older edit replayed after it is stale, not kept over it.
  edits.feature.receive(alice.member, await alice.edit(line, 'older words', TS + 5));
  await edits.idle();
  assert.equal(edits.revision(ALICE, line.id)?.text, 'second words');
  assert.equal(edits.counts().stale, 1);
  edits.seen(line);
  assert.deepEqual(
    revised.map((r) => r.revision.text),
    ['second words', 'second words'],
  );
  // The line kept for newcomers after its own signature's check is kept as edited.
  transcript.keep({ from: ALICE, name: 'Alice', id: line.id, ts: TS, text: 'first words', sig: 'line-signature' });
  assert.equal(transcript.recent()[0]?.text, 'second words');
  assert.equal(transcript.recent()[0]?.edited, TS + 10);
  // Edits of lines that never come: an author's newest PER_AUTHOR are kept, the oldest pushed out.
  const never = (n: number) => chatLine(ALICE, `line-${String(n + 2).padStart(12, '0')}`, 'never came');
  for (let n = 0; n <= PER_AUTHOR; n++) edits.feature.receive(alice.member, await alice.edit(never(n), 'x', TS + 11));
  await edits.idle();
  assert.equal(edits.counts().unknown, 1);
  assert.equal(edits.revision(ALICE, never(0).id), null);
  assert.equal(edits.revision(ALICE, never(PER_AUTHOR).id)?.text, 'x');
});

test('↑ never opens an edit of our line under the id the server gave us before (a restart without its secret): it could not be saved', async () => {
  let self = SELF;
  const edits = createEdits({
    selfId: () => self,
    members: () => [],
    identity: createIdentity(),
    transcript: createTranscript(),
    revised: () => {},
  });
  const mine = chatLine(SELF, 'line-000000000001', 'before the restart');
  edits.seen(mine);
  assert.deepEqual(edits.lastOwn(), { id: mine.id, text: 'before the restart', privateWith: null });
  self = 'me-000000002';
  assert.equal(edits.lastOwn(), null, 'the edit bar opened, and Enter saved nothing');
  assert.equal(edits.ownLine(mine.id), null);
  assert.equal(await edits.edit(mine.id, 'fixed'), false);
  const now = chatLine(self, 'line-000000000002', 'after the restart', { own: true });
  edits.seen(now);
  assert.deepEqual(edits.lastOwn(), { id: now.id, text: 'after the restart', privateWith: null });
});

test('our edit goes to members on EDIT_VERSION only, a private line’s to its other party alone; no change sends nothing; a link that opens gets it again', async () => {
  const bob = fakeMember('bob-00000001', null, true);
  bob.version = EDIT_VERSION;
  const old = fakeMember('old-00000001', null, true);
  old.version = EDIT_VERSION - 1;
  const relayed = fakeMember('far-00000001', null, true);
  const { edits, transcript } = harness([bob, old, relayed]);
  const mine = chatLine(SELF, 'line-000000000001', 'my words');
  edits.seen(mine);
  transcript.keep({ from: SELF, name: 'Me', id: mine.id, ts: TS, text: 'my words' });
  assert.equal(await edits.edit(mine.id, 'my words'), false);
  assert.deepEqual(edits.lastOwn(), { id: mine.id, text: 'my words', privateWith: null });
  assert.equal(await edits.edit(mine.id, 'my new words'), true);
  const sent = (member: FakeMember) => member.wire.filter((m) => m.t === 'chat:edit') as Edit[];
  assert.equal(sent(bob)[0]?.text, 'my new words');
  assert.equal(sent(relayed).length, 1);
  assert.equal(sent(old).length, 0);
  assert.deepEqual(edits.ownLine(mine.id), { id: mine.id, text: 'my new words', privateWith: null });
  assert.equal(transcript.recent()[0]?.text, 'my new words');
  // Someone else's line is not ours to edit.
  edits.seen(chatLine('bob-00000001', 'line-000000000009', 'his'));
  assert.equal(await edits.edit('line-000000000009', 'mine now'), false);

  const secret = chatLine(SELF, 'line-000000000002', 'just for bob', { privateTo: bob.id });
  edits.seen(secret);
  // ↑ takes the latest line of the conversation being written in, not the latest of all.
  assert.deepEqual(edits.lastOwn(), { id: mine.id, text: 'my new words', privateWith: null });
  assert.deepEqual(edits.lastOwn(bob.id), { id: secret.id, text: 'just for bob', privateWith: bob.id });
  assert.deepEqual(edits.ownLine(secret.id), { id: secret.id, text: 'just for bob', privateWith: bob.id });
  assert.equal(edits.lastOwn(old.id), null);
  assert.equal(await edits.delete(secret.id), true);
  assert.equal(sent(bob).at(-1)?.to, bob.id);
  assert.equal(sent(relayed).length, 1);
  assert.equal(await edits.edit(secret.id, 'undeleted'), false);
  assert.equal(edits.ownLine(secret.id), null);
  // Bob's link opens again: both edits again; the relayed member only the public one.
  edits.feature.opened?.(bob);
  edits.feature.opened?.(relayed);
  assert.equal(sent(bob).length, 4);
  assert.equal(sent(relayed).length, 2);
});

test('a member’s edit is acknowledged once taken, kept for its line or held already; a forged one, or one not of its line, is not', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const alice = await author(ALICE);
  const mallory = await author('mallory-0001');
  const { edits } = harness([alice.member]);
  const line = chatLine(ALICE, 'line-000000000001', 'helo');
  edits.seen(line);
  /** The ids our acks to Alice named, once the acks' batching wait is over. */
  const acked = () => {
    t.mock.timers.tick(1_000);
    return alice.member.wire.flatMap((m) => (m.t === 'ack' ? m.ids : []));
  };
  const edit = await alice.edit(line, 'hello', TS + 10);
  const older = await alice.edit(line, 'hel', TS + 5);
  const early = await alice.edit(chatLine(ALICE, 'line-000000000002', 'not here yet'), null, TS + 11);
  // Taken; the same again (its ack lost); an older one (newer held); one of a line not held yet (kept for it).
  for (const message of [edit, edit, older, early]) edits.feature.receive(alice.member, message);
  await edits.idle();
  // (What is held already is acknowledged at once, what is taken once checked: in any order.)
  assert.deepEqual(acked().sort(), [edit, edit, older, early].map((m) => editAckId(m)).sort());
  // Forged (Mallory's signature), another time than the line's, unsigned: none acknowledged.
  edits.feature.receive(alice.member, await mallory.edit(line, 'pay Mallory', TS + 20));
  edits.feature.receive(alice.member, { ...(await alice.edit(line, 'x', TS + 21)), ts: TS + 1 });
  const { sig: _sig, ...unsigned } = await alice.edit(line, 'unsigned', TS + 22);
  edits.feature.receive(alice.member, unsigned);
  await edits.idle();
  assert.equal(acked().length, 4);
  // An ack names no line of ours: a line id is 21 characters (nanoid), an edit's ack id more.
  assert.ok((editAckId(edit) ?? '').length > 21);
  assert.equal(editAckId({ id: 'x'.repeat(32), at: TS }), null);
  assert.equal(editAckId({ id: line.id, at: TS + 0.5 }), null);
});

test('our edit goes again to a member until it acknowledges it, RESEND_ROUNDS times at most; a member whose hello said an older version is not waited on', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const bob = fakeMember('bob-00000001', null, true);
  bob.version = EDIT_ACK_VERSION;
  const old = fakeMember('old-00000001', null, true);
  old.version = EDIT_ACK_VERSION - 1;
  // Reached only through a relay: its hello never comes, and it is taken to be on our version.
  const far = fakeMember('far-00000001', null, true);
  far.relayed = true;
  const { edits } = harness([bob, old, far]);
  const sent = (member: FakeMember) => member.wire.filter((m) => m.t === 'chat:edit') as Edit[];
  const wait = () => {
    for (let i = 0; i < 2 * RESEND_ROUNDS + 2; i++) t.mock.timers.tick(RESEND_MAX_MS);
  };
  const first = chatLine(SELF, 'line-000000000001', 'my card number is 1234 oops');
  edits.seen(first);
  assert.equal(await edits.delete(first.id), true);
  // Nobody acknowledges: it goes again RESEND_ROUNDS times, then waits for the next link to open.
  wait();
  assert.equal(sent(bob).length, 1 + RESEND_ROUNDS);
  assert.equal(sent(far).length, 1 + RESEND_ROUNDS);
  assert.equal(sent(old).length, 1);
  assert.equal(edits.pending(bob), 0);
  edits.feature.opened?.(bob);
  assert.equal(sent(bob).length, 2 + RESEND_ROUNDS);
  assert.equal(edits.pending(bob), 1);

  // Bob acknowledges the resync's copy, and a later edit once it went again: nothing more goes.
  const ack = (member: FakeMember, message: Edit | undefined) => {
    const id = message === undefined ? null : editAckId(message);
    assert.ok(id);
    edits.acknowledged(member, [id]);
  };
  ack(bob, sent(bob).at(-1));
  const second = chatLine(SELF, 'line-000000000002', 'second line');
  edits.seen(second);
  assert.equal(await edits.edit(second.id, 'second line EDITED'), true);
  const before = sent(bob).length;
  t.mock.timers.tick(DIRECT_RESEND_FIRST_MS);
  assert.equal(sent(bob).length, before + 1, 'not acknowledged on time: once again');
  ack(bob, sent(bob).at(-1));
  // An ack naming anything else changes nothing.
  edits.acknowledged(far, ['line-000000000002', 'nothing-of-ours-at-all']);
  wait();
  assert.equal(sent(bob).length, before + 1);
  assert.equal(edits.pending(bob), 0);
});

test('history carries lines as revised, checked against the author’s key; a relayer cannot forge an edit; older pages get none of them', async () => {
  const alice = await author(ALICE);
  const { edits, transcript } = harness([alice.member]);
  const kept = (id: string, text: string) => ({ from: ALICE, name: 'Alice', id, ts: TS, text });
  const edited = chatLine(ALICE, 'line-000000000001', 'draft');
  const gone = chatLine(ALICE, 'line-000000000002', 'secret words');
  for (const line of [edited, gone]) {
    edits.seen(line);
    transcript.keep(kept(line.id, line.text), 'live');
  }
  edits.feature.receive(alice.member, await alice.edit(edited, 'final', TS + 10));
  edits.feature.receive(alice.member, await alice.edit(gone, null, TS + 10));
  await edits.idle();
  const [chunk] = historyChunks(transcript.recent());
  const [first, second] = chunk?.lines ?? [];
  assert.equal(first?.text, 'final');
  assert.equal(first?.edited, TS + 10);
  assert.equal(second?.text, undefined);
  assert.equal(second?.deleted, TS + 10);
  assert.ok(!JSON.stringify(chunk).includes('secret words'));
  const keys = { keys: new Set([alice.member.key ?? '']), name: 'Alice', heard: true };
  assert.equal(first && (await checkLine(first, keys)), 'true');
  assert.equal(second && (await checkLine(second, keys)), 'true');
  // A relayer that changes the edited text, its time, or turns the deletion back: not from its author.
  if (!first || !second) throw new Error('no lines');
  assert.equal(await checkLine({ ...first, text: 'forged' }, keys), 'false');
  assert.equal(await checkLine({ ...first, edited: TS + 11 }, keys), 'false');
  assert.equal(await checkLine({ ...second, deleted: undefined, text: 'secret words' }, keys), 'false');
  // An older page gets neither: it could not check their signatures.
  const [older] = historyChunks(transcript.recent(), undefined, { edits: false });
  assert.deepEqual(older?.lines, []);
  // A checked copy of a line we hold that says it was edited since revises it (catch-up, a second answer).
  const { edits: newcomer, revised } = harness([]);
  newcomer.seen(edited);
  newcomer.fromHistory(first);
  newcomer.fromHistory({ ...first, text: 'older', edited: TS + 1 });
  assert.deepEqual(
    revised.map((r) => r.revision.text),
    ['final'],
  );
});

test('a line a relayer forged as deleted, replaced by its genuine copy, takes its author’s edits; a checked edit outlives a copy shown again', async () => {
  const alice = await author(ALICE);
  const { edits, revised } = harness([alice.member]);
  const line = chatLine(ALICE, 'line-000000000001', 'genuine');
  const relayed = (verified: 'true' | 'false') => ({ history: { verified, relayedBy: 'Mallory' } });
  edits.seen({ ...line, text: '', deleted: TS + 50, ...relayed('false') });
  edits.seen({ ...line, ...relayed('true') });
  edits.feature.receive(alice.member, await alice.edit(line, 'edited by alice', TS + 10));
  await edits.idle();
  assert.deepEqual(
    revised.map((r) => r.revision.text),
    ['edited by alice'],
  );
  // Shown once more (another copy, unedited): the checked edit stays, and is drawn again.
  edits.seen({ ...line, ...relayed('true') });
  assert.deepEqual(
    revised.map((r) => r.revision.text),
    ['edited by alice', 'edited by alice'],
  );
});

test('a history copy of a line of ours that does not check against our key is not ours to edit or delete: we sign none of its words', async () => {
  const bob = fakeMember('bob-00000001', null, true);
  bob.version = EDIT_VERSION;
  const { edits, identity } = harness([bob]);
  const signed: unknown[] = [];
  const { sign, signDeletion } = identity;
  identity.sign = (line) => {
    signed.push(line);
    return sign(line);
  };
  identity.signDeletion = (deletion) => {
    signed.push(deletion);
    return signDeletion(deletion);
  };
  // Mallory's answer to our history request: "our" line, her words and quote, the newest.
  const planted = chatLine(SELF, 'line-000000000007', 'I owe Mallory 100 euros', {
    ts: TS + 60_000,
    re,
    history: { verified: 'false', relayedBy: 'Mallory' },
  });
  edits.seen(planted);
  assert.equal(edits.lastOwn(), null);
  assert.equal(edits.ownLine(planted.id), null);
  assert.equal(await edits.edit(planted.id, 'I owe Mallory 100 euros.'), false);
  assert.equal(await edits.delete(planted.id), false);
  assert.deepEqual(signed, []);
  assert.equal(bob.wire.length, 0);
  // Our genuine line (checked against our key) is ours.
  edits.seen({ ...chatLine(SELF, 'line-000000000008', 'mine'), history: { verified: 'true', relayedBy: 'Bob' } });
  assert.deepEqual(edits.lastOwn(), { id: 'line-000000000008', text: 'mine', privateWith: null });
});

test('the longest edit a page sends, of the longest reply, seals whole for a relay', () => {
  const id = 'A'.repeat(21);
  const peer = 'B'.repeat(32);
  for (const unit of ['\u0001', '"', '丁', '\ud83d', '😀']) {
    const text = textToSend(`x${unit.repeat(MAX_CHAT_LENGTH)}`).slice(0, MAX_CHAT_LENGTH);
    const long = {
      from: peer,
      id,
      name: '\u0001'.repeat(NAME_MAX_LENGTH),
      text: '\u0001'.repeat(MAX_REPLY_EXCERPT_LENGTH),
    };
    const edit: Edit = { t: 'chat:edit', id, ts: TS, at: TS, text, to: peer, re: long, sig: 'S'.repeat(200) };
    const length = sealedLength(encodeChannelMessage(edit));
    assert.ok(length <= MAX_SEALED_LENGTH, `${JSON.stringify(unit)}: ${length} > ${MAX_SEALED_LENGTH}`);
  }
});

test('a flood of edits mutes its sender (the link budget)', () => {
  const time = manualClock();
  const budget = createBudget(CHANNEL_RATES, time.now);
  const rate = CHANNEL_RATES['chat:edit'];
  const verdicts = Array.from({ length: rate.burst + 1 }, () => budget.admit('chat:edit', 100));
  assert.deepEqual(new Set(verdicts.slice(0, rate.burst)), new Set(['pass']));
  assert.equal(verdicts.at(-1), 'mute');
});

/**
 * A page's edits and reply quotes, wired as the page wires them (wiring/line-views.ts, wiring/chat.ts), on a stand-in page: quotes
 * of a line not held show what its author's checked deletion says.
 */
function quotingPage(self: string, peers: FakeMember[], names: Record<string, string>) {
  const replies = createReplies(document.createElement('ul'), {
    start: () => {},
    reveal: () => false,
    revision(from, id) {
      const revised = edits.revision(from, id);
      return (
        revised && {
          name: names[from] ?? 'someone',
          privateWith: revised.to === undefined ? null : from,
          text: revised.text,
        }
      );
    },
  });
  const edits = createEdits({
    selfId: () => self,
    members: () => peers,
    identity: createIdentity(),
    transcript: createTranscript(),
    revised: (from, id, revision) => replies.revised(from, id, revision.text),
  });
  /** What a reply by `by` quoting `re` shows: "name: text", and whose word it is if not known. */
  const quote = (re: ReplyRef, by: string) => replies.quote(re, { by, privateWith: null }) as unknown as FakeElement;
  return { edits, replies, quote };
}
const shows = (quote: FakeElement) => quote.children.map((part) => part.textContent).join('');

test('a quote of a line its author deleted says so where the line was never held, before the reply or after it; a forged deletion hides nothing', async () => {
  const dom = installFakeDom([]);
  try {
    const alice = await author(ALICE);
    const mallory = await author('mallory-0001');
    const page = quotingPage(SELF, [alice.member, mallory.member], { [ALICE]: 'alice' });
    // Two lines of Alice's from before this page came, older than the history it got.
    const gate = chatLine(ALICE, 'line-000000000001', 'meet at the gate');
    const noon = chatLine(ALICE, 'line-000000000002', 'lunch at noon');
    const quoteOf = (line: ChatLine): ReplyRef => ({ from: ALICE, id: line.id, name: 'alice', text: line.text });
    const early = page.quote(quoteOf(gate), 'bob');
    assert.equal(shows(early), 'alice: meet at the gate (as bob quotes it)');
    // Mallory's deletion of it: signed by her and passed off as Alice's (a relay's seal names
    // its real sender, so only Alice's link could carry it), then sent as her own (naming a
    // line of hers); a relayer's history copy of it "deleted" that does not check.
    const forged = await mallory.edit(gate, null, TS + 10);
    page.edits.feature.receive(alice.member, forged);
    page.edits.feature.receive(mallory.member, forged);
    page.edits.seen({ ...noon, text: '', deleted: TS + 10, history: { verified: 'false', relayedBy: 'Mallory' } });
    page.replies.revised(ALICE, noon.id, null);
    await page.edits.idle();
    assert.equal(shows(early), 'alice: meet at the gate (as bob quotes it)');
    assert.equal(shows(page.quote(quoteOf(noon), 'bob')), 'alice: lunch at noon (as bob quotes it)');
    assert.equal(page.edits.revision(ALICE, gate.id), null);
    assert.equal(page.edits.revision(ALICE, noon.id), null);
    // Alice deletes it: the quote drawn before says so, and so does one drawn after, as hers.
    page.edits.feature.receive(alice.member, await alice.edit(gate, null, TS + 20));
    await page.edits.idle();
    assert.equal(shows(early), 'alice: message deleted');
    assert.equal(early.dataset.known, 'true');
    const late = page.quote({ ...quoteOf(gate), name: 'carol', text: 'something else' }, 'mallory');
    assert.equal(shows(late), 'alice: message deleted');
    // The line itself comes long after (a catch-up): deleted as it is shown, however late.
    page.edits.seen(gate);
    assert.deepEqual(page.edits.revision(ALICE, gate.id), { text: null, to: undefined });
    assert.equal(page.edits.counts().forged, 1);
  } finally {
    dom.restore();
  }
});

test('a quote of a line its author edited shows the new text where the line was never held, before the reply or after it; a forged edit changes nothing', async () => {
  const dom = installFakeDom([]);
  try {
    const alice = await author(ALICE);
    const mallory = await author('mallory-0001');
    const page = quotingPage(SELF, [alice.member, mallory.member], { [ALICE]: 'alice' });
    // A line of Alice's from before this page came, older than the history it got.
    const phone = chatLine(ALICE, 'line-000000000001', 'call me on 555 0100');
    const quoteOf = (line: ChatLine): ReplyRef => ({ from: ALICE, id: line.id, name: 'alice', text: line.text });
    const early = page.quote(quoteOf(phone), 'bob');
    assert.equal(shows(early), 'alice: call me on 555 0100 (as bob quotes it)');
    // Mallory's edit of it, signed by her: passed off as Alice's, and sent as her own.
    const forged = await mallory.edit(phone, 'Mallory is right', TS + 10);
    page.edits.feature.receive(alice.member, forged);
    page.edits.feature.receive(mallory.member, forged);
    await page.edits.idle();
    assert.equal(shows(early), 'alice: call me on 555 0100 (as bob quotes it)');
    assert.equal(page.edits.revision(ALICE, phone.id), null);
    // Alice takes her number out: the quote drawn before shows her words now, as hers, and so
    // does one drawn after, whatever its reply claims.
    page.edits.feature.receive(alice.member, await alice.edit(phone, 'call me', TS + 20));
    await page.edits.idle();
    assert.equal(shows(early), 'alice: call me');
    assert.equal(early.dataset.known, 'true');
    assert.equal(shows(page.quote({ ...quoteOf(phone), text: 'something else' }, 'carol')), 'alice: call me');
    // Then deletes it: final, the later edit replayed or not.
    page.edits.feature.receive(alice.member, await alice.edit(phone, null, TS + 30));
    page.edits.feature.receive(alice.member, await alice.edit(phone, 'call me', TS + 20));
    await page.edits.idle();
    assert.equal(shows(early), 'alice: message deleted');
    assert.deepEqual(page.edits.revision(ALICE, phone.id), { text: null, to: undefined });
  } finally {
    dom.restore();
  }
});

test('a relayer’s copy of a deleted line, another time than the line’s, neither takes the deletion nor blocks it: quotes say deleted, and the genuine line comes deleted', async () => {
  const dom = installFakeDom([]);
  try {
    const alice = await author(ALICE);
    const page = quotingPage(SELF, [alice.member], { [ALICE]: 'alice' });
    const gate = chatLine(ALICE, 'line-000000000001', 'meet at the gate');
    const noon = chatLine(ALICE, 'line-000000000002', 'lunch at noon');
    const quoteOf = (line: ChatLine): ReplyRef => ({ from: ALICE, id: line.id, name: 'alice', text: line.text });
    // Mallory's history copies of Alice's lines: her own words, and not the lines' times.
    const forgedCopy = (line: ChatLine): ChatLine => ({
      ...line,
      ts: TS - 1,
      text: 'Mallory was right',
      history: { verified: 'false', relayedBy: 'Mallory' },
    });
    // Alice's deletion comes before the copy of one line, after the copy of the other.
    page.edits.feature.receive(alice.member, await alice.edit(gate, null, TS + 20));
    await page.edits.idle();
    page.edits.seen(forgedCopy(gate));
    page.edits.seen(forgedCopy(noon));
    page.edits.feature.receive(alice.member, await alice.edit(noon, null, TS + 20));
    await page.edits.idle();
    for (const line of [gate, noon]) {
      assert.deepEqual(page.edits.revision(ALICE, line.id), { text: null, to: undefined }, line.id);
      assert.equal(shows(page.quote(quoteOf(line), 'bob')), 'alice: message deleted', line.id);
      // The genuine line comes after all (a checked history copy): deleted.
      page.edits.seen({ ...line, history: { verified: 'true', relayedBy: 'Bob' } });
      assert.deepEqual(page.edits.revision(ALICE, line.id), { text: null, to: undefined }, line.id);
    }
  } finally {
    dom.restore();
  }
});

test('an edit of a line held only as a relayer’s forged copy (another time) is kept for the genuine line and taken then', async () => {
  const alice = await author(ALICE);
  const { edits, revised } = harness([alice.member]);
  const line = chatLine(ALICE, 'line-000000000001', 'meet at the gate');
  edits.seen({ ...line, ts: TS - 1, text: 'Mallory was right', history: { verified: 'false', relayedBy: 'Mallory' } });
  edits.feature.receive(alice.member, await alice.edit(line, 'meet at the north gate', TS + 10));
  await edits.idle();
  // Told as an edit of a line not held (quotes of it), not taken by the forged copy.
  assert.deepEqual(edits.revision(ALICE, line.id), { text: 'meet at the north gate', to: undefined });
  assert.equal(revised.length, 1);
  edits.seen({ ...line, history: { verified: 'true', relayedBy: 'Bob' } });
  await edits.idle();
  assert.deepEqual(
    revised.map((r) => r.revision.text),
    ['meet at the north gate', 'meet at the north gate'],
  );
  assert.equal(edits.counts().mismatched, 0);
});

test('a member rejoining under new ids, deleting a line of its own under each, pushes out no deletion of a member still here', async () => {
  const dom = installFakeDom([]);
  try {
    const alice = await author(ALICE);
    const peers: FakeMember[] = [alice.member];
    const page = quotingPage(SELF, peers, { [ALICE]: 'alice' });
    const gate = chatLine(ALICE, 'line-000000000001', 'meet at the gate');
    page.edits.feature.receive(alice.member, await alice.edit(gate, null, TS + 20));
    // Mallory's page without a signing key (her deletions go unsigned), under 40 ids in turn.
    for (let i = 0; i < 40; i++) {
      const mallory = fakeMember(`mallory-${String(i).padStart(4, '0')}`, null, true);
      mallory.version = EDIT_VERSION;
      peers.push(mallory);
      page.edits.feature.receive(mallory, { t: 'chat:edit', id: 'line-000000000009', ts: TS, at: TS + 1 });
      await page.edits.idle();
      peers.splice(peers.indexOf(mallory), 1);
      mallory.disposed = true;
    }
    assert.deepEqual(page.edits.revision(ALICE, gate.id), { text: null, to: undefined });
    assert.equal(
      shows(page.quote({ from: ALICE, id: gate.id, name: 'alice', text: gate.text }, 'bob')),
      'alice: message deleted',
    );
  } finally {
    dom.restore();
  }
});

test('a newcomer whose history ends after a deleted line gets the deletion from its author, and a reply in history quotes it as deleted', async () => {
  const dom = installFakeDom([]);
  try {
    // Our page deleted a line of ours, long ago (past the 200 lines a newcomer's history holds).
    const newcomer = fakeMember('newcomer-001', null, false);
    newcomer.version = EDIT_VERSION;
    const { edits, identity } = harness([newcomer]);
    const mine = chatLine(SELF, 'line-000000000001', 'the old plan');
    edits.seen(mine);
    assert.equal(await edits.delete(mine.id), true);
    // The newcomer's link opens: our latest edits go to it, this deletion among them.
    newcomer.isOpen = true;
    edits.feature.opened?.(newcomer);
    const [deletion, ...more] = newcomer.wire.filter((m): m is Edit => m.t === 'chat:edit');
    assert.ok(deletion);
    assert.equal(more.length, 0);
    // On the newcomer's page, checked against our key (its link's), with no line to match.
    const us = fakeMember(SELF, await identity.publicKey(), true);
    const page = quotingPage('newcomer-001', [us], { [SELF]: 'me' });
    page.edits.feature.receive(us, deletion);
    await page.edits.idle();
    // Bob's reply to it comes in history.
    assert.equal(
      shows(page.quote({ from: SELF, id: mine.id, name: 'me', text: 'the old plan' }, 'bob')),
      'me: message deleted',
    );
  } finally {
    dom.restore();
  }
});

test('our latest edits outlive a reload of the tab: a member that had not got one gets it when its link opens, and our page shows our lines as we left them', async (t) => {
  // The tab's sessionStorage, as the reload finds it (storage.ts keeps the edits there).
  const session = new Map<string, string>();
  Object.assign(globalThis, {
    sessionStorage: {
      getItem: (k: string) => session.get(k) ?? null,
      setItem: (k: string, v: string) => session.set(k, v),
    },
  });
  t.after(() => Reflect.deleteProperty(globalThis, 'sessionStorage'));
  const store = editStore('room-000000000000000001');
  const bob = fakeMember('bob-00000001', null, false);
  bob.version = EDIT_VERSION;
  const identity = createIdentity();
  const page = (self: string, revised: EditsOptions['revised'] = () => {}) =>
    createEdits({ selfId: () => self, members: () => [bob], identity, transcript: createTranscript(), revised, store });
  const before = page(SELF);
  const plan = chatLine(SELF, 'line-000000000001', 'meet at 5');
  const secret = chatLine(SELF, 'line-000000000002', 'my door code is 4711');
  before.seen(plan);
  before.seen(secret);
  // Bob's link is down (our lines wait for him): neither edit reaches him before we reload.
  assert.equal(await before.edit(plan.id, 'meet at 6'), true);
  assert.equal(await before.delete(secret.id), true);
  assert.equal(bob.wire.length, 0);

  const revised: Array<{ id: string; text: string | null }> = [];
  const reloaded = page(SELF, (_from, id, revision) => revised.push({ id, text: revision.text }));
  // History brings our lines back as a member held them, first written: shown as we left them.
  reloaded.seen({ ...plan, history: { verified: 'true', relayedBy: 'Carol' } });
  reloaded.seen({ ...secret, history: { verified: 'true', relayedBy: 'Carol' } });
  assert.deepEqual(revised, [
    { id: plan.id, text: 'meet at 6' },
    { id: secret.id, text: null },
  ]);
  assert.equal(reloaded.ownLine(plan.id)?.text, 'meet at 6');
  // Bob's link opens: both edits go to him, signed as they were.
  bob.isOpen = true;
  reloaded.feature.opened?.(bob);
  const sent = bob.wire.filter((m): m is Edit => m.t === 'chat:edit');
  assert.deepEqual(
    sent.map((m) => [m.id, m.text ?? null]),
    [
      [plan.id, 'meet at 6'],
      [secret.id, null],
    ],
  );
  const key = (await identity.publicKey()) ?? '';
  const deletion = sent[1];
  assert.ok(deletion?.sig);
  assert.equal(await verifyDeletion(key, deletion.sig, { from: SELF, id: secret.id, ts: TS, at: deletion.at }), true);

  // A reload that got another peer id cannot send them (they name lines of the old one); what
  // the storage holds that is not our edits (spoilt, another version's) is nothing.
  bob.wire.length = 0;
  page('me-000000002').feature.opened?.(bob);
  const [stored] = session.keys();
  for (const junk of [{ from: SELF, edits: ['{"t":"chat","id":1}', 42, 'not json'] }, 'x', [1], { from: SELF }]) {
    session.set(stored ?? '', JSON.stringify(junk));
    page(SELF).feature.opened?.(bob);
  }
  session.set(stored ?? '', '{not json');
  page(SELF).feature.opened?.(bob);
  assert.equal(bob.wire.length, 0);
});
