// Ignoring a member (client/ignored.ts): Carol ignores Mallory. On Carol's page Mallory's
// lines are collapsed in place (Show reveals one), her typing is not shown and her lines
// raise no unread count; Bob's page is unaffected. A reload keeps it (the tab's storage), with
// the earlier lines that history brings back collapsed; Stop ignoring shows them all again.
// A negative is proved by a later positive: Bob's line after Mallory's.

import type { Page } from '@playwright/test';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { react, reactionChip } from './support/history.ts';
import { keepTyping } from './support/typing.ts';
import { newRoomLink, openUser, selfId, sendMessage, waitForMesh, waitForMessage } from './support/users.ts';
import { controlVisibility, setHidden } from './support/visibility.ts';

/** The chat lines (not the page's own lines about the member) from `from` on `page`. */
const linesFrom = (page: Page, from: string) =>
  page.locator(`[data-testid=message][data-kind=chat][data-from="${from}"]`);

test('Carol ignores Mallory: collapsed lines, no typing, no unread count on her page alone; kept over a reload; Stop ignoring shows them', async ({
  server,
  browsers,
}) => {
  const link = newRoomLink(server.url);
  const contexts = await Promise.all(
    ['bob', 'carol', 'mallory'].map(async (label) => {
      const context = await browsers.newContext({ label });
      await controlVisibility(context);
      return context;
    }),
  );
  const [bob, carol, mallory] = await Promise.all(
    ['bob', 'carol', 'mallory'].map((name, i) => openUser(contexts[i] as never, link, name)),
  );
  if (!bob || !carol || !mallory) throw new Error('three users');
  await waitForMesh([bob, carol, mallory]);
  await sendMessage(mallory.page, 'before the ignore');
  await waitForMessage(carol.page, { from: mallory.id, text: 'before the ignore' });

  // Carol's list: Ignore on the others' entries, none on her own.
  const malloryEntry = carol.page.locator(`[data-testid=peer][data-peer-id="${mallory.id}"]`);
  await expect(carol.page.getByTestId('self').getByTestId('member-ignore')).toHaveCount(0);
  await malloryEntry.getByRole('button', { name: 'Ignore mallory' }).click();
  await expect(malloryEntry.getByRole('button', { name: 'Stop ignoring mallory' })).toBeVisible();
  await expect(malloryEntry).toContainText('ignored');
  // Not a choice of whom to write to.
  await expect(carol.page.getByTestId('private-recipient')).toBeHidden();
  // Bob's line, reacted to by Bob and by Mallory (before her next line: checked after it).
  await sendMessage(bob.page, 'lunch?');
  await waitForMessage(mallory.page, { from: bob.id, text: 'lunch?' });
  await react(bob.page, bob.id, 'lunch?', 'thumbs up');
  await expect(reactionChip(mallory.page, bob.id, 'lunch?', '👍')).toHaveAttribute('data-count', '1');
  await react(mallory.page, bob.id, 'lunch?', 'thumbs up');
  await react(mallory.page, bob.id, 'lunch?', 'party');
  await expect(reactionChip(mallory.page, bob.id, 'lunch?', '🎉')).toHaveAttribute('data-count', '1');
  // Her line from before is collapsed, in its place.
  const fromHer = linesFrom(carol.page, mallory.id);
  const before = fromHer.first();
  await expect(before.getByTestId('ignored-note')).toHaveText(/Message from an ignored member/);
  await expect(before.getByTestId('message-text')).toBeHidden();

  // Carol's tab hidden: Mallory's line counts nothing, Bob's after it counts one.
  await setHidden(carol.page, true);
  const baseTitle = await carol.page.title();
  await sendMessage(mallory.page, 'spam one');
  await waitForMessage(bob.page, { from: mallory.id, text: 'spam one' });
  await sendMessage(bob.page, 'hello from bob');
  await waitForMessage(carol.page, { from: bob.id, text: 'hello from bob' });
  await expect(carol.page).toHaveTitle(`(1) ${baseTitle}`);
  await setHidden(carol.page, false);
  // On Bob's page, Mallory's line as it is; on Carol's, collapsed until Show.
  await expect(linesFrom(bob.page, mallory.id).nth(1).getByTestId('message-text')).toHaveText('spam one');
  const spam = fromHer.nth(1);
  await expect(spam.getByTestId('message-text')).toBeHidden();
  // Show by the keyboard: the button goes, the keyboard stays on the line.
  await spam.getByTestId('ignored-show').focus();
  await carol.page.keyboard.press('Enter');
  await expect(spam.getByTestId('message-text')).toHaveText('spam one');
  await expect(spam).toBeFocused();
  await expect(before.getByTestId('message-text')).toBeHidden();
  // Her reactions, sent before 'spam one', count on Bob's page, not on Carol's: Bob's alone.
  await expect(reactionChip(bob.page, bob.id, 'lunch?', '👍')).toHaveAttribute('data-count', '2');
  const thumbs = reactionChip(carol.page, bob.id, 'lunch?', '👍');
  await expect(thumbs).toHaveAttribute('data-count', '1');
  await expect(thumbs).toHaveAttribute('title', 'bob');
  await expect(reactionChip(carol.page, bob.id, 'lunch?', '🎉')).toHaveCount(0);

  // Mallory types: Bob sees it, Carol does not; Bob typing after her shows on Carol's page.
  await mallory.page.getByTestId('message-input').fill('more');
  const malloryTypes = await keepTyping(mallory.page);
  await expect(bob.page.getByTestId('typing')).toHaveText('mallory is typing…');
  await bob.page.getByTestId('message-input').fill('an answer');
  const bobTypes = await keepTyping(bob.page);
  await expect(carol.page.getByTestId('typing')).toHaveText('bob is typing…');
  await expect(malloryEntry.locator('.member-doing')).toHaveCount(0);
  await malloryTypes.stop();
  await bobTypes.stop();

  // A reload: the same id, Mallory still ignored; her lines from history collapsed.
  await carol.page.reload();
  expect(await selfId(carol.page)).toBe(carol.id);
  await waitForMesh([bob, carol, mallory]);
  await waitForMessage(carol.page, { from: bob.id, text: 'hello from bob' });
  await expect(malloryEntry.getByRole('button', { name: 'Stop ignoring mallory' })).toBeVisible();
  await expect(fromHer).toHaveCount(2);
  await expect(fromHer.getByTestId('ignored-note')).toHaveCount(2);

  // Stop ignoring: every line of hers shows again.
  await malloryEntry.getByRole('button', { name: 'Stop ignoring mallory' }).click();
  await expect(fromHer.getByTestId('ignored-note')).toHaveCount(0);
  await expect(fromHer.getByTestId('message-text')).toHaveText(['before the ignore', 'spam one']);
  // Her reactions count again (those history brought back).
  await expect(thumbs).toHaveAttribute('data-count', '2');
  await expect(thumbs).toHaveAttribute('title', /^(bob, mallory|mallory, bob)$/);
  await expect(reactionChip(carol.page, bob.id, 'lunch?', '🎉')).toHaveAttribute('data-count', '1');
  await expect(malloryEntry).not.toContainText('ignored');
});
