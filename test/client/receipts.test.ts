// Receipts: our lines count up from "sent" through "delivered to k of n" to "delivered to
// all" and "read by k"; the chat's acks drive delivery; members we did not write to, ids we
// never sent and floods are ignored; read receipts go back to the author in batches; a line
// we deleted carries no receipt.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { createChat } from '../../client/features/chat.ts';
import {
  createReceipts,
  KEEP_DELAY_MS,
  RELAYED_READ_RESENDS,
  RELAYED_READ_RETRY_MS,
  type Receipt,
  receiptOf,
  receiptText,
} from '../../client/features/receipts.ts';
import { KEPT_CHARS, KEPT_RECEIPTS } from '../../client/features/receipts-kept.ts';
import { createTranscript } from '../../client/features/transcript.ts';
import { createIdentity } from '../../client/identity.ts';
import type { CalmLane } from '../../client/view/calm.ts';
import { lineAbout, lineParts } from '../../client/view/line-about.ts';
import { createReceiptsView, receiptDetail } from '../../client/view/receipts.ts';
import { installFakeDom } from './fake-dom.ts';
import { manualClock, openMember } from './fake-member.ts';

const LINE = 'line-aaaaaaaaaaaaaaaa';

/** `draw`: what the page does with each change (a receipts view), beside recording it. */
function harness(draw?: (lineId: string, receipt: Receipt | null) => void) {
  const clock = manualClock(0);
  const peers = [openMember('alice-000001'), openMember('bob-00000001'), openMember('carol-000001')];
  const byId = new Map(peers.map((p) => [p.id, p]));
  const updates: Array<[string, Receipt | null]> = [];
  const receipts = createReceipts({
    member: (id) => byId.get(id),
    changed(lineId, receipt) {
      updates.push([lineId, receipt]);
      draw?.(lineId, receipt);
    },
    now: clock.now,
  });
  const [alice, bob, carol] = peers;
  assert.ok(alice && bob && carol);
  return { receipts, alice, bob, carol, updates, clock };
}

const text = (receipt: Receipt | null) => (receipt ? `${receipt.state}: ${receiptText(receipt)}` : null);

test('a line counts up from sent to delivered to all, then read by k', () => {
  const { receipts, alice, bob, carol } = harness();
  receipts.sent(LINE, [alice.id, bob.id, carol.id]);
  assert.equal(text(receipts.receipt(LINE)), 'sent: sent');
  receipts.delivered(LINE, alice);
  receipts.delivered(LINE, alice); // a second ack of the same member counts once
  assert.equal(text(receipts.receipt(LINE)), 'delivered-some: delivered to 1 of 3');
  receipts.delivered(LINE, bob);
  receipts.delivered(LINE, carol);
  assert.equal(text(receipts.receipt(LINE)), 'delivered-all: delivered to all');
  receipts.feature.receive(bob, { t: 'receipt:read', ids: [LINE] });
  assert.equal(text(receipts.receipt(LINE)), 'read: read by 1');
  receipts.feature.receive(carol, { t: 'receipt:read', ids: [LINE] });
  receipts.feature.receive(carol, { t: 'receipt:read', ids: [LINE] });
  assert.equal(text(receipts.receipt(LINE)), 'read: read by 2');
});

test('a line written while we seem offline waits to send, not failed, and counts up as any once we are back', () => {
  const { receipts, alice, bob } = harness();
  receipts.sent(LINE, [alice.id, bob.id], false, true);
  assert.equal(text(receipts.receipt(LINE)), 'queued: waiting to send');
  receipts.back();
  assert.equal(text(receipts.receipt(LINE)), 'sent: sent');
  receipts.delivered(LINE, alice);
  assert.equal(text(receipts.receipt(LINE)), 'delivered-some: delivered to 1 of 2');
});

test('a line written to nobody stays "sent"; one whose only missing member left is delivered to all', () => {
  const { receipts, alice, bob } = harness();
  receipts.sent('alone-aaaaaaaaaaaaaaa', []);
  assert.equal(text(receipts.receipt('alone-aaaaaaaaaaaaaaa')), 'sent: sent');
  receipts.sent(LINE, [alice.id, bob.id]);
  receipts.delivered(LINE, alice);
  receipts.feature.removed?.(bob, 'ERR_PEER_LEFT');
  assert.equal(text(receipts.receipt(LINE)), 'delivered-all: delivered', 'to all of the one still here');
});

test('read receipts for lines we never wrote to that member, or never wrote, change nothing', () => {
  const { receipts, alice, bob, updates } = harness();
  receipts.sent(LINE, [alice.id]);
  const before = updates.length;
  receipts.feature.receive(bob, { t: 'receipt:read', ids: [LINE] });
  receipts.feature.receive(alice, { t: 'receipt:read', ids: ['unknown-aaaaaaaaaaaaa'] });
  assert.equal(updates.length, before);
  assert.equal(text(receipts.receipt(LINE)), 'sent: sent');
});

test('a member flooding read receipts is obeyed 20 times a second, not more', () => {
  const { receipts, alice, clock } = harness();
  const ids = Array.from({ length: 100 }, (_, i) => `line-${String(i).padStart(16, '0')}`);
  for (const id of ids) receipts.sent(id, [alice.id]);
  for (const id of ids) receipts.feature.receive(alice, { t: 'receipt:read', ids: [id] });
  const read = ids.filter((id) => receipts.receipt(id)?.state === 'read').length;
  assert.equal(read, 20);
  clock.advance(1_000);
  receipts.feature.receive(alice, { t: 'receipt:read', ids: ids.slice(50, 60) });
  assert.equal(receipts.receipt(ids[55] ?? '')?.state, 'read', 'obeyed again a second later');
});

test('lines we read go back to their author together, and wait for a closed channel', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { receipts, alice } = harness();
    alice.isOpen = false;
    receipts.read(alice.id, 'one-aaaaaaaaaaaaaaaaa');
    receipts.read(alice.id, 'two-aaaaaaaaaaaaaaaaa');
    mock.timers.tick(1_000);
    assert.deepEqual(alice.wire, []);
    alice.isOpen = true;
    receipts.feature.opened?.(alice);
    assert.deepEqual(alice.wire, [{ t: 'receipt:read', ids: ['one-aaaaaaaaaaaaaaaaa', 'two-aaaaaaaaaaaaaaaaa'] }]);
  } finally {
    mock.timers.reset();
  }
});

test('read receipts through a relay go again: on every route that opens, and a few times while it stays; direct, once', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { receipts, alice, bob } = harness();
  try {
    alice.relayed = true;
    receipts.read(alice.id, 'one-aaaaaaaaaaaaaaaaa');
    receipts.read(bob.id, 'two-aaaaaaaaaaaaaaaaa');
    mock.timers.tick(1_000);
    const copies = (wire: typeof alice.wire) => wire.filter((m) => m.t === 'receipt:read').length;
    assert.deepEqual([copies(alice.wire), copies(bob.wire)], [1, 1]);
    // Alice's route opens again (another relay, or the same one after a silence).
    receipts.feature.opened?.(alice);
    assert.equal(copies(alice.wire), 2);
    // The route stays: RELAYED_READ_RETRY_MS later, then twice as long, …, then no more.
    for (let n = 0; n < RELAYED_READ_RESENDS; n++) {
      mock.timers.tick(RELAYED_READ_RETRY_MS * 2 ** n);
      assert.equal(copies(alice.wire), 3 + n);
    }
    mock.timers.tick(100 * RELAYED_READ_RETRY_MS);
    assert.equal(copies(alice.wire), 2 + RELAYED_READ_RESENDS);
    assert.deepEqual(alice.wire.at(-1), { t: 'receipt:read', ids: ['one-aaaaaaaaaaaaaaaaa'] });
    assert.equal(copies(bob.wire), 1, 'a direct channel delivers what it takes');
  } finally {
    mock.timers.reset();
  }
});

test("the chat's acks drive delivery, once per line and member", async () => {
  const { receipts, alice, bob } = harness();
  const chat = createChat({
    selfId: () => 'me-000000001',
    selfName: () => 'Me',
    members: () => [alice, bob],
    display: () => {},
    identity: createIdentity(),
    transcript: createTranscript(),
    delivered: (lineId, member) => receipts.delivered(lineId, member),
  });
  const line = chat.send('hello');
  assert.ok(line);
  // A line goes out once it is signed (asynchronously): acks can only follow that.
  while (!bob.wire.some((m) => m.t === 'chat')) await new Promise((resolve) => setImmediate(resolve));
  receipts.sent(line.id, [alice.id, bob.id]);
  chat.feature.receive(alice, { t: 'ack', ids: [line.id, line.id] });
  chat.feature.receive(alice, { t: 'ack', ids: [line.id] });
  assert.equal(text(receipts.receipt(line.id)), 'delivered-some: delivered to 1 of 2');
  chat.feature.receive(bob, { t: 'ack', ids: [line.id] });
  assert.equal(text(receipts.receipt(line.id)), 'delivered-all: delivered to all');
});

test('a private line waits for its one recipient to come back; a member shut out stops counting, private or not', () => {
  const { receipts, alice, bob, carol } = harness();
  const PRIVATE = 'private-aaaaaaaaaaaaa';
  receipts.sent(PRIVATE, [bob.id], true);
  // Bob reloads before his ack: the chat keeps the line for his return, so he still counts.
  receipts.feature.removed?.(bob, 'ERR_CHANNEL_CLOSED');
  assert.equal(text(receipts.receipt(PRIVATE)), 'sent: sent');
  assert.equal(receipts.receipt(PRIVATE)?.recipients, 1);
  receipts.delivered(PRIVATE, bob);
  assert.equal(text(receipts.receipt(PRIVATE)), 'delivered-all: delivered', 'not "to all": it was for bob alone');
  // Carol is held (cut, intercepted) or proved no room key: she will get nothing from us.
  const TO_CAROL = 'private-bbbbbbbbbbbbb';
  receipts.sent(TO_CAROL, [carol.id], true);
  receipts.sent(LINE, [alice.id, carol.id]);
  receipts.delivered(LINE, alice);
  receipts.feature.shut?.(carol);
  assert.equal(text(receipts.receipt(LINE)), 'delivered-all: delivered');
  assert.equal(receipts.receipt(TO_CAROL)?.recipients, 0);
  assert.equal(text(receipts.receipt(TO_CAROL)), 'undelivered: not delivered');
});

test('a line nobody it was for will get says "not delivered", and to whom: not "sent" for good', () => {
  const { receipts, alice, bob, carol } = harness();
  const names: Record<string, string> = { [alice.id]: 'Alice', [bob.id]: 'Bob' };
  const nameOf = (id: string) => names[id] ?? 'someone';
  // Everyone it was written to left before it arrived.
  receipts.sent(LINE, [alice.id, bob.id]);
  receipts.feature.removed?.(alice, 'ERR_PEER_LEFT');
  assert.equal(text(receipts.receipt(LINE)), 'sent: sent', 'bob may still get it');
  receipts.feature.removed?.(bob, 'ERR_RETURN_TIMEOUT');
  const receipt = receipts.receipt(LINE);
  assert.equal(text(receipt), 'undelivered: not delivered');
  assert.ok(receipt);
  assert.equal(receiptDetail(receipt, nameOf), 'Not delivered to Alice, Bob');
  // A private line when we get a new id: the chat drops it (its recipient knows us by the
  // old id), so it is not delivered either, not waiting for a return that cannot bring it.
  const PRIVATE = 'private-ccccccccccccc';
  receipts.sent(PRIVATE, [carol.id], true);
  receipts.feature.removed?.(carol, 'ERR_SELF_RESET');
  assert.equal(text(receipts.receipt(PRIVATE)), 'undelivered: not delivered');
});

test('the author learns who read its line, on the note’s detail, with how far it got to the others', () => {
  const names: Record<string, string> = { b: 'Bob', c: 'Carol' };
  const nameOf = (id: string) => names[id] ?? 'someone who left';
  const line = {
    recipients: new Set(['b', 'c', 'd']),
    delivered: new Set(['b', 'c']),
    read: new Set(['c']),
    missed: new Set<string>(),
    privately: false,
    at: 0,
  };
  const receipt = receiptOf(line);
  assert.equal(receiptText(receipt), 'read by 1');
  assert.deepEqual(receipt.readBy, ['c']);
  assert.equal(receiptDetail(receipt, nameOf), 'Read by Carol · delivered to 2 of 3');
  line.delivered.add('d');
  line.read.add('d');
  assert.equal(receiptDetail(receiptOf(line), nameOf), 'Read by Carol, someone who left');
  line.read.clear();
  assert.equal(receiptDetail(receiptOf(line), nameOf), '', 'nothing more to say than "delivered to all"');
});

test('a line we deleted carries no receipt: it stops counting, its note goes, and a screen reader hears none', () => {
  const dom = installFakeDom([]);
  try {
    // Drawn at once: the calm lane's batching is not what this checks.
    const calm: CalmLane = Object.assign((draw: () => void) => draw(), { cancel: () => {} });
    const view = createReceiptsView(calm);
    const { receipts, alice, bob, carol, updates } = harness((lineId, receipt) => view.update(lineId, receipt));
    const item = document.createElement('li');
    item.dataset.kind = 'chat';
    const words = document.createElement('span');
    words.dataset.testid = 'message-text';
    words.textContent = 'message deleted';
    item.append(words);
    view.own(item, LINE);
    receipts.sent(LINE, [alice.id, bob.id, carol.id]);
    receipts.delivered(LINE, alice);
    receipts.delivered(LINE, bob);
    assert.equal(item.dataset.receipt, 'delivered-some');
    // (The stand-in page keeps a title as an attribute only: the note's detail reads undefined.)
    assert.match(lineAbout(lineParts(item)).description, /^delivered to 2 of 3/);
    // Deleted before Carol got it: the chat sends it to her no more, so she never would.
    receipts.withdrawn(LINE);
    assert.equal(receipts.receipt(LINE), null);
    assert.equal(item.querySelector('[data-testid=receipt]'), null);
    assert.equal(item.dataset.receipt, undefined);
    assert.equal(lineAbout(lineParts(item)).description, '');
    // What still comes of it changes nothing: a late ack, a read receipt, Carol leaving.
    const before = updates.length;
    receipts.delivered(LINE, carol);
    receipts.feature.receive(bob, { t: 'receipt:read', ids: [LINE] });
    receipts.feature.removed?.(carol, 'ERR_PEER_LEFT');
    receipts.withdrawn(LINE);
    assert.equal(updates.length, before);
    assert.equal(item.querySelector('[data-testid=receipt]'), null);
  } finally {
    dom.restore();
  }
});

test('a reader renamed, or back under its id under another name, is named in the detail as it is now; other notes are left alone', () => {
  const dom = installFakeDom([]);
  try {
    const calm: CalmLane = Object.assign((draw: () => void) => draw(), { cancel: () => {} });
    const names = new Map([
      ['bob-00000001', 'bob'],
      ['carol-000001', 'carol'],
    ]);
    const view = createReceiptsView(calm, { nameOf: (peerId) => names.get(peerId) ?? 'someone who left' });
    const { receipts, bob, carol } = harness((lineId, receipt) => view.update(lineId, receipt));
    const [read, unread] = [LINE, 'line-bbbbbbbbbbbbbbbb'].map((id) => {
      const item = document.createElement('li');
      view.own(item, id);
      receipts.sent(id, [bob.id, carol.id]);
      return item;
    });
    /** The detail of a line's note (its title: the note is made a button once it has one). */
    const detail = (item: HTMLElement | undefined) =>
      item?.querySelector('[data-testid=receipt]')?.getAttribute('title');
    receipts.feature.receive(bob, { t: 'receipt:read', ids: [LINE] });
    receipts.feature.receive(carol, { t: 'receipt:read', ids: [LINE] });
    assert.equal(detail(read), 'Read by bob, carol');
    // Bob becomes Robert, and Carol takes "bob": the detail named Carol as the first reader.
    names.set(bob.id, 'robert');
    names.set(carol.id, 'bob');
    view.renamed(bob.id);
    view.renamed(carol.id);
    assert.equal(detail(read), 'Read by robert, bob');
    // A note that names neither has nothing to say again.
    assert.equal(detail(unread), '');
  } finally {
    dom.restore();
  }
});

/** A tab's sessionStorage for receipts (storage.ts receiptStore), as JSON, as it keeps them. */
function tabStore(initial: unknown = null) {
  let raw = JSON.stringify(initial);
  return {
    load: () => JSON.parse(raw) as unknown,
    save: (saved: unknown) => {
      raw = JSON.stringify(saved);
    },
    raw: () => raw,
  };
}

test('receipts outlive a reload: our line back with history shows what reached whom, and counts reads from then on', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const store = tabStore();
  const [alice, bob, carol] = ['alice-000001', 'bob-00000001', 'carol-000001'].map(openMember);
  assert.ok(alice && bob && carol);
  const here = new Map([alice, bob, carol].map((m) => [m.id, m]));
  const page = (self: string) =>
    createReceipts({ member: (id) => here.get(id), changed: () => {}, store, selfId: () => self });
  const before = page('me-000000001');
  before.sent(LINE, [alice.id, bob.id, carol.id]);
  before.delivered(LINE, alice);
  before.feature.receive(bob, { t: 'receipt:read', ids: [LINE] });
  // A private line comes back too (private-kept.ts), read by its one recipient; a line
  // written offline goes with the page.
  const PRIVATE = 'private-aaaaaaaaaaa';
  before.sent(PRIVATE, [alice.id], true);
  before.feature.receive(alice, { t: 'receipt:read', ids: [PRIVATE] });
  before.sent('queued-aaaaaaaaaaaa', [alice.id], false, true);
  assert.equal(store.raw(), 'null', 'kept a moment after the change, not at each ack');
  t.mock.timers.tick(500);
  assert.deepEqual(
    (JSON.parse(store.raw()) as { lines: Array<[string]> }).lines.map(([id]) => id),
    [LINE, PRIVATE],
  );
  const keptPrivate = (JSON.parse(store.raw()) as { lines: Array<[string, { privately?: boolean }]> }).lines[1];
  assert.equal(keptPrivate?.[1].privately, true, 'kept as private: its receipt reads as one');
  // The reload: Carol left meanwhile, without the line.
  here.delete(carol.id);
  const after = page('me-000000001');
  assert.equal(after.restore('other-aaaaaaaaaaaa', 1), false, 'a line it kept nothing for has no receipt');
  assert.equal(after.restore(PRIVATE, 1), true);
  assert.equal(text(after.receipt(PRIVATE)), 'read: read by 1');
  assert.equal(after.restore(LINE, 1), true);
  assert.equal(text(after.receipt(LINE)), 'read: read by 1');
  assert.deepEqual(after.receipt(LINE)?.missed, [carol.id]);
  after.feature.receive(alice, { t: 'receipt:read', ids: [LINE] });
  assert.equal(text(after.receipt(LINE)), 'read: read by 2');
  assert.deepEqual(after.receipt(LINE)?.readBy, [bob.id, alice.id]);
  // Shown again (a better copy of the history line): the same receipt, for its new note.
  assert.equal(after.restore(LINE, 1), true);
  t.mock.timers.tick(500);
  // A reload that got a new peer id takes nothing: members' reads name the old one.
  assert.equal(page('me-000000002').restore(LINE, 1), false);
  // Kept again with what came since, and taken back by the next reload under our id.
  const again = page('me-000000001');
  assert.equal(again.restore(LINE, 1), true);
  assert.deepEqual(again.receipt(LINE)?.readBy, [bob.id, alice.id]);
});

test('a reader who left is still named on the note: at the next change, and after a reload', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const store = tabStore();
  const [alice, bob, carol] = ['alice-000001', 'bob-00000001', 'carol-000001'].map(openMember);
  assert.ok(alice && bob && carol);
  [alice.name, bob.name, carol.name] = ['Alice', 'Bob', 'Carol'];
  const here = new Map([alice, bob, carol].map((m) => [m.id, m]));
  const page = () =>
    createReceipts({ member: (id) => here.get(id), changed: () => {}, store, selfId: () => 'me-000000001' });
  // What the page's view asks (wiring/chat-signals.ts): a member here by its name now, one gone by the kept one.
  const detail = (receipts: ReturnType<typeof page>) =>
    receiptDetail(
      receipts.receipt(LINE) ?? assert.fail('no receipt'),
      (id) => here.get(id)?.name ?? receipts.nameOf(id) ?? 'someone who left',
    );
  const before = page();
  before.sent(LINE, [alice.id, bob.id, carol.id]);
  before.feature.receive(bob, { t: 'receipt:read', ids: [LINE] });
  // Bob renames, then leaves; Carol leaves without the line; then Alice reads it.
  bob.name = 'Bobby';
  here.delete(bob.id);
  before.feature.removed?.(bob, 'ERR_PEER_LEFT');
  here.delete(carol.id);
  before.feature.removed?.(carol, 'ERR_PEER_LEFT');
  before.feature.receive(alice, { t: 'receipt:read', ids: [LINE] });
  assert.equal(detail(before), 'Read by Bobby, Alice');
  before.keep();
  const kept = JSON.parse(store.raw()) as { names: Array<[string, string]> };
  assert.deepEqual(
    new Map(kept.names),
    new Map([
      [alice.id, 'Alice'],
      [bob.id, 'Bobby'],
      [carol.id, 'Carol'],
    ]),
  );
  // The reload: Bob and Carol are still gone.
  const after = page();
  assert.equal(after.restore(LINE, 1), true);
  assert.equal(detail(after), 'Read by Bobby, Alice');
  assert.equal(after.nameOf(carol.id), 'Carol', 'who went without it is named too');
  // Names written into the tab's storage by something else are not taken.
  for (const name of ['', ' Bob', 'x'.repeat(40), '\u202eBob', 7]) {
    const odd = createReceipts({
      member: () => undefined,
      changed: () => {},
      store: tabStore({ from: 'me-000000001', lines: [], names: [[bob.id, name]] }),
      selfId: () => 'me-000000001',
    });
    odd.restore(LINE, 1);
    assert.equal(odd.nameOf(bob.id), undefined, JSON.stringify(name));
  }
});

test('kept receipts: the newest 200 lines, one deleted not kept, and what is malformed or not ours left out', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const store = tabStore();
  const alice = openMember('alice-000001');
  const page = () =>
    createReceipts({
      member: (id) => (id === alice.id ? alice : undefined),
      changed: () => {},
      store,
      selfId: () => 'me-000000001',
    });
  const before = page();
  const id = (n: number) => `line-${String(n).padStart(16, '0')}`;
  for (let n = 0; n < 250; n++) before.sent(id(n), [alice.id]);
  before.withdrawn(id(249));
  before.keep();
  const kept = (JSON.parse(store.raw()) as { lines: Array<[string]> }).lines.map(([line]) => line);
  assert.equal(kept.length, 200);
  assert.deepEqual([kept[0], kept.at(-1)], [id(49), id(248)]);
  const after = page();
  assert.equal(after.restore(id(48), 1), false);
  assert.equal(after.restore(id(49), 1), true);
  // Written by something else into the tab's storage: no receipt from it, and nothing thrown.
  for (const junk of [
    'nonsense',
    { from: 'me-000000001', lines: 'x' },
    { from: 'me-000000001', lines: [[id(1), { to: ['<b>'], got: [], read: [], missed: [], at: 1 }]] },
    { from: 'me-000000001', lines: [['<img>', { to: [], got: [], read: [], missed: [], at: 1 }]] },
    { from: 'me-000000001', lines: [[id(1), { to: Array(300).fill(alice.id), got: [], read: [], missed: [], at: 1 }]] },
    { from: 'me-000000001', lines: [[id(1), { to: [], got: [], read: [], missed: [], at: -5 }]] },
    { from: 'me-000000001', lines: [[id(1), null]] },
    { from: 'me-000000001', lines: [[id(1), { to: [], got: [], read: [], missed: [], at: 1, privately: 'yes' }]] },
  ]) {
    const odd = createReceipts({
      member: () => alice,
      changed: () => {},
      store: tabStore(junk),
      selfId: () => 'me-000000001',
    });
    assert.equal(odd.restore(id(1), 1), false, JSON.stringify(junk).slice(0, 60));
  }
});

test('kept receipts are our newest lines by when written, not by when history brought them back; a deletion is written soon; a huge room keeps fewer', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const alice = openMember('alice-000001');
  const id = (n: number) => `line-${String(n).padStart(16, '0')}`;
  const written = (at: number) => ({ to: [alice.id], got: [alice.id], read: [], missed: [], at });
  // An earlier page kept one old line; this page writes 200 new ones, then history brings the old one back.
  const store = tabStore({ from: 'me-000000001', lines: [[id(0), written(1_000)]] });
  const page = createReceipts({ member: () => alice, changed: () => {}, store, selfId: () => 'me-000000001' });
  for (let n = 1; n <= KEPT_RECEIPTS; n++) page.sent(id(n), [alice.id]);
  assert.equal(page.restore(id(0), 1_000), true);
  page.keep();
  const kept = () => (JSON.parse(store.raw()) as { lines: Array<[string]> }).lines.map(([line]) => line);
  assert.equal(kept().length, KEPT_RECEIPTS);
  assert.ok(!kept().includes(id(0)), 'the old line gave way to the newer ones');
  // Deleted: off the store a moment later, without waiting for the page to go.
  page.withdrawn(id(KEPT_RECEIPTS));
  t.mock.timers.tick(KEEP_DELAY_MS);
  assert.ok(!kept().includes(id(KEPT_RECEIPTS)));
  // Nothing changed: not written again.
  const before = store.raw();
  page.keep();
  assert.equal(store.raw(), before);
  // A room of 256: the newest lines' lists of ids fill the share of storage before 200 lines do.
  const crowd = Array.from({ length: 256 }, (_, n) => `member-${String(n).padStart(5, '0')}`);
  const big = tabStore();
  const busy = createReceipts({ member: () => alice, changed: () => {}, store: big, selfId: () => 'me-000000001' });
  for (let n = 1; n <= KEPT_RECEIPTS; n++) busy.sent(id(n), crowd);
  busy.keep();
  const lines = (JSON.parse(big.raw()) as { lines: Array<[string]> }).lines;
  assert.ok(lines.length > 0 && lines.length < KEPT_RECEIPTS, `${lines.length} lines kept`);
  assert.ok(big.raw().length <= KEPT_CHARS + 100);
  assert.equal(lines.at(-1)?.[0], id(KEPT_RECEIPTS), 'the newest kept');
});
