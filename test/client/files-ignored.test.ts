// Files offered by a member we ignore (client/ignored.ts): declined at the files feature's
// entry (features/files.ts), as a click would decline them, with no line; the others take them
// as before, and once we stop ignoring, the next offer is ours again. Stand-in pages as
// files-feature.test.ts's (files-pages.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileOf, lineOf, type Page, room, stateOf, turns, until } from './files-pages.ts';

test('a file offered by a member we ignore is declined with no line, the others take it; stopped ignoring, the next is offered', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  bob.ignored.add(alice.id);
  const [ignoredFile] = await alice.files.sendFiles([fileOf(1000, 'a')]);
  assert.ok(ignoredFile);
  await until(() => stateOf(carol, ignoredFile) === 'verified', 'carol takes it');
  await turns(10);
  assert.equal(lineOf(bob, ignoredFile), undefined, 'no line on the page that ignores alice');
  assert.ok(
    lineOf(alice, ignoredFile)?.recipients.includes('bob-0000001 declined'),
    `alice hears bob declined: ${lineOf(alice, ignoredFile)?.recipients.join(' / ')}`,
  );

  bob.ignored.delete(alice.id);
  const [next] = await alice.files.sendFiles([fileOf(1000, 'b')]);
  assert.ok(next);
  await until(() => stateOf(bob, next) === 'verified', 'bob takes the next');
});
