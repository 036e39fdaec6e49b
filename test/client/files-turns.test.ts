// Whose turn it is among one member's files (client/files/turns.ts): a member whose hello said
// FILE_QUEUE_VERSION is offered every file at once, shows them all, runs 4 at a time and starts
// the rest in order of offer as those end; an older one is offered 4 at a time by the sender.
// Between stand-in pages (files-pages.ts), messages through the real parser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ChannelMessage, FILE_QUEUE_VERSION, MAX_PENDING_OFFERS } from '../../protocol/index.ts';
import { fileOf, hello, lineOf, type Page, room, stateOf, turns, until } from './files-pages.ts';

const QUEUED = 'queued: starts by itself (4 files at a time from alice-00001)';

/**
 * Holds what `page` sends `other` of these types until released: a link slow one way, so
 * that transfers bob has started stay started (their channels come once his accepts go).
 */
function holdFrom(page: Page, other: Page, types: readonly ChannelMessage['t'][]) {
  const member = page.members.get(other.id);
  assert.ok(member);
  const send = member.send;
  const held: ChannelMessage[] = [];
  let holding = true;
  member.send = (message) => {
    if (!holding || !types.includes(message.t)) return send(message);
    held.push(message);
    return true;
  };
  return {
    held,
    release(): void {
      holding = false;
      for (const message of held.splice(0)) send(message);
    },
  };
}

/** What `page` sends `other`, by type, in order. */
function recordFrom(page: Page, other: Page): ChannelMessage['t'][] {
  const member = page.members.get(other.id);
  assert.ok(member);
  const send = member.send;
  const types: ChannelMessage['t'][] = [];
  member.send = (message) => {
    types.push(message.t);
    return send(message);
  };
  return types;
}

const files = (count: number, size = 100) => Array.from({ length: count }, (_, i) => fileOf(size + i, `f${i}`));
/** Ids of the page's file lines, in the order they came (the order of offer). */
const shown = (page: Page) => page.lines.map((line) => line.info.id);
const everyone = (ids: readonly string[], page: Page, state: string) => ids.every((id) => stateOf(page, id) === state);

test('a member on version 6 is offered every file at once: all ten show, four start, the rest say queued and start in order of offer as those end', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  hello([alice, bob], FILE_QUEUE_VERSION);
  const accepts = holdFrom(bob, alice, ['file:accept']);
  const ids = await alice.files.sendFiles(files(10));
  await until(
    () =>
      bob.lines.length === 10 && ids.filter((id) => lineOf(alice, id)?.recipients[0]?.endsWith('queued')).length === 6,
    'every offer shown, and six said queued to alice',
  );
  assert.deepEqual(
    bob.lines.map((line) => line.info.name).sort(),
    ids.map((_, i) => `f${i}`),
  );
  assert.ok(bob.lines.every((line) => line.info.size === 100 + Number(line.info.name.slice(1))));
  const order = shown(bob);
  assert.deepEqual(
    bob.lines.map((line) => line.state),
    [...Array(4).fill('transferring'), ...Array(6).fill('offered')],
    'the first four offered start; the rest wait',
  );
  for (const line of bob.lines.slice(4)) {
    assert.equal(line.status, QUEUED);
    assert.equal(line.asking, false, 'taken already: nothing to click');
  }
  for (const id of order.slice(4)) assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 accepted, queued']);

  // The link comes back on alice's side: she offers all ten again. Bob says again where each
  // stands (those running ask for their channel again), and shows none twice.
  const aliceToBob = alice.members.get(bob.id);
  assert.ok(aliceToBob);
  alice.files.feature.opened?.(aliceToBob);
  await turns(20);
  assert.equal(bob.lines.length, 10);
  for (const id of order.slice(4)) assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 accepted, queued']);

  accepts.release();
  await until(() => everyone(ids, alice, 'verified') && everyone(ids, bob, 'verified'), 'all ten received');
  assert.deepEqual(bob.started, order, 'started in order of offer');
  assert.equal(bob.mostRunning, 4);
  assert.deepEqual(bob.notices, []);
  assert.equal(alice.channelsMade.length, 10, 'one channel each');
});

test('a file accepted ahead of its turn starts at once while fewer than four run, and otherwise keeps its place in order of offer', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  hello([alice, bob], FILE_QUEUE_VERSION);
  bob.acceptLimit = 0;
  const accepts = holdFrom(bob, alice, ['file:accept']);
  const ids = await alice.files.sendFiles(files(6));
  await until(() => bob.lines.length === 6 && bob.lines.every((line) => line.asking), 'bob is asked for each');
  const [o0, o1, o2, o3, o4, o5] = shown(bob) as [string, string, string, string, string, string];
  const accept = (id: string) => lineOf(bob, id)?.actions.accept?.();
  // The last offered, first: nothing runs, it starts.
  accept(o5);
  assert.equal(stateOf(bob, o5), 'transferring');
  for (const id of [o4, o1, o2]) accept(id);
  assert.deepEqual(
    [o4, o1, o2].map((id) => stateOf(bob, id)),
    ['transferring', 'transferring', 'transferring'],
  );
  // Four run: the next two accepted wait, said so, Accept and Decline gone.
  accept(o3);
  accept(o0);
  for (const id of [o3, o0]) {
    assert.equal(stateOf(bob, id), 'offered');
    assert.equal(lineOf(bob, id)?.status, QUEUED);
    assert.equal(lineOf(bob, id)?.asking, false);
  }
  await until(
    () => [o3, o0].every((id) => lineOf(alice, id)?.recipients[0] === 'bob-0000001 accepted, queued'),
    'alice hears they are queued, not waiting for a click',
  );
  // Its accept has not reached her yet: she still has bob's last word, that he was asked.
  assert.deepEqual(lineOf(alice, o4)?.recipients, ['bob-0000001 waiting to accept']);
  accepts.release();
  await until(() => everyone(ids, alice, 'verified'), 'all six received');
  // o0 was accepted after o3, but was offered first: it goes first.
  assert.deepEqual(bob.started, [o5, o4, o1, o2, o0, o3]);
  assert.equal(bob.mostRunning, 4);
});

test('a queued file cancelled by the receiver, or by the sender, ends on both sides; one waiting for a click is declined; nothing else starts', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  hello([alice, bob], FILE_QUEUE_VERSION);
  bob.acceptLimit = 150; // the six small ones are taken without a click, big.bin waits for one
  const accepts = holdFrom(bob, alice, ['file:accept']);
  const ids = await alice.files.sendFiles([...files(6), fileOf(300, 'big.bin')]);
  await until(
    () => bob.lines.length === 7 && bob.lines.filter((line) => line.status === QUEUED).length === 2,
    'two queued',
  );
  const [first, second] = bob.lines.filter((line) => line.status === QUEUED).map((line) => line.info.id) as [
    string,
    string,
  ];
  const big = bob.lines.find((line) => line.info.name === 'big.bin')?.info.id;
  assert.ok(big);
  await until(() => lineOf(alice, big)?.recipients[0] === 'bob-0000001 waiting to accept', 'alice: bob is asked');

  lineOf(bob, first)?.actions.cancel();
  assert.equal(stateOf(bob, first), 'cancelled');
  assert.equal(lineOf(bob, first)?.status, 'cancelled by you');
  await until(() => stateOf(alice, first) === 'cancelled', 'alice hears bob cancel it');
  assert.deepEqual(lineOf(alice, first)?.recipients, ['bob-0000001 cancelled']);

  lineOf(alice, second)?.actions.cancel();
  assert.deepEqual(lineOf(alice, second)?.recipients, ['bob-0000001 not sent']);
  await until(() => stateOf(bob, second) === 'cancelled', 'bob hears alice cancel it');
  assert.equal(lineOf(bob, second)?.status, 'cancelled by alice-00001');

  lineOf(bob, big)?.actions.decline?.();
  await until(() => stateOf(alice, big) === 'declined', 'alice hears the decline');

  accepts.release();
  const running = bob.started.slice();
  assert.equal(running.length, 4);
  await until(() => everyone(running, alice, 'verified'), 'the four running are received');
  await turns(10);
  assert.deepEqual(bob.started, running, 'nothing else started');
  assert.equal(ids.length, 7);
});

test('a sender that leaves with files queued: they end on the receiver’s side too, and none starts after', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  hello([alice, bob], FILE_QUEUE_VERSION);
  holdFrom(bob, alice, ['file:accept']);
  await alice.files.sendFiles(files(6));
  await until(() => bob.lines.filter((line) => line.status === QUEUED).length === 2, 'two queued');
  const running = bob.started.slice();
  // Gone from bob's page (alice's own page, which would hold her files for bob's return, is not looked at).
  bob.members.get(alice.id)?.dispose();
  assert.ok(bob.lines.every((line) => line.state === 'cancelled' && line.status === 'cancelled: alice-00001 left'));
  assert.deepEqual(bob.started, running, 'no queued file started as the running ones ended');
});

for (const version of [FILE_QUEUE_VERSION - 1, null]) {
  test(`to a member whose hello said ${version ?? 'nothing yet'}, the sender offers 4 at a time; the rest wait their turn at the sender`, async () => {
    const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
    hello([alice, bob], version);
    bob.acceptLimit = 0;
    const ids = await alice.files.sendFiles(files(6));
    await until(() => bob.lines.length === 4, 'four offers arrive');
    await turns(20);
    assert.equal(bob.lines.length, 4);
    const waiting = ids.filter((id) => !shown(bob).includes(id));
    for (const id of waiting) assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 queued']);
    lineOf(bob, shown(bob)[0] ?? '')?.actions.decline?.();
    await until(() => bob.lines.length === 5, 'the fifth is offered once one ends');
    assert.deepEqual(bob.notices, []);
  });
}

test('a page on version 6 facing a sender on 5: offered 4 at a time, it takes them as before and says nothing of queues', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  hello([alice, bob], FILE_QUEUE_VERSION - 1);
  const said = recordFrom(bob, alice);
  const ids = await alice.files.sendFiles(files(6, 50_000));
  await until(() => everyone(ids, alice, 'verified') && everyone(ids, bob, 'verified'), 'all six received');
  assert.ok(bob.mostRunning <= 4);
  assert.ok(!said.includes('file:queued'), 'a page on 5 would not parse it');
  assert.ok(!said.includes('file:decline'));
});

test(`offers past ${MAX_PENDING_OFFERS} from one member are refused with one notice; one offered again is not shown twice; another member's files still come`, async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  hello([alice, bob, carol], FILE_QUEUE_VERSION);
  bob.acceptLimit = 0;
  const toBob = alice.members.get(bob.id);
  assert.ok(toBob);
  const answers: string[] = [];
  // Alice's page is hostile: raw offers, as many as it likes; watch bob's answers arrive.
  const original = alice.files.feature.receive;
  alice.files.feature.receive = (member, message) => {
    if (message.t === 'file:decline' || message.t === 'file:asking') answers.push(`${message.t}:${message.id}`);
    original(member, message);
  };
  const offer = (n: number): ChannelMessage => ({
    t: 'file:offer',
    id: `flood-offer-${String(n).padStart(4, '0')}`,
    name: `f${n}`,
    size: 10,
    type: '',
    sha256: '0'.repeat(64),
  });
  for (let n = 0; n < MAX_PENDING_OFFERS + 6; n++) toBob.send(offer(n));
  toBob.send(offer(0));
  await until(() => answers.length === MAX_PENDING_OFFERS + 7, 'every offer answered');
  const refused = answers.filter((answer) => answer.startsWith('file:decline'));
  assert.equal(refused.length, 6);
  assert.equal(bob.lines.length, MAX_PENDING_OFFERS);
  assert.equal(answers.at(-1), 'file:asking:flood-offer-0000', 'the same offer again: asked again, not shown again');
  assert.equal(bob.notices.length, 1);
  assert.match(bob.notices[0] ?? '', new RegExp(`more than ${MAX_PENDING_OFFERS} files at once`));
  // Carol's own files are hers: bob is asked for hers as ever.
  bob.acceptLimit = 100_000_000;
  const [fromCarol] = await carol.files.sendFiles([fileOf(1000)]);
  assert.ok(fromCarol);
  await until(() => stateOf(bob, fromCarol) === 'verified', 'carol’s file arrives');
});

test('a page that accepts every offer at once gets four channels; each other accept waits, said queued, and starts as one ends', async () => {
  const [alice, bob] = room('alice-00001', 'bob-0000001') as [Page, Page];
  hello([alice, bob], FILE_QUEUE_VERSION);
  bob.acceptLimit = 0;
  const ids = await alice.files.sendFiles(files(6));
  await until(() => bob.lines.length === 6 && bob.lines.every((line) => line.asking), 'bob is asked for each');
  // Bob's page is hostile: it accepts all six, last offered first, and the first twice.
  const toAlice = bob.members.get(alice.id);
  assert.ok(toAlice);
  const order = shown(bob).reverse();
  for (const id of [...order, order[0] ?? '']) toAlice.send({ t: 'file:accept', id, from: 0 });
  await turns(20);
  assert.equal(alice.channelsMade.length, 4);
  for (const id of order.slice(4)) assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 accepted, queued']);
  // One of the four ends: the held accept of the file offered first starts.
  toAlice.send({ t: 'file:cancel', id: order[0] ?? '', reason: 'cancelled' });
  await until(() => alice.channelsMade.length === 5, 'a fifth channel once one ended');
  assert.equal(alice.channelsMade.at(-1), `file:${order[5]}`);
  // Their channels went nowhere (bob's page has no store open for them): alice stops them.
  for (const id of ids) lineOf(alice, id)?.actions.cancel();
});
