// Files sent to the room stay shared with those who join later (client/files/sending-shared.ts),
// between stand-in pages (files-pages.ts): a newcomer is offered each, its offer saying when
// the file was sent, and the sender's line lists it; never a private file, never to a member
// that was in the room when it was sent, never to a page too old to place it; until Stop
// sharing, Cancel, the sender's line going for good, or MAX_SHARED_FILES newer ones.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { AWAY_MS } from '../../client/files/sending-recipients.ts';
import { MAX_SHARED_FILES } from '../../client/files/sending-shared.ts';
import { labelText } from '../../client/files/sent-line.ts';
import { FILE_EARLIER_VERSION } from '../../protocol/index.ts';
import {
  fileOf,
  hello,
  joinLater,
  lineOf,
  offersTo,
  type Page,
  room,
  sha,
  stateOf,
  turns,
  until,
} from './files-pages.ts';

const SHARED = 'shared: it goes to whoever joins';

/** A room whose pages all said FILE_EARLIER_VERSION. */
function sharingRoom(...ids: string[]): Page[] {
  const pages = room(...ids);
  hello(pages, FILE_EARLIER_VERSION);
  return pages;
}

test('a member who joins later is offered a file sent to the room, saying when it was sent; the sender’s line lists it, and keeps it listed right', async () => {
  const [alice, bob] = sharingRoom('alice-00001', 'bob-0000001') as [Page, Page];
  const file = fileOf(3_000, 'plan.pdf');
  const before = Date.now();
  const [id] = await alice.files.sendFiles([file]);
  assert.ok(id);
  const sentAt = Date.now();
  await until(() => stateOf(alice, id) === 'verified', 'bob has it');
  assert.equal(lineOf(alice, id)?.status, SHARED);
  assert.equal(lineOf(alice, id)?.shared, true);
  assert.equal(lineOf(bob, id)?.info.sharedAt, undefined, 'bob was here: a new file to him');
  assert.deepEqual(
    alice.sent.map((kept) => [kept.id, kept.status, kept.recipients.map(labelText)]),
    [[id, '', ['bob-0000001 ✓ received']]],
    'listed for the next load as it ended, not shared after it',
  );

  const carol = joinLater([alice, bob], 'carol-00001', FILE_EARLIER_VERSION);
  await until(() => stateOf(carol, id) === 'verified', 'carol has it');
  const at = lineOf(carol, id)?.info.sharedAt ?? 0;
  assert.ok(at >= before && at <= sentAt, 'her line goes by when it was sent');
  const received = lineOf(carol, id)?.file;
  assert.ok(received);
  assert.equal(await sha(received), await sha(file));
  await until(() => lineOf(alice, id)?.recipients.at(-1) === 'carol-00001 ✓ received', 'alice hears it');
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 ✓ received', 'carol-00001 ✓ received']);
  assert.equal(lineOf(alice, id)?.status, SHARED, 'still shared with the next');
  assert.deepEqual(
    alice.sent.map((kept) => [kept.id, kept.state, kept.recipients.map(labelText)]),
    [[id, 'verified', ['bob-0000001 ✓ received', 'carol-00001 ✓ received']]],
    'listed once, as it ended again',
  );
  // The page goes: a file only shared is kept as it ended, not taken for one stopped by the reload.
  alice.files.keepUnfinished();
  assert.deepEqual(
    alice.sent.map((kept) => [kept.state, kept.status]),
    [['verified', '']],
  );
});

test('only a page that said FILE_EARLIER_VERSION is offered files sent before it joined', async () => {
  const [alice, bob] = sharingRoom('alice-00001', 'bob-0000001') as [Page, Page];
  const [id] = await alice.files.sendFiles([fileOf(100)]);
  assert.ok(id);
  await until(() => stateOf(alice, id) === 'verified', 'bob has it');
  // An older page (its strict schema would refuse `at`), and one whose hello has not come.
  const older = joinLater([alice, bob], 'dave-000001', FILE_EARLIER_VERSION - 1);
  const unknown = joinLater([alice, bob], 'erin-000001', null);
  const newer = joinLater([alice, bob], 'fay-0000001', FILE_EARLIER_VERSION);
  await until(() => lineOf(alice, id)?.recipients.at(-1) === 'fay-0000001 ✓ received', 'the page that said it has it');
  assert.equal(stateOf(newer, id), 'verified');
  assert.equal(lineOf(older, id), undefined);
  assert.equal(lineOf(unknown, id), undefined);
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 ✓ received', 'fay-0000001 ✓ received']);
});

test('a private file is never offered to anyone who joins', async () => {
  const [alice, bob] = sharingRoom('alice-00001', 'bob-0000001') as [Page, Page];
  const [id] = await alice.files.sendFiles([fileOf(100)], alice.members.get(bob.id) ?? null);
  assert.ok(id);
  await until(() => stateOf(alice, id) === 'verified', 'bob has it');
  assert.equal(lineOf(alice, id)?.shared, false);
  assert.equal(lineOf(alice, id)?.status, '');
  const carol = joinLater([alice, bob], 'carol-00001', FILE_EARLIER_VERSION);
  const toCarol = offersTo(alice, carol.id);
  alice.files.feature.opened?.(alice.members.get(carol.id) as never);
  await turns(20);
  assert.deepEqual(toCarol, []);
  assert.equal(lineOf(carol, id), undefined);
});

test('a member that was in the room when the file was sent is not offered it again this way, whatever became of it; back in a new tab, it is', async (t) => {
  // From the start: a timer set before would not be cleared by the mock's clearTimeout.
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const pages = sharingRoom('alice-00001', 'bob-0000001', 'carol-00001', 'dave-000001', 'erin-000001', 'fay-0000001');
  const [alice, bob, carol, dave, erin, fay] = pages as [Page, Page, Page, Page, Page, Page];
  for (const page of [bob, carol, erin, fay]) page.acceptLimit = 0;
  const [id] = await alice.files.sendFiles([fileOf(100)]);
  assert.ok(id);
  const asked = (page: Page) => lineOf(page, id)?.asking === true;
  await until(() => [bob, carol, erin, fay].every(asked) && stateOf(dave, id) === 'verified', 'all asked, dave has it');
  lineOf(bob, id)?.actions.decline?.();
  lineOf(carol, id)?.actions.cancel();
  // Erin and Fay leave before they answer: each is held for its return (AWAY_MS).
  for (const page of [erin, fay]) {
    alice.members.get(page.id)?.dispose();
    page.members.get(alice.id)?.dispose();
  }
  await until(() => lineOf(alice, id)?.recipients.filter((r) => r.includes('left')).length === 2, 'both away');
  // Fay is back within it under her own id (her reload): offered again by that path, as before,
  // as the file she was sent then, not one from before she came.
  const fayBack = joinLater([alice], fay.id, FILE_EARLIER_VERSION);
  fayBack.acceptLimit = 0;
  await until(() => lineOf(fayBack, id)?.asking === true, 'fay is asked again');
  assert.equal(lineOf(fayBack, id)?.info.sharedAt, undefined);
  mock.timers.tick(AWAY_MS);
  assert.deepEqual(lineOf(alice, id)?.recipients, [
    'bob-0000001 declined',
    'carol-00001 cancelled',
    'dave-000001 ✓ received',
    'erin-000001 left',
    'fay-0000001 no answer yet',
  ]);
  // Those still here open their links again (the same tabs): nothing is offered anew.
  const watched = [bob, carol, dave].map((page) => offersTo(alice, page.id));
  for (const page of [bob, carol, dave]) alice.files.feature.opened?.(alice.members.get(page.id) as never);
  // Erin back under her own id, past AWAY_MS: what became of it for her stands.
  const erinBack = joinLater([alice], erin.id, FILE_EARLIER_VERSION);
  await turns(20);
  assert.deepEqual(watched, [[], [], []]);
  assert.equal(lineOf(erinBack, id), undefined);
  // In a new tab, a new peer id: a newcomer, offered it as one from before it came.
  const newTab = joinLater([alice], 'erin-newtab1', FILE_EARLIER_VERSION);
  await until(() => lineOf(alice, id)?.recipients.at(-1) === 'erin-newtab1 ✓ received', 'the new tab has it');
  assert.equal(stateOf(newTab, id), 'verified');
  assert.equal(typeof lineOf(newTab, id)?.info.sharedAt, 'number');
});

test('Stop sharing: the next to join is not offered it, and the file is let go; a newcomer’s transfer under way then is stopped, as by Cancel', async () => {
  const [alice, bob] = sharingRoom('alice-00001', 'bob-0000001') as [Page, Page];
  const [id] = await alice.files.sendFiles([fileOf(100)]);
  assert.ok(id);
  await until(() => stateOf(alice, id) === 'verified', 'bob has it');
  // Carol, who asks before every file, is offered it; Alice stops sharing meanwhile.
  const carol = joinLater([alice, bob], 'carol-00001', FILE_EARLIER_VERSION);
  carol.acceptLimit = 0;
  await until(() => lineOf(carol, id)?.asking === true, 'carol is asked');
  assert.equal(stateOf(alice, id), 'offered', 'under way again: Cancel is the line’s');
  lineOf(alice, id)?.actions.unshare?.();
  await until(() => stateOf(carol, id) === 'cancelled', 'carol is told');
  assert.equal(lineOf(carol, id)?.status, 'cancelled by alice-00001');
  assert.deepEqual(lineOf(alice, id)?.recipients, ['bob-0000001 ✓ received', 'carol-00001 not sent']);
  assert.deepEqual([stateOf(alice, id), lineOf(alice, id)?.status, lineOf(alice, id)?.shared], ['verified', '', false]);
  assert.equal(stateOf(bob, id), 'verified', 'nothing is taken back from who has it');
  const dave = joinLater([alice, bob, carol], 'dave-000001', FILE_EARLIER_VERSION);
  await turns(20);
  assert.equal(lineOf(dave, id), undefined);
  assert.deepEqual(
    alice.sent.map((kept) => [kept.state, kept.recipients.map(labelText)]),
    [['verified', ['bob-0000001 ✓ received', 'carol-00001 not sent']]],
  );
});

test('Cancel ends the sharing too, and so does the sender’s line going for good (what is under way goes on)', async () => {
  const [alice, bob] = sharingRoom('alice-00001', 'bob-0000001') as [Page, Page];
  bob.acceptLimit = 0;
  const [cancelled, gone] = await alice.files.sendFiles([fileOf(100, 'c'), fileOf(100, 'g')]);
  assert.ok(cancelled && gone);
  await until(() => lineOf(bob, cancelled)?.asking === true && lineOf(bob, gone)?.asking === true, 'bob asked');
  lineOf(alice, cancelled)?.actions.cancel();
  lineOf(alice, gone)?.actions.gone?.();
  lineOf(bob, gone)?.actions.accept?.();
  await until(() => stateOf(alice, gone) === 'verified', 'the one whose line went still reaches bob');
  assert.equal(stateOf(alice, cancelled), 'cancelled');
  const carol = joinLater([alice, bob], 'carol-00001', FILE_EARLIER_VERSION);
  await turns(20);
  assert.deepEqual([lineOf(carol, cancelled), lineOf(carol, gone)], [undefined, undefined]);
  assert.deepEqual([lineOf(alice, cancelled)?.shared, lineOf(alice, gone)?.shared], [false, false]);
});

test('a file sent to an empty room says it goes to whoever joins, and goes to the first who does', async () => {
  const [alice] = sharingRoom('alice-00001') as [Page];
  const [id] = await alice.files.sendFiles([fileOf(100)]);
  assert.ok(id);
  await turns(5);
  assert.deepEqual(
    [stateOf(alice, id), lineOf(alice, id)?.status, lineOf(alice, id)?.recipients, lineOf(alice, id)?.shared],
    ['cancelled', SHARED, [], true],
  );
  // Listed for the next load as the page that reloads will hold it: no longer shared; and left
  // so as the page goes (nothing was under way to be stopped by the reload).
  assert.deepEqual(
    alice.sent.map((kept) => [kept.state, kept.status]),
    [['cancelled', 'nobody received it']],
  );
  alice.files.keepUnfinished();
  assert.deepEqual(
    alice.sent.map((kept) => [kept.state, kept.status]),
    [['cancelled', 'nobody received it']],
  );
  const bob = joinLater([alice], 'bob-0000001', FILE_EARLIER_VERSION);
  await until(() => lineOf(alice, id)?.recipients[0] === 'bob-0000001 ✓ received', 'bob has it');
  assert.equal(stateOf(bob, id), 'verified');
  assert.deepEqual([stateOf(alice, id), lineOf(alice, id)?.status], ['verified', SHARED]);
  assert.deepEqual(
    alice.sent.map((kept) => [kept.state, kept.status, kept.recipients.map(labelText)]),
    [['verified', '', ['bob-0000001 ✓ received']]],
  );
});

test('a member who joins while the file is hashed gets it with the others, as a new file', async () => {
  const [alice, bob] = sharingRoom('alice-00001', 'bob-0000001') as [Page, Page];
  const sending = alice.files.sendFiles([fileOf(8 * 1024 * 1024)]);
  // Not yet offered to anyone: it goes to her as it goes to Bob, whatever her page's version.
  const carol = joinLater([alice, bob], 'carol-00001', null);
  const [id] = await sending;
  assert.ok(id);
  await until(() => stateOf(carol, id) === 'verified' && stateOf(bob, id) === 'verified', 'both have it');
  assert.equal(lineOf(carol, id)?.info.sharedAt, undefined);
});

test(`at most the newest ${MAX_SHARED_FILES} files are shared: the oldest goes, and a newcomer is offered the rest at once, none refused`, async () => {
  const [alice] = sharingRoom('alice-00001') as [Page];
  const ids = await alice.files.sendFiles(
    Array.from({ length: MAX_SHARED_FILES + 1 }, (_, n) => fileOf(10, `${n}.txt`)),
  );
  await turns(5);
  const [oldest, ...newest] = ids as [string, ...string[]];
  assert.deepEqual([lineOf(alice, oldest)?.shared, lineOf(alice, oldest)?.status], [false, 'nobody received it']);
  assert.ok(newest.every((id) => lineOf(alice, id)?.status === SHARED));
  const bob = joinLater([alice], 'bob-0000001', FILE_EARLIER_VERSION);
  await until(() => newest.every((id) => stateOf(alice, id) === 'verified'), `bob has the newest ${MAX_SHARED_FILES}`);
  assert.equal(lineOf(bob, oldest), undefined);
  assert.deepEqual(bob.notices, [], 'none refused as too many at once');
});
