// History for late joiners, feature on its own: answers merged by (author, id), every line
// checked against its author's own key (never the relaying member's word), forgeries caught,
// lines of authors who left shown as relayed, caps per sender, answers that fit a channel,
// and after a link dropped mid-answer only the answer to the latest request (numbered for a
// member whose hello says it reads numbers).
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { sealedLength } from '../../client/announce.ts';
import { createBudget } from '../../client/budget.ts';
import type { ChatLine } from '../../client/features/chat.ts';
import { createHistory, type HistoryOptions } from '../../client/features/history.ts';
import { historyChunks } from '../../client/features/history-answer.ts';
import { createTranscript } from '../../client/features/transcript.ts';
import { createIdentity } from '../../client/identity.ts';
import {
  CHANNEL_PROTOCOL_VERSION,
  CHANNEL_RATES,
  type ChannelMessage,
  encodeChannelMessage,
  type HistoryLine,
  type HistoryReaction,
  MAX_CHANNEL_MESSAGE_LENGTH,
  MAX_HISTORY_LINE_REACTIONS,
  MAX_HISTORY_LINES,
  MAX_SEALED_LENGTH,
  type MessageOf,
  parseChannelMessage,
} from '../../protocol/index.ts';
import { type FakeMember, fakeMember } from './fake-member.ts';

const SELF = 'newcomer-001';

async function writer(id: string) {
  const identity = createIdentity();
  const member = fakeMember(id, await identity.publicKey());
  member.name = id.split('-')[0] ?? id;
  let n = 0;
  const line = async (text: string, ts = 1_700_000_000_000 + n): Promise<HistoryLine & { text: string }> => {
    const lineId = `${id.slice(0, 4)}-${String(++n).padStart(12, '0')}`;
    const sig = await identity.sign({ from: id, id: lineId, ts, text });
    return { from: id, name: member.name, id: lineId, ts, text, ...(sig ? { sig } : {}) };
  };
  return { member, line, identity };
}

function harness(
  present: FakeMember[],
  now?: () => number,
  revised?: HistoryOptions['revised'],
  ownKey: HistoryOptions['ownKey'] = async () => null,
  earlierUnlessProved?: HistoryOptions['earlierUnlessProved'],
  ignored?: HistoryOptions['ignored'],
) {
  const shown: Array<{ line: ChatLine; name: string }> = [];
  /** Lines shown as missed while we were away (catch-ups), in the order shown. */
  const missed: ChatLine[] = [];
  const transcript = createTranscript();
  const history = createHistory({
    selfId: () => SELF,
    selfName: () => 'newcomer',
    ownKey,
    members: () => present,
    transcript,
    show: (line, name) => shown.push({ line, name }),
    showMissed: (line) => missed.push(line),
    ...(now && { now }),
    ...(revised && { revised }),
    ...(earlierUnlessProved && { earlierUnlessProved }),
    ...(ignored && { ignored }),
  });
  history.joined(present.map((m) => m.id));
  for (const member of present) history.feature.added?.(member);
  /** Plays a member's link opening: its hello was checked, then our hello went. */
  const link = (member: FakeMember) => {
    member.isOpen = true;
    history.feature.verified?.(member);
    history.feature.opened?.(member);
  };
  const answer = (member: FakeMember, lines: HistoryLine[], done = true) =>
    history.feature.receive(member, { t: 'history:lines', lines, done });
  const marks = () => shown.map(({ line }) => `${line.text}:${line.history?.verified}`);
  return { history, transcript, shown, missed, link, answer, marks };
}

test('answers from several members are merged by (author, id): each line once, checked against its author', async () => {
  const bob = await writer('bob-00000001');
  const alice = await writer('alice-000001');
  const carol = await writer('carol-000001');
  const h = harness([alice.member, bob.member, carol.member]);
  for (const m of [alice.member, bob.member, carol.member]) h.link(m);
  assert.ok(
    alice.member.wire.some((m) => m.t === 'history:req'),
    'members here before us are asked',
  );
  const lines = [await bob.line('one'), await bob.line('two'), await carol.line('three')];
  h.answer(alice.member, lines);
  h.answer(carol.member, lines);
  await h.history.idle();
  assert.deepEqual(h.marks().sort(), ['one:true', 'three:true', 'two:true']);
  assert.equal(h.history.counts().duplicate, 3);
  assert.equal(h.shown.length, 3);
  assert.ok(['alice', 'carol'].includes(h.shown.find((s) => s.line.text === 'one')?.line.history?.relayedBy ?? ''));
});

test('a line of a member here altered or invented by the member relaying it is dropped (it would pass for theirs); the true copy is shown', async () => {
  const bob = await writer('bob-00000001');
  const alice = await writer('alice-000001');
  const mallory = await writer('mallory-0001');
  const h = harness([alice.member, bob.member, mallory.member]);
  for (const m of [alice.member, bob.member, mallory.member]) h.link(m);
  const real = await bob.line('meet at noon');
  const altered = { ...real, text: 'meet at midnight' };
  const invented = { ...(await bob.line('placeholder')), text: 'I owe mallory 100 €' };
  const stripped = { ...(await bob.line('unsigned now')), sig: undefined } as HistoryLine;
  const junk = { ...(await bob.line('junk signature')), text: 'sign here', sig: 'S'.repeat(86) };
  h.answer(mallory.member, [altered, invented, stripped, junk]);
  await h.history.idle();
  assert.deepEqual(h.marks(), []);
  assert.deepEqual([h.history.counts().forged, h.history.counts().dropped], [0, 4]);
  h.answer(alice.member, [real]);
  await h.history.idle();
  assert.deepEqual(h.marks(), ['meet at noon:true']);
  // The good copy is kept for the next newcomer; forgeries are not.
  assert.deepEqual(
    h.transcript.recent().map((l) => l.text),
    ['meet at noon'],
  );
});

test('the same lines answered by several members at once are checked once each, and shown once', async () => {
  const bob = await writer('bob-00000001');
  const relayers = await Promise.all(Array.from({ length: 6 }, (_, i) => writer(`relay${i}-00001`)));
  const h = harness([bob.member, ...relayers.map((r) => r.member)]);
  for (const m of [bob.member, ...relayers.map((r) => r.member)]) h.link(m);
  const lines = await Promise.all(Array.from({ length: 50 }, (_, i) => bob.line(`line ${i}`, 1_000 + i)));
  const verify = mock.method(crypto.subtle, 'verify');
  try {
    for (const relayer of relayers) h.answer(relayer.member, lines);
    await h.history.idle();
    assert.equal(verify.mock.callCount(), lines.length);
  } finally {
    verify.mock.restore();
  }
  assert.equal(h.shown.length, lines.length);
  assert.equal(h.history.counts().verified, lines.length);
  assert.equal(h.history.counts().duplicate, lines.length * (relayers.length - 1));
});

test('a verified line is not replaced by a later forged copy', async () => {
  const bob = await writer('bob-00000001');
  const mallory = await writer('mallory-0001');
  const h = harness([bob.member, mallory.member]);
  h.link(bob.member);
  h.link(mallory.member);
  const real = await bob.line('true words');
  h.answer(bob.member, [real]);
  await h.history.idle();
  h.answer(mallory.member, [{ ...real, text: 'false words' }]);
  await h.history.idle();
  assert.deepEqual(h.marks(), ['true words:true']);
});

test('a forged copy of a line of ours is dropped (no "You", no Edit, no words of ours); our genuine copy is shown as ours', async () => {
  const us = await writer(SELF);
  const mallory = await writer('mallory-0001');
  const shown: ChatLine[] = [];
  const history = createHistory({
    selfId: () => SELF,
    selfName: () => 'newcomer',
    ownKey: () => us.identity.publicKey(),
    members: () => [mallory.member],
    transcript: createTranscript(),
    show: (line) => shown.push(line),
  });
  history.joined([mallory.member.id]);
  history.feature.added?.(mallory.member);
  mallory.member.isOpen = true;
  history.feature.verified?.(mallory.member);
  history.feature.opened?.(mallory.member);
  const genuine = await us.line('see you at noon');
  const planted = { ...(await us.line('placeholder')), text: 'I owe mallory 100 €' };
  history.feature.receive(mallory.member, { t: 'history:lines', lines: [genuine, planted], done: true });
  await history.idle();
  assert.deepEqual(
    shown.map((line) => [line.text, line.history?.verified, line.own]),
    [['see you at noon', 'true', true]],
  );
  assert.equal(history.counts().dropped, 1);
});

test('a forged line of an author who left, whose key we learned, is shown marked as not from its author', async () => {
  const bob = await writer('bob-00000001');
  const mallory = await writer('mallory-0001');
  const present = [bob.member, mallory.member];
  const h = harness(present);
  h.link(bob.member);
  h.link(mallory.member);
  present.splice(0, 1);
  bob.member.disposed = true;
  h.history.feature.removed?.(bob.member, 'ERR_PEER_LEFT');
  h.answer(mallory.member, [{ ...(await bob.line('real words')), text: 'bob owes mallory' }]);
  await h.history.idle();
  assert.deepEqual(h.marks(), ['bob owes mallory:false']);
  assert.equal(h.shown[0]?.line.history?.relayedBy, 'mallory');
});

test('a line whose author left before we learned its key is shown as relayed by the member who sent it', async () => {
  const gone = await writer('gone-0000001');
  const alice = await writer('alice-000001');
  const h = harness([alice.member]);
  h.link(alice.member);
  h.answer(alice.member, [await gone.line('said before leaving')]);
  await h.history.idle();
  assert.deepEqual(h.marks(), ['said before leaving:relayed']);
  assert.equal(h.shown[0]?.name, 'gone', 'the relayed name, since the author is not here');
  assert.equal(h.shown[0]?.line.history?.relayedBy, 'alice');
  // Her id too: ignoring her later collapses the line with hers (view/ignored-lines.ts).
  assert.equal(h.shown[0]?.line.history?.relayer, 'alice-000001');
});

test('a member we ignore relays nothing on its own word: a line of a gone author it alone vouches for is dropped, one checked against its author is shown', async () => {
  const gone = await writer('gone-0000001');
  const bob = await writer('bob-00000001');
  const alice = await writer('alice-000001');
  const mallory = await writer('mallory-0001');
  const present = [alice.member, bob.member, mallory.member];
  const h = harness(present, undefined, undefined, undefined, undefined, (id) => id === mallory.member.id);
  for (const m of present) h.link(m);
  // Collapsed as hers are not, these would be her words in front of the reader, under any name.
  const invented = await gone.line('click this link');
  const forged = { ...(await gone.line('placeholder')), text: 'altered', sig: 'S'.repeat(86) };
  h.answer(mallory.member, [invented, forged, await bob.line('checked against bob')]);
  await h.history.idle();
  assert.deepEqual(h.marks(), ['checked against bob:true']);
  assert.equal(h.history.counts().dropped, 2);
  // The same line from a member we do not ignore is shown on its word, as any.
  h.answer(alice.member, [invented]);
  await h.history.idle();
  assert.deepEqual(h.marks(), ['checked against bob:true', 'click this link:relayed']);
});

test('a line the page let go for good is forgotten: nothing is kept for it, a later copy is the view\u2019s to drop', async () => {
  const gone = await writer('gone-0000001');
  const alice = await writer('alice-000001');
  const bob = await writer('bob-00000001');
  const h = harness([alice.member, bob.member]);
  h.link(alice.member);
  h.link(bob.member);
  const said = await gone.line('said before leaving');
  h.answer(alice.member, [said]);
  await h.history.idle();
  h.history.forget(said.from, said.id);
  h.answer(bob.member, [said]);
  await h.history.idle();
  assert.equal(h.history.counts().duplicate, 0, 'not remembered as shown');
  assert.equal(h.shown.length, 2, 'handed to the view again, which drops it with its block');
});

test('only lines checked against their author are passed on to later newcomers: a line on a member\u2019s word is not', async () => {
  const gone = await writer('gone-0000001');
  const alice = await writer('alice-000001');
  const h = harness([alice.member]);
  h.link(alice.member);
  h.answer(alice.member, [await gone.line('on alice\u2019s word'), await alice.line('checked against alice')]);
  await h.history.idle();
  assert.deepEqual(h.marks().sort(), ['checked against alice:true', 'on alice\u2019s word:relayed']);
  assert.deepEqual(
    h.transcript.recent().map((line) => line.text),
    ['checked against alice'],
  );
});

test('a history line stamped in our future shows as written when it reached us; a past one keeps its time', async () => {
  const bob = await writer('bob-00000001');
  const alice = await writer('alice-000001');
  const h = harness([alice.member, bob.member]);
  for (const m of [alice.member, bob.member]) h.link(m);
  const before = Date.now();
  h.answer(alice.member, [
    await bob.line('from the future', 8.64e15),
    await bob.line('from the past', before - 3_600_000),
  ]);
  await h.history.idle();
  const shown = new Map(h.shown.map(({ line }) => [line.text, line]));
  const future = shown.get('from the future');
  assert.ok(future?.receivedAt !== undefined && future.receivedAt >= before && future.receivedAt <= Date.now());
  assert.equal(future?.ts, 8.64e15, 'its claim is kept, for the view to say the clock is off');
  assert.equal(shown.get('from the past')?.receivedAt, undefined);
});

test('a relayed line under the name of someone here (or ours) is shown marked as an earlier member’s, never as theirs; under our id or a name no one could have, dropped', async () => {
  const alice = await writer('alice-000001');
  const mallory = await writer('mallory-0001');
  const h = harness([alice.member, mallory.member]);
  h.link(alice.member);
  h.link(mallory.member);
  // Authors gone before we came (no key learned): one named like alice (case aside), one like
  // us (our own earlier tab: its new id and key, the same name), one like no one here.
  const relayed = (from: string, name: string, text: string): HistoryLine => ({
    from,
    name,
    id: `${from.slice(0, 4)}-000000000001`,
    ts: 1_700_000_000_000,
    text,
  });
  h.answer(mallory.member, [
    relayed('gone-0000001', 'ALICE', 'an earlier alice'),
    relayed('gone-0000002', 'newcomer', 'our earlier tab'),
    relayed('gone-0000003', 'zoe', 'someone who left'),
    // "AIice" with a capital I reads as "Alice": the server takes it for her name.
    relayed('gone-0000004', 'AIice', 'with a capital I'),
    // A name the server refuses (a Cyrillic о among Latin letters): no member ever had it.
    relayed('gone-0000005', 'Bоb', 'invented'),
    // Under our own id: we have no key to check it with (this harness's page cannot sign).
    relayed(SELF, 'zed', 'words in our mouth'),
  ]);
  await h.history.idle();
  const earlier = (text: string) => h.shown.find(({ line }) => line.text === text)?.line.history?.earlier;
  assert.deepEqual(h.marks().sort(), [
    'an earlier alice:relayed',
    'our earlier tab:relayed',
    'someone who left:relayed',
    'with a capital I:relayed',
  ]);
  assert.deepEqual(['an earlier alice', 'our earlier tab', 'with a capital I', 'someone who left'].map(earlier), [
    true,
    true,
    true,
    undefined,
  ]);
  assert.equal(h.shown.find(({ line }) => line.text === 'our earlier tab')?.line.own, false, 'not ours: another id');
  const counts = h.history.counts();
  assert.deepEqual([counts.relayed, counts.dropped], [4, 2], 'shown lines count as shown');
});

test('a line checked against the key of an author who left, under a name someone here has now, is marked as an earlier member’s; one of an author here, under a name nobody here has, or whose key is here under a new id and that name, is not; one whose key a member under that name only announced waits for its proof', async () => {
  // Dave was here (his key learned), wrote, and crashed; a new dave (another id and key) is
  // here now, and so is Alice, who holds the old dave's lines; so is Erin, who stays.
  const oldDave = await writer('dave-0000001');
  const newDave = await writer('dave-0000002');
  const alice = await writer('alice-000001');
  const erin = await writer('erin-0000001');
  const zoe = await writer('zoe-00000001');
  // Fay's tab kept its key but not its id (its ticket was gone): the same person.
  const oldFay = await writer('fay-00000001');
  const newFay = fakeMember('fay-00000002', oldFay.member.key);
  newFay.name = 'fay';
  // Gus left; a member took his name and announced his key (seen in his hellos), which it
  // cannot sign with (keyHeld false): it may be Gus, its proof on the way, or someone passing
  // for him. The line is shown unmarked and the page told: it marks it unless a proof comes
  // in time (view/earlier-lines.ts).
  const oldGus = await writer('gus-00000001');
  const copier = fakeMember('gus-00000002', oldGus.member.key);
  copier.name = 'gus';
  copier.keyHeld = false;
  // Hal is back with his key, under another name; a new hal (another key) has his: the line
  // would pass for the new hal's.
  const oldHal = await writer('hal-00000001');
  const harold = fakeMember('hal-00000002', oldHal.member.key);
  harold.name = 'harold';
  const newHal = await writer('hal-00000003');
  const present = [
    oldDave.member,
    zoe.member,
    oldFay.member,
    oldGus.member,
    oldHal.member,
    newDave.member,
    alice.member,
    erin.member,
    newHal.member,
  ];
  let waits = 0;
  const h = harness(present, undefined, undefined, undefined, () => waits++);
  for (const member of present) h.link(member);
  const lines = [
    await oldDave.line('before the crash'),
    await zoe.line('zoe, who left'),
    await erin.line('erin, still here'),
    await oldFay.line('fay, same key'),
    await oldGus.line('gus, key copied'),
    await oldHal.line('hal, key under another name'),
  ];
  // The old dave, Zoe, the old Fay and Gus are gone from the room; the new Fay is here, and
  // the member with Gus's key.
  oldDave.member.disposed = true;
  zoe.member.disposed = true;
  oldFay.member.disposed = true;
  oldGus.member.disposed = true;
  oldHal.member.disposed = true;
  present.push(newFay, copier, harold);
  h.answer(alice.member, lines);
  await h.history.idle();
  const earlier = (text: string) => h.shown.find(({ line }) => line.text === text)?.line.history?.earlier;
  assert.deepEqual(h.marks().sort(), [
    'before the crash:true',
    'erin, still here:true',
    'fay, same key:true',
    'gus, key copied:true',
    'hal, key under another name:true',
    'zoe, who left:true',
  ]);
  assert.deepEqual(
    [
      'before the crash',
      'zoe, who left',
      'erin, still here',
      'fay, same key',
      'gus, key copied',
      'hal, key under another name',
    ].map(earlier),
    [true, undefined, undefined, undefined, undefined, true],
  );
  assert.equal(waits, 1, 'the page is told that the line of gus waits for a proof');
});

test('a line of an author we never knew, signed with the key a member here under its name carries, is checked with that key: verified, and its author\u2019s; under another key it stays on the relayer\u2019s word', async () => {
  // Ida wrote before we came and left; her tab kept its key and she is back under a new id and
  // her name, holding it. Jon's line: the jon here now has another key.
  const oldIda = await writer('ida-00000001');
  const ida = fakeMember('ida-00000002', oldIda.member.key);
  ida.name = 'ida';
  const oldJon = await writer('jon-00000001');
  const jon = await writer('jon-00000002');
  const alice = await writer('alice-000001');
  const present = [ida, jon.member, alice.member];
  let waits = 0;
  const h = harness(present, undefined, undefined, undefined, () => waits++);
  for (const member of present) h.link(member);
  h.answer(alice.member, [await oldIda.line('ida, before we came'), await oldJon.line('jon, before we came')]);
  await h.history.idle();
  assert.deepEqual(h.marks().sort(), ['ida, before we came:true', 'jon, before we came:relayed']);
  const earlier = (text: string) => h.shown.find(({ line }) => line.text === text)?.line.history?.earlier;
  assert.deepEqual([earlier('ida, before we came'), earlier('jon, before we came')], [undefined, true]);
  assert.equal(waits, 0, 'ida holds the key: nothing waits');
  // Her key is the old id's now, for its other lines, edits and reactions.
  assert.ok(h.history.author('ida-00000001')?.keys.has(oldIda.member.key ?? ''));
  assert.equal(h.history.author('jon-00000001'), undefined);
});

test('a relayed copy that says the line was deleted or edited since is shown over the relayed copy shown first; a copy less revised is not', async () => {
  const bob = await writer('bob-00000001');
  const carol = await writer('carol-000001');
  const dana = await writer('dana-0000001');
  const h = harness([bob.member, carol.member, dana.member]);
  for (const member of [bob.member, carol.member, dana.member]) h.link(member);
  // Alice left before we came: every copy of her lines is its member's word.
  const line = (id: string, text: string, more: Partial<HistoryLine> = {}): HistoryLine => ({
    ...{ from: 'alice-000001', name: 'alice', id, ts: 1_700_000_000_000, text },
    ...more,
  });
  // Bob had missed Alice's deletion of x2 and edit of x1; Carol had both.
  h.answer(bob.member, [line('alic-000000000001', 'x1 old secret'), line('alic-000000000002', 'x2 deleted secret')]);
  await h.history.idle();
  h.answer(carol.member, [
    line('alic-000000000001', 'x1 NEW text', { edited: 1_700_000_000_500 }),
    { ...line('alic-000000000002', ''), text: undefined, deleted: 1_700_000_000_600 },
  ]);
  await h.history.idle();
  // Dana holds an earlier edit of x1, and x2 undeleted: neither goes back.
  h.answer(dana.member, [
    line('alic-000000000001', 'x1 first edit', { edited: 1_700_000_000_400 }),
    line('alic-000000000002', 'x2 deleted secret'),
  ]);
  await h.history.idle();
  const latest = new Map(h.shown.map(({ line }) => [line.id, line]));
  const x1 = latest.get('alic-000000000001');
  const x2 = latest.get('alic-000000000002');
  assert.deepEqual([x1?.text, x1?.edited, x1?.history?.relayedBy], ['x1 NEW text', 1_700_000_000_500, 'carol']);
  assert.deepEqual([x2?.deleted, x2?.history?.relayedBy], [1_700_000_000_600, 'carol']);
  assert.equal(h.shown.length, 4, 'each shown first, then shown again once');
  const counts = h.history.counts();
  assert.deepEqual([counts.received, counts.relayed, counts.duplicate], [6, 2, 4], 'two lines, each copy counted once');
});

test('a forged line of an author who left, under the name of someone here, is dropped: it would pass for theirs', async () => {
  const bob = await writer('bob-00000001');
  const alice = await writer('alice-000001');
  const mallory = await writer('mallory-0001');
  const present = [bob.member, alice.member, mallory.member];
  const h = harness(present);
  for (const member of present) h.link(member);
  // Bob leaves (we learned his key); a member named like him is here by then.
  present.splice(0, 1);
  bob.member.disposed = true;
  h.history.feature.removed?.(bob.member, 'ERR_PEER_LEFT');
  alice.member.name = 'BOB';
  h.answer(mallory.member, [{ ...(await bob.line('real words')), text: 'bob owes mallory' }]);
  await h.history.idle();
  assert.deepEqual(h.marks(), []);
  assert.equal(h.history.counts().dropped, 1);
});

test('a line under the id of a member here whose key never came is dropped after the wait: it would pass for theirs', async (t) => {
  const time = fakeTime(t);
  const bob = await writer('bob-00000001');
  const alice = await writer('alice-000001');
  bob.member.key = null; // its key never comes: no announcement, no hello
  const h = harness([alice.member, bob.member], time.now);
  h.link(alice.member);
  h.answer(alice.member, [{ ...(await bob.line('bob never said this')), name: 'robert', sig: 'S'.repeat(86) }]);
  await h.history.idle();
  assert.deepEqual(h.marks(), [], 'it waits for bob');
  time.advance(60_000);
  await h.history.idle();
  assert.deepEqual(h.marks(), []);
  assert.equal(h.history.counts().dropped, 1);
});

test('a line whose author is here but not linked yet waits for the author’s hello', async () => {
  const bob = await writer('bob-00000001');
  const alice = await writer('alice-000001');
  const bobKey = bob.member.key;
  bob.member.key = null; // no proven announcement: only its hello will tell
  const h = harness([alice.member, bob.member]);
  h.link(alice.member);
  h.answer(alice.member, [await bob.line('wait for me')]);
  await h.history.idle();
  assert.deepEqual(h.marks(), []);
  bob.member.key = bobKey;
  h.link(bob.member);
  await h.history.idle();
  assert.deepEqual(h.marks(), ['wait for me:true']);
});

test('a line whose author is here, not linked yet, but with a proven announced key is checked at once', async () => {
  const bob = await writer('bob-00000001');
  const alice = await writer('alice-000001');
  const h = harness([alice.member, bob.member]); // bob's key: the one its join announced
  h.link(alice.member);
  h.answer(alice.member, [await bob.line('no need to wait'), { ...(await bob.line('altered')), text: 'ALTERED' }]);
  await h.history.idle();
  assert.deepEqual(h.marks(), ['no need to wait:true'], 'the altered one dropped: bob is here');
});

test('at most 200 history lines per sender per join; unsolicited history is ignored', async () => {
  const bob = await writer('bob-00000001');
  const alice = await writer('alice-000001');
  const latecomer = await writer('late-0000001');
  const h = harness([alice.member, bob.member]);
  h.link(alice.member);
  h.link(bob.member);
  // A member that joined after us was never asked.
  h.history.feature.added?.(latecomer.member);
  h.link(latecomer.member);
  assert.ok(!latecomer.member.wire.some((m) => m.t === 'history:req'));
  h.answer(latecomer.member, [await bob.line('unsolicited')]);
  const lines = await Promise.all(Array.from({ length: 250 }, (_, i) => bob.line(`l${i}`, 1_000 + i)));
  for (let i = 0; i < lines.length; i += 50) h.answer(alice.member, lines.slice(i, i + 50), false);
  h.answer(alice.member, [], true);
  h.answer(alice.member, [await bob.line('after done')]);
  await h.history.idle();
  const counts = h.history.counts();
  assert.equal(counts.received, MAX_HISTORY_LINES);
  assert.equal(counts.verified, MAX_HISTORY_LINES);
  assert.equal(counts.ignored, 1 + 50 + 1);
  assert.equal(counts.answered, 1);
});

test('a member that joins after us under an id it held before we came (the server restarted) is asked as if here first; a newcomer, or one we knew, is not', async () => {
  const ann = await writer('ann-00000001');
  const oli = await writer('oli-00000001');
  const bob = await writer('bob-00000001');
  // We reached the restarted server first: nobody was listed.
  const h = harness([]);
  // Bob joined after us and reloads: we knew him, his lines are ours already.
  h.history.feature.added?.(bob.member);
  assert.equal(h.history.returned(bob.member.id), false);
  assert.equal(h.history.returned(ann.member.id), true);
  assert.equal(h.history.returned(ann.member.id), false, 'said once');
  for (const m of [ann.member, oli.member, bob.member]) {
    h.history.feature.added?.(m);
    h.link(m);
  }
  assert.ok(ann.member.wire.some((m) => m.t === 'history:req'));
  assert.ok(!oli.member.wire.some((m) => m.t === 'history:req'));
  assert.ok(!bob.member.wire.some((m) => m.t === 'history:req'));
  h.answer(ann.member, [await ann.line('before the restart')]);
  await h.history.idle();
  assert.deepEqual(h.marks(), ['before the restart:true']);
  assert.equal(h.missed.length, 0, 'under "Before you joined", not as live lines');
});

test('a member that says bye and offers again is the same sender: asked once, at most 200 lines in all', async () => {
  const present: FakeMember[] = [];
  const shown: ChatLine[] = [];
  const history = createHistory({
    selfId: () => SELF,
    selfName: () => 'newcomer',
    ownKey: async () => null,
    members: () => present,
    transcript: createTranscript(),
    show: (line) => shown.push(line),
  });
  const MALLORY = 'mallory-0001';
  history.joined([MALLORY]);
  let n = 0;
  // Lines of "authors" who left before we came: each shown on Mallory's word, as relayed.
  const invented = (): HistoryLine => {
    n++;
    const at = String(n).padStart(7, '0');
    return {
      from: `ghost${at}`,
      name: `Ghost ${n % 30}`,
      id: `id-${at.padStart(12, '0')}`,
      ts: 1_000 + n,
      text: `${n}`,
    };
  };
  const requests: number[] = [];
  for (let round = 0; round < 5; round++) {
    // A new member object under the same id each round (its bye, then a fresh offer).
    const mallory = fakeMember(MALLORY);
    present.splice(0, present.length, mallory);
    history.feature.added?.(mallory);
    mallory.isOpen = true;
    history.feature.verified?.(mallory);
    history.feature.opened?.(mallory);
    requests.push(mallory.wire.filter((m) => m.t === 'history:req').length);
    for (let chunk = 0; chunk < 4; chunk++) {
      history.feature.receive(mallory, {
        t: 'history:lines',
        lines: Array.from({ length: 50 }, invented),
        done: chunk === 3,
      });
    }
    await history.idle();
    mallory.disposed = true;
    history.feature.removed?.(mallory, 'ERR_BYE');
  }
  assert.deepEqual(requests, [1, 0, 0, 0, 0], 'its answer was complete: not asked again');
  assert.equal(shown.length, MAX_HISTORY_LINES);
  assert.equal(history.counts().asked, 1);
});

/**
 * A page that holds one line and answers history requests, on a clock the test moves: `time`
 * alone (the timers stay put), or both with `advance`. setTimeout is mocked, so nothing runs
 * on its own.
 */
function answering(t: { after(fn: () => void): void }) {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const transcript = createTranscript();
  transcript.keep({ from: 'bob-00000001', name: 'bob', id: 'line-0000000001', ts: 1, text: 'hi' });
  const time = { now: 0 };
  const history = createHistory({
    selfId: () => SELF,
    selfName: () => 'me',
    ownKey: async () => null,
    members: () => [],
    transcript,
    show: () => {},
    now: () => time.now,
  });
  const advance = (ms: number) => {
    time.now += ms;
    mock.timers.tick(ms);
  };
  return { history, time, advance };
}

test('a member that asks again and again through new member objects is answered three times a minute; one that reloads now and then, every time', (t) => {
  const { history, time } = answering(t);
  const ask = () => {
    const asker = fakeMember('asker-000001', null, true);
    history.feature.receive(asker, { t: 'history:req' });
    return asker.wire.filter((m) => m.t === 'history:lines').length > 0;
  };
  const burst = Array.from({ length: 6 }, ask);
  assert.deepEqual(burst, [true, true, true, false, false, false], 'three answers within the window');
  // (The three over the cap wait for the window: see the next test.) A minute on, a tab
  // reloaded every 25 s (the same peer id, through its resume ticket): answered each time.
  time.now += 60_000;
  const reloads = Array.from({ length: 6 }, () => {
    time.now += 25_000;
    return ask();
  });
  assert.deepEqual(reloads, [true, true, true, true, true, true]);
});

test('a request over the cap is answered, its latest only, once the window allows; not when its member object is gone', (t) => {
  const { history, advance: tick } = answering(t);
  const answered = (m: FakeMember) => m.wire.filter((x) => x.t === 'history:lines');
  // A tab reloaded four times within a minute: each reload is a new member object, same id.
  const tabs = Array.from({ length: 4 }, () => fakeMember('asker-000001', null, true));
  for (const [i, tab] of tabs.entries()) {
    history.feature.receive(tab, { t: 'history:req', n: i + 1 });
    if (i < 3) {
      tab.disposed = true;
      tick(10_000);
    }
  }
  assert.equal(answered(tabs[3] as FakeMember).length, 0, 'over the cap: not now');
  tick(29_000);
  assert.equal(answered(tabs[3] as FakeMember).length, 0, 'the window has not moved yet');
  tick(1_000);
  const late = answered(tabs[3] as FakeMember);
  assert.equal(late.length, 1, 'answered once the first answer left the window');
  assert.equal(late[0]?.t === 'history:lines' && late[0].n, 4, 'the answer to its latest request');
  // Over the cap again, and gone before the window allows: nothing is sent to it.
  const gone = fakeMember('asker-000001', null, true);
  history.feature.receive(gone, { t: 'history:req', n: 5 });
  history.feature.receive(gone, { t: 'history:req', n: 6 });
  gone.disposed = true;
  tick(60_000);
  assert.equal(answered(gone).length, 0);
});

test('the members whose answer to our join is on its way: asked and not done, here, and asked under 75 s ago', async () => {
  const alice = await writer('alice-000001');
  const bob = await writer('bob-00000001');
  const carol = await writer('carol-000001');
  const time = { now: 0 };
  const h = harness([alice.member, bob.member, carol.member], () => time.now);
  const waiting = () => h.history.waitingFor().map((member) => member.name);
  assert.deepEqual(waiting(), [], 'nobody asked yet: nothing on its way');
  for (const m of [alice.member, bob.member, carol.member]) h.link(m);
  assert.deepEqual(waiting(), ['alice', 'bob', 'carol']);
  // A chunk that is not the last leaves the answer on its way; the last ends it.
  h.answer(alice.member, [await bob.line('one')], false);
  assert.deepEqual(waiting(), ['alice', 'bob', 'carol']);
  h.answer(alice.member, [], true);
  assert.deepEqual(waiting(), ['bob', 'carol']);
  // A member gone is not waited for.
  bob.member.disposed = true;
  assert.deepEqual(waiting(), ['carol']);
  // Asked again after its link reopened: waited for from then.
  time.now = 70_000;
  h.link(carol.member);
  time.now = 140_000;
  assert.deepEqual(waiting(), ['carol']);
  // An answer that has not come within 75 s of the request will not: no longer said to be coming.
  time.now = 145_000;
  assert.deepEqual(waiting(), []);
  // A catch-up after an outage of ours is not a join's history: its answer is not waited for in view.
  const h2 = harness([alice.member]);
  h2.link(alice.member);
  h2.answer(alice.member, [], true);
  h2.history.catchUp(Date.now());
  assert.ok(alice.member.wire.filter((m) => m.t === 'history:req').length >= 2, 'asked to catch up');
  assert.deepEqual(h2.history.waitingFor(), []);
});

test('asked again after a repair, a member answers from the top: lines it sent before do not count twice', async () => {
  const bob = await writer('bob-00000001');
  const alice = await writer('alice-000001');
  const h = harness([alice.member, bob.member]);
  h.link(alice.member);
  const lines = await Promise.all(Array.from({ length: MAX_HISTORY_LINES }, (_, i) => bob.line(`l${i}`, 1_000 + i)));
  h.answer(alice.member, lines.slice(0, 120), false);
  // Her link was repaired mid-answer (the features hear it open again): asked again.
  h.history.feature.opened?.(alice.member);
  assert.equal(alice.member.wire.filter((m) => m.t === 'history:req').length, 2);
  for (let i = 0; i < lines.length; i += 50) h.answer(alice.member, lines.slice(i, i + 50), false);
  h.answer(alice.member, [], true);
  await h.history.idle();
  const counts = h.history.counts();
  assert.equal(counts.received, MAX_HISTORY_LINES, 'every line taken once');
  assert.equal(counts.duplicate, 120);
  assert.equal(counts.ignored, 0, 'none of the second answer is lost to the cap');
  assert.equal(h.shown.length, MAX_HISTORY_LINES);
  assert.equal(counts.answered, 1);
});

/**
 * A newcomer (the harness) and Bob's page, each with its real history feature, over a link
 * the test drops and reopens: Bob's lines (200: four chunks) are his answer, `toUs` is his
 * page's handle for ours, and messages cross only when the test moves them, encoded and
 * parsed as on the wire. Bob's hello says `version`. Bob's answers are paced (pacer.ts): the
 * clock moves on before his messages cross, so that what he may send has gone.
 */
async function answeredByBob(t: { after(fn: () => void): void }, version: number | null) {
  const time = fakeTime(t);
  const bob = await writer('bob-00000001');
  bob.member.version = version;
  const h = harness([bob.member], time.now);
  const toUs = fakeMember(SELF, null, true);
  const bobsTranscript = createTranscript();
  const bobs = createHistory({
    selfId: () => bob.member.id,
    selfName: () => 'bob',
    ownKey: async () => null,
    members: () => [toUs],
    transcript: bobsTranscript,
    show: () => {},
    now: time.now,
  });
  bobs.feature.added?.(toUs);
  const lines = await Promise.all(Array.from({ length: MAX_HISTORY_LINES }, (_, i) => bob.line(`l${i}`, 1_000 + i)));
  for (const { from, name, id, ts, text, sig } of lines) {
    bobsTranscript.keep({ from, name, id, ts, text, ...(sig === undefined ? {} : { sig }) }, 'live');
  }
  const wire = (message: ChannelMessage) =>
    parseChannelMessage(encodeChannelMessage(message)) as MessageOf<'history:req' | 'history:lines'>;
  /** Every request of ours that reached Bob. */
  const requests: Array<MessageOf<'history:req'>> = [];
  return {
    h,
    bob,
    bobs,
    toUs,
    requests,
    /** Our messages reach Bob's page. */
    toBob: () => {
      for (const message of bob.member.wire.splice(0)) {
        const parsed = wire(message);
        if (parsed.t === 'history:req') requests.push(parsed);
        bobs.feature.receive(toUs, parsed);
      }
    },
    /** Bob's first `count` messages reach ours. */
    toNewcomer: (count = Number.POSITIVE_INFINITY) => {
      time.advance(10_000);
      for (const message of toUs.wire.splice(0, count)) h.history.feature.receive(bob.member, wire(message));
    },
    /** The channel drops: whatever is on it is lost. */
    drop: () => {
      for (const end of [bob.member, toUs]) {
        end.isOpen = false;
        end.wire.length = 0;
      }
    },
    /** A new channel: Bob's page hears it open (and sends what it has left) before ours asks again. */
    reopenOnBobsSide: () => {
      toUs.isOpen = true;
      toUs.room = Number.POSITIVE_INFINITY;
      bobs.feature.verified?.(toUs);
      bobs.feature.opened?.(toUs);
      time.advance(10_000);
    },
    /** Bob's channel to us has room again. */
    drained: () => {
      toUs.room = Number.POSITIVE_INFINITY;
      bobs.feature.drained?.(toUs);
      time.advance(10_000);
    },
  };
}

const chunksTo = (member: FakeMember) =>
  member.wire.filter((m): m is MessageOf<'history:lines'> => m.t === 'history:lines');

test('a link that drops mid-answer: the rest of the first answer, sent on the new link, is not taken for the second', async (t) => {
  const r = await answeredByBob(t, CHANNEL_PROTOCOL_VERSION);
  // Bob's channel to us takes two chunks, then has no room: the rest waits in his outbox.
  r.toUs.room = 2;
  r.h.link(r.bob.member);
  r.toBob();
  assert.equal(chunksTo(r.toUs).length, 2);
  // The first chunk reaches us; the second is in flight when the link drops.
  r.toNewcomer(1);
  r.drop();
  r.reopenOnBobsSide();
  assert.deepEqual(
    chunksTo(r.toUs).map((c) => c.done),
    [false, true],
    'Bob sends the rest of his first answer, ending with done',
  );
  // Our page hears the link open and asks again; Bob's leftover reaches us before he has
  // our new request, then his whole second answer.
  r.h.link(r.bob.member);
  r.toNewcomer();
  r.toBob();
  r.toNewcomer();
  await r.h.history.idle();
  const counts = r.h.history.counts();
  assert.equal(r.h.shown.length, MAX_HISTORY_LINES, 'every line arrives');
  assert.equal(counts.verified, MAX_HISTORY_LINES);
  assert.equal(counts.ignored, 100, 'the rest of the first answer is ignored');
  assert.equal(counts.answered, 1);
  const [first, second] = r.requests;
  assert.equal(r.requests.length, 2);
  assert.ok(second?.n !== undefined && second.n !== first?.n, 'each request has a fresh number');
});

test('the rest of the first answer, right behind the new link’s hello, is not taken either: it comes before we ask again', async (t) => {
  const r = await answeredByBob(t, CHANNEL_PROTOCOL_VERSION);
  r.toUs.room = 2;
  r.h.link(r.bob.member);
  r.toBob();
  r.toNewcomer(1);
  r.drop();
  r.reopenOnBobsSide();
  // Our page checks Bob's hello; what came behind it is handed to the features before
  // they hear the link open (member-proof.ts), and so before our new request goes.
  r.bob.member.isOpen = true;
  r.h.history.feature.verified?.(r.bob.member);
  r.toNewcomer();
  r.h.history.feature.opened?.(r.bob.member);
  r.toBob();
  r.toNewcomer();
  await r.h.history.idle();
  const counts = r.h.history.counts();
  assert.equal(r.h.shown.length, MAX_HISTORY_LINES, 'every line arrives');
  assert.equal(counts.ignored, 100);
  assert.equal(counts.answered, 1);
});

test('a member asked again sends only the new answer: what was left of the earlier one does not go after', async (t) => {
  const r = await answeredByBob(t, CHANNEL_PROTOCOL_VERSION);
  r.toUs.room = 2;
  r.bobs.feature.receive(r.toUs, { t: 'history:req', n: 7 });
  r.bobs.feature.receive(r.toUs, { t: 'history:req', n: 8 });
  r.drained();
  assert.deepEqual(
    chunksTo(r.toUs).map((c) => c.n),
    [7, 7, 8, 8, 8, 8],
  );
  // Past the answers it gives one member, a request is refused, and still ends the earlier answer.
  r.toUs.wire.length = 0;
  r.toUs.room = 1;
  r.bobs.feature.receive(r.toUs, { t: 'history:req', n: 9 });
  r.bobs.feature.receive(r.toUs, { t: 'history:req', n: 10 });
  r.drained();
  assert.deepEqual(
    chunksTo(r.toUs).map((c) => c.n),
    [9],
  );
});

for (const version of [2, null]) {
  test(`a member whose hello said ${version === null ? 'nothing yet' : `version ${version}`} is asked without a number and heard as before`, async (t) => {
    const r = await answeredByBob(t, version);
    r.h.link(r.bob.member);
    r.toBob();
    assert.deepEqual(r.requests, [{ t: 'history:req' }]);
    // Its page answers as it always did: no number in any chunk.
    assert.ok(chunksTo(r.toUs).length > 1);
    assert.ok(r.toUs.wire.every((m) => m.t === 'history:lines' && !('n' in m)));
    r.toNewcomer();
    await r.h.history.idle();
    assert.equal(r.h.shown.length, MAX_HISTORY_LINES);
    assert.equal(r.h.history.counts().answered, 1);
    assert.equal(r.h.history.counts().ignored, 0);
  });
}

/** A clock for the answer's pacer and the asker's budget, with Node's timers mocked to match. */
function fakeTime(t: { after(fn: () => void): void }) {
  let at = 0;
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  return {
    now: () => at,
    advance(ms: number) {
      at += ms;
      mock.timers.tick(ms);
    },
  };
}

/** 230 lines at the size limit, full of characters JSON escapes: tens of chunks. */
function keepLongLines(transcript: ReturnType<typeof createTranscript>, from: string): void {
  for (let i = 0; i < 230; i++) {
    transcript.keep({
      from,
      name: 'alice',
      id: `id-${String(i).padStart(10, '0')}`,
      ts: i,
      text: `${i} ${'"\u0001'.repeat(1_990)}`,
    });
  }
}

test('an answer holds the newest 200 public lines, oldest first, in chunks that fit a channel message', async (t) => {
  const time = fakeTime(t);
  const alice = await writer('alice-000001');
  const newcomer = fakeMember('newcomer-002');
  const h = harness([alice.member], time.now);
  keepLongLines(h.transcript, alice.member.id);
  newcomer.isOpen = true;
  h.history.feature.added?.(newcomer);
  h.history.feature.receive(newcomer, { t: 'history:req' });
  const chunks = () => newcomer.wire.filter((m): m is MessageOf<'history:lines'> => m.t === 'history:lines');
  for (let waited = 0; !chunks().at(-1)?.done && waited < 60_000; waited += 100) time.advance(100);
  assert.ok(chunks().length > 1);
  for (const chunk of chunks()) {
    const raw = encodeChannelMessage(chunk as ChannelMessage);
    assert.ok(raw.length <= MAX_CHANNEL_MESSAGE_LENGTH, `chunk of ${raw.length}`);
    assert.deepEqual(parseChannelMessage(raw), chunk);
  }
  assert.deepEqual(
    chunks().map((c) => c.done),
    chunks().map((_, i) => i === chunks().length - 1),
  );
  const ts = chunks().flatMap((c) => c.lines.map((l) => l.ts));
  assert.deepEqual(
    ts,
    Array.from({ length: 200 }, (_, i) => 30 + i),
  );
});

test('an answer of long lines goes paced within the budget the asker holds us to: never muted, never cut', async (t) => {
  const time = fakeTime(t);
  const alice = await writer('alice-000001');
  const newcomer = fakeMember('newcomer-003');
  const h = harness([alice.member], time.now);
  keepLongLines(h.transcript, alice.member.id);
  // The asker's page charges each message as it arrives (member-messages.ts does, per member).
  const asker = createBudget(CHANNEL_RATES, time.now);
  const verdicts: string[] = [];
  const send = newcomer.send.bind(newcomer);
  newcomer.send = (message) => {
    verdicts.push(asker.admit(message.t, encodeChannelMessage(message).length));
    return send(message);
  };
  newcomer.isOpen = true;
  h.history.feature.added?.(newcomer);
  h.history.feature.receive(newcomer, { t: 'history:req' });
  const burst = CHANNEL_RATES['history:lines'].burst;
  assert.ok(verdicts.length < burst, `${verdicts.length} at once, under the burst of ${burst}`);
  const done = () => newcomer.wire.some((m) => m.t === 'history:lines' && m.done);
  for (let waited = 0; !done() && waited < 60_000; waited += 100) time.advance(100);
  assert.ok(done(), 'the whole answer went');
  assert.ok(verdicts.length > burst, `${verdicts.length} chunks: more than one burst`);
  assert.deepEqual(new Set(verdicts), new Set(['pass']));
});

test('a line at the size limit with every signed reaction state still fits: the last states give way', () => {
  const lines = Array.from({ length: 3 }, (_, i) => ({
    from: 'alice-000001',
    name: 'alice',
    id: `id-${String(i).padStart(10, '0')}`,
    ts: i,
    text: i === 1 ? 'short' : `${i} ${'"\u0001'.repeat(1_990)}`,
  }));
  const states: HistoryReaction[] = Array.from({ length: MAX_HISTORY_LINE_REACTIONS }, (_, n) => ({
    emoji: '🎉',
    by: `reactor${String(n).padStart(5, '0')}`,
    name: 'n'.repeat(30),
    on: true,
    ts: 1_700_000_000_000 + n,
    sig: 'S'.repeat(86),
  }));
  const chunks = historyChunks(lines, () => states);
  for (const chunk of chunks) {
    const raw = encodeChannelMessage(chunk as ChannelMessage);
    assert.ok(raw.length <= MAX_CHANNEL_MESSAGE_LENGTH, `chunk of ${raw.length}`);
    assert.deepEqual(parseChannelMessage(raw), chunk);
  }
  const carried = chunks.flatMap((c) => c.lines.map((l) => l.reactions?.length ?? 0));
  assert.equal(carried[1], MAX_HISTORY_LINE_REACTIONS, 'a short line carries them all');
  assert.ok((carried[0] ?? 0) > 0 && (carried[0] ?? 0) < MAX_HISTORY_LINE_REACTIONS, `a long one some (${carried[0]})`);
  assert.deepEqual(chunks[0]?.lines[0]?.reactions, states.slice(0, carried[0]), 'the first ones, in order');
});

test('reactions travel with history lines: the answer carries them, the newcomer hands them on with their relayer', async () => {
  const bob = await writer('bob-00000001');
  const line = await bob.line('with reactions');
  const taken: Array<{ relayer: string; author: string; id: string; by: string[] }> = [];
  const transcript = createTranscript();
  transcript.keep({ from: line.from, name: line.name, id: line.id, ts: line.ts, text: line.text });
  const history = createHistory({
    selfId: () => SELF,
    selfName: () => 'newcomer',
    ownKey: async () => null,
    members: () => [bob.member],
    transcript,
    show: () => {},
    reactions: {
      forHistory: (author, id) => (id === line.id ? [{ emoji: '👍', by: author, name: 'bob', on: true, ts: 5 }] : []),
      fromHistory: (relayer, author, id, reactions) =>
        taken.push({ relayer: relayer.id, author, id, by: reactions.map((r) => r.by) }),
    },
  });
  bob.member.isOpen = true;
  history.feature.receive(bob.member, { t: 'history:req' });
  const answer = bob.member.wire.find((m): m is MessageOf<'history:lines'> => m.t === 'history:lines');
  assert.deepEqual(answer?.lines[0]?.reactions, [{ emoji: '👍', by: bob.member.id, name: 'bob', on: true, ts: 5 }]);
  assert.ok(answer && parseChannelMessage(encodeChannelMessage(answer)), 'the answer parses');

  history.joined([bob.member.id]);
  history.feature.added?.(bob.member);
  history.feature.verified?.(bob.member);
  history.feature.opened?.(bob.member);
  history.feature.receive(bob.member, {
    t: 'history:lines',
    lines: [{ ...line, reactions: [{ emoji: '🎉', by: bob.member.id, name: 'bob', on: true, ts: 6 }] }],
    done: true,
  });
  await history.idle();
  assert.deepEqual(taken, [{ relayer: bob.member.id, author: line.from, id: line.id, by: [bob.member.id] }]);
});

/** A message's size once sealed for a relay (client/announce.ts). */
const sealedSize = (message: ChannelMessage): number => sealedLength(encodeChannelMessage(message));

test('an answer to a member reached through a relay goes in chunks that each seal whole, every line in order', async () => {
  const texts = ['\u6f22'.repeat(1_000), 'a'.repeat(1_000), '"\u0001'.repeat(500)];
  const lines = Array.from({ length: MAX_HISTORY_LINES }, (_, i) => ({
    from: 'author-00001',
    name: 'author',
    id: `line-${String(i).padStart(12, '0')}`,
    ts: 1_700_000_000_000 + i,
    text: `${i} ${texts[i % texts.length]}`,
  }));
  const direct = historyChunks(lines);
  assert.ok(
    direct.some((chunk) => sealedSize(chunk as ChannelMessage) > MAX_SEALED_LENGTH),
    'sized for a direct link, a chunk would not seal whole',
  );
  const relayed = historyChunks(lines, undefined, { relayed: true });
  for (const chunk of relayed) {
    assert.ok(
      sealedSize(chunk as ChannelMessage) <= MAX_SEALED_LENGTH,
      `sealed ${sealedSize(chunk as ChannelMessage)}`,
    );
  }
  assert.deepEqual(
    relayed.flatMap((chunk) => chunk.lines.map((line) => line.id)),
    lines.map((line) => line.id),
  );
  assert.deepEqual(
    relayed.map((chunk) => chunk.done),
    relayed.map((_, i) => i === relayed.length - 1),
  );

  // The feature sizes its answer by the asker's route as it is when asked.
  const answerTo = (relayedAsker: boolean) => {
    const asker = fakeMember(`asker-${relayedAsker ? 'relay' : 'direc'}`, null, true);
    asker.relayed = relayedAsker;
    const h = harness([]);
    for (const line of lines) h.transcript.keep(line, 'live');
    h.history.feature.added?.(asker);
    h.history.feature.receive(asker, { t: 'history:req' });
    return asker.wire.filter((m): m is MessageOf<'history:lines'> => m.t === 'history:lines');
  };
  // One line that alone fills an envelope cannot go through a relay: it is left out, and
  // the answer still ends with its done.
  const huge = { ...lines[0], id: 'line-huge00000000', text: '\u0001'.repeat(4_000) } as (typeof lines)[number];
  const withHuge = historyChunks([huge, ...lines.slice(1)], undefined, { relayed: true });
  for (const chunk of withHuge) assert.ok(sealedSize(chunk as ChannelMessage) <= MAX_SEALED_LENGTH);
  assert.ok(!withHuge.some((chunk) => chunk.lines.some((line) => line.id === huge.id)));
  assert.equal(withHuge.flatMap((chunk) => chunk.lines).length, lines.length - 1);
  assert.equal(withHuge.at(-1)?.done, true);
  const sentRelayed = answerTo(true);
  assert.ok(sentRelayed.length > 0);
  for (const chunk of sentRelayed) assert.ok(sealedSize(chunk) <= MAX_SEALED_LENGTH);
  assert.ok(answerTo(false).some((chunk) => sealedSize(chunk) > MAX_SEALED_LENGTH));
});

/** The numbered request a member was sent last (a member whose hello says it reads numbers). */
function lastRequest(member: FakeMember): MessageOf<'history:req'> | undefined {
  return member.wire.filter((m): m is MessageOf<'history:req'> => m.t === 'history:req').at(-1);
}

test('a page back from an outage asks the members here again and shows what it missed once, in order, as live lines', async () => {
  const alice = await writer('alice-000001');
  const bob = await writer('bob-00000001');
  alice.member.version = CHANNEL_PROTOCOL_VERSION;
  bob.member.version = CHANNEL_PROTOCOL_VERSION;
  const h = harness([alice.member, bob.member]);
  h.link(alice.member);
  h.link(bob.member);
  const before = await alice.line('before the outage', 1_700_000_000_000);
  const ancient = await alice.line('long before we joined, never sent to us', 1_699_000_000_000);
  const answerOf = (member: FakeMember, lines: HistoryLine[]) =>
    h.history.feature.receive(member, { t: 'history:lines', n: lastRequest(member)?.n, lines, done: true });
  answerOf(alice.member, [before]);
  answerOf(bob.member, []);
  await h.history.idle();
  assert.equal(h.shown.length, 1);
  // Away from 1_700_000_100_000 on: the others wrote meanwhile, and no resend brought it.
  const m1 = await bob.line('missed one', 1_700_000_200_000);
  const m2 = await alice.line('missed two', 1_700_000_201_000);
  const m3 = await bob.line('missed three', 1_700_000_202_000);
  const requests = alice.member.wire.length + bob.member.wire.length;
  h.history.catchUp(1_700_000_100_000);
  assert.equal(alice.member.wire.length + bob.member.wire.length, requests + 2, 'each member here is asked again');
  answerOf(alice.member, [ancient, before, m1, m2, m3]);
  await h.history.idle();
  answerOf(bob.member, [before, m1, m2, m3]);
  await h.history.idle();
  assert.deepEqual(
    h.missed.map((line) => line.text),
    ['missed one', 'missed two', 'missed three'],
  );
  assert.ok(
    h.missed.every((line) => line.history === undefined && line.receivedAt !== undefined),
    'shown as the live lines they were',
  );
  assert.equal(h.shown.length, 1, 'nothing more under "Before you joined"');
  // Checked against their authors, so passed on to later newcomers; a resend of one now is a copy.
  assert.ok(h.transcript.wasShown(bob.member.id, m1.id));
  assert.deepEqual(
    h.transcript.recent().map((line) => line.text),
    ['before the outage', 'missed one', 'missed two', 'missed three'],
  );
  assert.equal(h.history.counts().missed, 3);
});

test('back from an outage, a line we hold that its author edited or deleted meanwhile comes revised; a relayer’s forged edit does not', async () => {
  const alice = await writer('alice-000001');
  const bob = await writer('bob-00000001');
  alice.member.version = CHANNEL_PROTOCOL_VERSION;
  bob.member.version = CHANNEL_PROTOCOL_VERSION;
  const revised: HistoryLine[] = [];
  const h = harness([alice.member, bob.member], undefined, (line) => revised.push(line));
  h.link(alice.member);
  h.link(bob.member);
  const answerOf = (member: FakeMember, lines: HistoryLine[]) =>
    h.history.feature.receive(member, { t: 'history:lines', n: lastRequest(member)?.n, lines, done: true });
  const typo = await alice.line('teh plan', 1_700_000_000_000);
  answerOf(alice.member, [typo]);
  answerOf(bob.member, []);
  await h.history.idle();
  // While we were away (from 1_700_000_100_000) Alice fixed it: an old line, a new edit.
  const at = 1_700_000_200_000;
  const sig =
    (await alice.identity.sign({ from: typo.from, id: typo.id, ts: typo.ts, text: 'the plan', edited: at })) ?? '';
  const fixed: HistoryLine = { ...typo, text: 'the plan', edited: at, sig };
  h.history.catchUp(1_700_000_100_000);
  answerOf(bob.member, [{ ...fixed, text: 'bob’s plan' }]);
  answerOf(alice.member, [fixed]);
  await h.history.idle();
  assert.deepEqual(
    revised.map((line) => line.text),
    ['the plan'],
  );
});

test('a missed line on a relaying member’s word alone is not shown as live, nor a forged one', async () => {
  const alice = await writer('alice-000001');
  const dana = await writer('dana-0000001');
  const h = harness([alice.member]);
  h.link(alice.member);
  h.answer(alice.member, []);
  h.history.catchUp(1_700_000_000_000);
  const real = await dana.line('dana, who left before we knew her key', 1_700_000_100_000);
  const forged = { ...(await alice.line('alice said this', 1_700_000_100_001)), text: 'alice said that' };
  h.answer(alice.member, [real, forged]);
  await h.history.idle();
  assert.deepEqual(h.missed, []);
  assert.deepEqual(h.shown, []);
});

test('a line of ours a catch-up brings, from before a reload, is shown as history, not as a live line of ours', async () => {
  const me = await writer(SELF);
  const alice = await writer('alice-000001');
  const h = harness([alice.member], undefined, undefined, () => me.identity.publicKey());
  h.link(alice.member);
  h.answer(alice.member, []);
  h.history.catchUp(1_700_000_000_000);
  const ours = await me.line('written before this page reloaded', 1_700_000_100_000);
  h.answer(alice.member, [ours]);
  await h.history.idle();
  assert.deepEqual(h.missed, [], 'no live line of ours: its receipt would say "sent" for ever');
  assert.deepEqual(
    h.shown.map(({ line }) => [line.text, line.own, line.history?.verified]),
    [['written before this page reloaded', true, 'true']],
  );
});

test('a member out of reach when we come back is asked once it is reachable again, once', async () => {
  const alice = await writer('alice-000001');
  const h = harness([alice.member]);
  h.link(alice.member);
  h.answer(alice.member, []);
  alice.member.isOpen = false;
  const asked = () => alice.member.wire.filter((m) => m.t === 'history:req').length;
  h.history.catchUp(1_700_000_000_000);
  assert.equal(asked(), 1, 'not reachable: not asked yet');
  alice.member.isOpen = true; // its link heard again, without a new channel
  h.history.recheck();
  h.history.recheck();
  assert.equal(asked(), 2);
  const missed = await alice.line('written while we were away', 1_700_000_100_000);
  h.answer(alice.member, [missed]);
  await h.history.idle();
  assert.deepEqual(
    h.missed.map((line) => line.text),
    ['written while we were away'],
  );
});

test('a hostile member answering a catch-up: another’s private line passed off as public, hundreds of its own, an answer that never ends, lines nobody asked for', async () => {
  const alice = await writer('alice-000001');
  const mallory = await writer('mall-0000001');
  const h = harness([alice.member, mallory.member]);
  h.link(alice.member);
  h.link(mallory.member);
  h.answer(alice.member, []);
  h.answer(mallory.member, []);
  h.history.catchUp(1_700_000_000_000);
  h.answer(alice.member, []);
  // Alice's private line to Mallory, signed for Mallory alone, handed on as a public line.
  const ts = 1_700_000_100_000;
  const text = 'for mallory only';
  const to = mallory.member.id;
  const sig = (await alice.identity.sign({ from: alice.member.id, id: 'alic-private-0001', ts, text, to })) ?? '';
  const leaked: HistoryLine = { from: alice.member.id, name: 'alice', id: 'alic-private-0001', ts, text, sig };
  const own = await Promise.all(Array.from({ length: 300 }, (_, i) => mallory.line(`spam ${i}`, ts + 1 + i)));
  h.answer(mallory.member, [leaked], false);
  for (let i = 0; i < own.length; i += 50) h.answer(mallory.member, own.slice(i, i + 50), false);
  // Alice's answer was complete: what she sends after it is unsolicited.
  h.answer(alice.member, [await alice.line('nobody asked', ts + 5)]);
  await h.history.idle();
  assert.ok(!h.missed.some((line) => line.text === text), 'a private line never shows as public');
  assert.ok(!h.missed.some((line) => line.text === 'nobody asked'));
  assert.equal(
    h.missed.length,
    MAX_HISTORY_LINES - 1,
    'her own lines, up to the cap of an answer (the leaked one counted)',
  );
  // Her answer never ends: the next catch-up asks her again, and takes at most as much.
  const asked = () => mallory.member.wire.filter((m) => m.t === 'history:req').length;
  const before = asked();
  h.history.catchUp(1_700_000_050_000);
  assert.equal(asked(), before + 1);
  const more = await Promise.all(Array.from({ length: 250 }, (_, i) => mallory.line(`more ${i}`, ts + 1_000 + i)));
  for (let i = 0; i < more.length; i += 50) h.answer(mallory.member, more.slice(i, i + 50), false);
  await h.history.idle();
  assert.equal(h.missed.length, 2 * MAX_HISTORY_LINES - 1);
});
