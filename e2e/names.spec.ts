// Names as a member has them now, wherever the page names it: a member here is named by its
// name now (its lines, the quotes of them, a reply to them being written, our private lines to
// it and the private bar, who read our lines and who reacted, and the same after a reload of ours); a member gone keeps the name it had when it left,
// marked "(earlier)" once someone here has that name; back under its id, it is named as it is
// again, unmarked. The renames swap names (Bob becomes Robert, then Carol takes "bob"), so a
// name left behind anywhere puts a line in the wrong member's mouth.

import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { fileLine, makeFile, sendFiles, waitForFileState } from './support/files.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { chatLine, react, reactionChip, sendPrivate } from './support/history.ts';
import { openRoom, selfId, sendMessage, type User, waitForMesh, waitForMessage } from './support/users.ts';

// Three browsers on two shared cores, some of them loaded again.
test.setTimeout(240_000);
const meshTimeoutMs = 120_000;

/** Three members, linked. */
async function threeMembers(browsers: Parameters<typeof openRoom>[0], url: string): Promise<[User, User, User]> {
  const [alice, bob, carol] = await openRoom(browsers, url, ['alice', 'bob', 'carol']);
  if (!alice || !bob || !carol) throw new Error('openRoom returned too few users');
  await waitForMesh([alice, bob, carol], meshTimeoutMs);
  return [alice, bob, carol];
}

/** `user` renames to `name`, and `seenBy` lists it under that name. */
async function rename(user: User, name: string, seenBy: readonly User[]): Promise<void> {
  const input = user.page.getByTestId('name-input');
  await input.fill(name);
  await input.press('Enter');
  await expect(user.page.getByTestId('self')).toContainText(name);
  for (const other of seenBy) {
    await expect(other.page.locator(`[data-testid=peer][data-peer-id="${user.id}"]`)).toContainText(name);
  }
}

/** A line's sender as drawn, without its marks (a twin's tag, "(earlier)"). */
const sender = (line: Locator): Locator => line.locator('.line-sender');
/** The quote in the reply by `from` whose text is `text`. */
const quoteIn = (page: Page, from: string, text: string): Locator =>
  chatLine(page, from, text).getByTestId('reply-quote');

test('a private line back after a reload names its author as it is now; one gone since, as it left', async ({
  server,
  browsers,
}) => {
  const [alice, bob, carol] = await threeMembers(browsers, server.url);
  expect(await sendPrivate(bob.page, alice.id, 'meet me at 5, just you')).toMatch(/\S/);
  await waitForMessage(alice.page, { from: bob.id, text: 'meet me at 5, just you' });
  const secret = chatLine(alice.page, bob.id, 'meet me at 5, just you');

  // Alice's tab goes (a closed laptop); meanwhile Bob becomes Robert, and Carol takes "bob".
  // Back under her id, Alice has the line from Robert, not from the "bob" it came under.
  const link = alice.page.url();
  await alice.page.goto('about:blank');
  await expect(bob.page.locator(`[data-testid=peer][data-peer-id="${alice.id}"]`)).toHaveCount(0);
  await rename(bob, 'robert', [carol]);
  await rename(carol, 'bob', [bob]);
  await alice.page.goto(link);
  expect(await selfId(alice.page)).toBe(alice.id);
  await expect(secret).toHaveAttribute('data-private-from', bob.id);
  await expect(sender(secret), 'not "bob": the name it came under, Carol’s now').toHaveText('robert');

  // Robert leaves: the line keeps the name he had when he left, after a reload too (it came
  // back as "bob", and was marked as the earlier Bob's, whose name Carol has).
  await bob.page.goto('about:blank');
  await expect(alice.page.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`)).toHaveCount(0);
  await alice.page.reload();
  expect(await selfId(alice.page)).toBe(alice.id);
  await expect(secret).toHaveAttribute('data-private-from', bob.id);
  await expect(sender(secret)).toHaveText('robert');
  await expect(secret).not.toHaveAttribute('data-earlier', 'true');
});

test('a reply’s quote, a reply being written and the saved chat name the quoted member as it is now', async ({
  server,
  browsers,
}) => {
  const [alice, bob, carol] = await threeMembers(browsers, server.url);
  await sendMessage(bob.page, 'lunch at noon?');
  await waitForMessage(carol.page, { from: bob.id, text: 'lunch at noon?' });
  await chatLine(carol.page, bob.id, 'lunch at noon?').getByTestId('reply').click();
  await sendMessage(carol.page, 'yes, noon works');
  await waitForMessage(alice.page, { from: carol.id, text: 'yes, noon works' });
  await expect(quoteIn(alice.page, carol.id, 'yes, noon works')).toHaveText('bob: lunch at noon?');

  // Bob becomes Robert, and Carol takes "bob": the quote named Carol as quoting herself.
  await rename(bob, 'robert', [alice, carol]);
  await rename(carol, 'bob', [alice, bob]);
  for (const page of [alice.page, bob.page, carol.page]) {
    await expect(quoteIn(page, carol.id, 'yes, noon works')).toHaveText('robert: lunch at noon?');
  }

  // Alice replies to Robert's line: the bar names him, and follows his next rename.
  await chatLine(alice.page, bob.id, 'lunch at noon?').getByTestId('reply').click();
  const bar = alice.page.getByTestId('reply-bar');
  await expect(bar).toContainText('Replying to robert: lunch at noon?');
  await rename(bob, 'rob', [alice, carol]);
  await expect(bar).toContainText('Replying to rob: lunch at noon?');
  await sendMessage(alice.page, 'alice answering');
  for (const page of [alice.page, bob.page, carol.page]) {
    await waitForMessage(page, { from: alice.id, text: 'alice answering' });
    await expect(quoteIn(page, alice.id, 'alice answering')).toHaveText('rob: lunch at noon?');
    await expect(quoteIn(page, carol.id, 'yes, noon works')).toHaveText('rob: lunch at noon?');
  }

  // Save the chat writes the quotes as they are shown.
  const [saved] = await Promise.all([alice.page.waitForEvent('download'), alice.page.getByTestId('save-chat').click()]);
  const text = await readFile(await saved.path(), 'utf8');
  expect(text).toMatch(/\] bob, in reply to “rob: lunch at noon\?”: yes, noon works$/m);
  expect(text).toMatch(/\] alice \(you\), in reply to “rob: lunch at noon\?”: alice answering$/m);
});

test('a member gone, once its name is someone else’s, is marked "(earlier)" wherever it is named; back under its id, it is named as it is now, unmarked', async ({
  server,
  browsers,
}) => {
  const [alice, bob, carol] = await threeMembers(browsers, server.url);
  await sendMessage(carol.page, 'carol was here');
  await waitForMessage(alice.page, { from: carol.id, text: 'carol was here' });
  const carolsLine = chatLine(alice.page, carol.id, 'carol was here');
  await carolsLine.getByTestId('reply').click();
  await sendMessage(alice.page, 'noted');
  const quote = quoteIn(alice.page, alice.id, 'noted');
  await expect(quote).toHaveText('carol: carol was here');
  // Alice sends the room a file, which Carol has.
  const made = await makeFile(alice.page, { name: 'notes.txt', text: 'for the room' });
  const [file] = await sendFiles(alice.page, [made.name]);
  if (!file) throw new Error('no transfer id');
  await waitForFileState(carol.page, file, 'verified');
  const carolsCopy = fileLine(alice.page, file).locator(`[data-testid=file-recipient][data-member="${carol.id}"]`);
  await expect(carolsCopy).toHaveText('carol ✓ received');
  // Alice writes to Carol privately, and is still writing to her when she goes.
  await alice.page.locator(`[data-testid=peer][data-peer-id="${carol.id}"]`).click();
  await sendMessage(alice.page, 'just for carol');
  await waitForMessage(carol.page, { from: alice.id, text: 'just for carol' });
  const toCarol = chatLine(alice.page, alice.id, 'just for carol').locator('.line-mark-to');
  await expect(toCarol).toHaveText('private · to carol');

  const carolLink = carol.page.url();
  await carol.page.goto('about:blank');
  const privateBar = alice.page.getByTestId('private-recipient');
  await expect(privateBar).toHaveAttribute('data-away', 'true');
  await expect(privateBar).toContainText('Private to carol (not here');

  // Bob takes her name: every place Alice's page names the Carol who left says it is her.
  await rename(bob, 'carol', [alice]);
  await expect(carolsLine).toHaveAttribute('data-earlier', 'true');
  await expect(quote).toHaveText('carol (earlier): carol was here');
  await expect(toCarol).toHaveText('private · to carol (earlier)');
  await expect(toCarol.locator('.name-earlier')).toHaveText('(earlier)');
  await expect(carolsCopy).toHaveText('carol (earlier) ✓ received');
  await expect(privateBar).toContainText('Private to carol (earlier) (not here');
  await expect(privateBar.locator('.name-earlier')).toHaveText('(earlier)');
  await expect(alice.page.getByTestId('message-input')).toHaveAttribute(
    'placeholder',
    'Private message to carol (earlier) (not here)…',
  );

  // Carol is back, under her id and (hers taken) another name: her line, its quote, the
  // private line to her and the bar name her as she is now, with no "(earlier)".
  await carol.page.goto(carolLink);
  expect(await selfId(carol.page)).toBe(carol.id);
  const entry = alice.page.locator(`[data-testid=peer][data-peer-id="${carol.id}"]`);
  await expect(entry).toContainText('carol 2');
  await expect(sender(carolsLine)).toHaveText('carol 2');
  await expect(carolsLine).not.toHaveAttribute('data-earlier', 'true');
  await expect(carolsLine.locator('.name-earlier')).toHaveCount(0);
  await expect(quote).toHaveText('carol 2: carol was here');
  await expect(toCarol).toHaveText('private · to carol 2');
  await expect(carolsCopy).toHaveText('carol 2 ✓ received');
  await expect(carolsCopy.locator('.name-earlier')).toHaveCount(0);
  await expect(privateBar).toHaveAttribute('data-away', 'false');
  await expect(privateBar).toContainText('Private to carol 2');
  await expect(privateBar.locator('.name-earlier')).toHaveCount(0);
});

test('who read our line, who reacted to it and the member we write to privately are named as they are now: after a rename, and back under their id', async ({
  server,
  browsers,
}) => {
  const [alice, bob, carol] = await threeMembers(browsers, server.url);
  await sendMessage(alice.page, 'who is coming?');
  for (const user of [bob, carol]) await waitForMessage(user.page, { from: alice.id, text: 'who is coming?' });
  const receipt = chatLine(alice.page, alice.id, 'who is coming?').getByTestId('receipt');
  await expect(receipt).toHaveText(/read by 2/);
  // Who read it first is the network's order: the detail names them in that order.
  const readers = (await receipt.getAttribute('title'))?.replace('Read by ', '').split(', ');
  expect(readers?.toSorted()).toEqual(['bob', 'carol']);
  const readBy = (names: Record<string, string>) => `Read by ${readers?.map((name) => names[name]).join(', ')}`;
  await react(bob.page, alice.id, 'who is coming?', 'thumbs up');
  const thumbs = reactionChip(alice.page, alice.id, 'who is coming?', '👍');
  await expect(thumbs).toHaveAttribute('title', 'bob');
  await react(carol.page, alice.id, 'who is coming?', 'thumbs up');
  await expect(thumbs).toHaveAttribute('title', 'bob, carol');
  // Alice writes to Bob privately, and is still writing to him.
  await alice.page.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`).click();
  await sendMessage(alice.page, 'just for bob');
  await waitForMessage(bob.page, { from: alice.id, text: 'just for bob' });
  const toBob = chatLine(alice.page, alice.id, 'just for bob').locator('.line-mark-to');
  await expect(toBob).toHaveText('private · to bob');
  const privateBar = alice.page.getByTestId('private-recipient');
  await expect(privateBar).toContainText('Private to bob');

  // Bob becomes Robert, and Carol takes "bob": "bob" anywhere it was left names Carol now.
  await rename(bob, 'robert', [alice, carol]);
  await rename(carol, 'bob', [alice, bob]);
  await expect(receipt).toHaveAttribute('title', readBy({ bob: 'robert', carol: 'bob' }));
  await expect(thumbs).toHaveAttribute('title', 'robert, bob');
  await expect(privateBar).toContainText('Private to robert');
  await expect(toBob).toHaveText('private · to robert');

  // Carol goes; Robert takes "bob" back; Carol is back under her id as "bob 2".
  const carolLink = carol.page.url();
  await carol.page.goto('about:blank');
  await expect(alice.page.locator(`[data-testid=peer][data-peer-id="${carol.id}"]`)).toHaveCount(0);
  await rename(bob, 'bob', [alice]);
  await carol.page.goto(carolLink);
  expect(await selfId(carol.page)).toBe(carol.id);
  await expect(alice.page.locator(`[data-testid=peer][data-peer-id="${carol.id}"]`)).toContainText('bob 2');
  await expect(receipt).toHaveAttribute('title', readBy({ bob: 'bob', carol: 'bob 2' }));
  await expect(thumbs).toHaveAttribute('title', 'bob, bob 2');
  await expect(privateBar).toContainText('Private to bob');
  await expect(toBob).toHaveText('private · to bob');
});
