// Ignoring a member (client/ignored.ts): Carol ignores Mallory. On Carol's page Mallory's
// lines are collapsed in place (Show reveals one, the keyboard kept on the line; R shows one
// before it answers it), her typing is not shown, her lines raise no unread count, her reactions are not counted in the chips,
// and her files go unanswered, with no line; her page tells no one it read a line of hers it
// showed collapsed (Mallory's receipts), until Show or Stop ignoring; in a call, her tile is muted, without picture
// and never speaking. Bob's page is unaffected. A reload keeps it (the tab's storage), with the earlier lines that history
// brings back collapsed; Stop ignoring shows them all again, and her tile at once.
// A negative is proved by a later positive: Bob's line after Mallory's.

import type { Page } from '@playwright/test';
import { type BrowserPool, fakeMediaArgs } from './support/browser.ts';
import { joinCall, tileOf, waitForVideo } from './support/calls.ts';
import { fileLine, makeFile, sendFiles, waitForFileState } from './support/files.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { chatLine, react, reactionChip } from './support/history.ts';
import { keepTyping } from './support/typing.ts';
import {
  newRoomLink,
  openRoom,
  openUser,
  selfId,
  sendMessage,
  type User,
  waitForMesh,
  waitForMessage,
} from './support/users.ts';
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
  const ignore = malloryEntry.getByRole('button', { name: 'Ignore mallory' });
  // Its title says what Mallory may guess from: no read receipts for what it hides.
  await expect(ignore).toHaveAttribute('title', /nobody is told, though your page sends no read receipts/);
  await ignore.click();
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
  // R on her other line, still collapsed: it is shown first, as by its Show, then answered (the
  // reply's bar quoted the words the line still hid).
  await before.focus();
  await carol.page.keyboard.press('r');
  await expect(before.getByTestId('message-text')).toBeVisible();
  await expect(before.getByTestId('message-text')).toHaveText('before the ignore');
  await expect(before.getByTestId('ignored-note')).toHaveCount(0);
  await expect(carol.page.getByTestId('reply-bar')).toContainText('Replying to mallory: before the ignore');
  await carol.page.getByTestId('message-input').press('Escape');
  await expect(carol.page.getByTestId('reply-bar')).toBeHidden();
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

  // Mallory sends a small file to the room: Bob takes it; Carol's page leaves it unanswered,
  // with no line, so Mallory's line says no answer from Carol, as from anyone who has not
  // accepted yet (it said "carol declined" at once, which no person does for 7 bytes).
  await makeFile(mallory.page, { name: 'spam.txt', type: 'text/plain', text: 'spam!!!' });
  const [spamFile] = await sendFiles(mallory.page, ['spam.txt']);
  if (spamFile === undefined) throw new Error('no transfer');
  await waitForFileState(bob.page, spamFile, 'verified');
  await expect(fileLine(mallory.page, spamFile).getByTestId('file-recipients')).toHaveText(
    /^(bob ✓ received · carol no answer yet|carol no answer yet · bob ✓ received)$/,
  );
  await sendMessage(bob.page, 'after the file');
  await waitForMessage(carol.page, { from: bob.id, text: 'after the file' });
  await expect(fileLine(carol.page, spamFile)).toHaveCount(0);

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

/** Bob, Carol and Mallory in a new room, each linked to the others. */
async function threeMeshed(browsers: BrowserPool, url: string): Promise<[User, User, User]> {
  const users = (await openRoom(browsers, url, ['bob', 'carol', 'mallory'])) as [User, User, User];
  await waitForMesh(users);
  return users;
}

test("Carol's page reads none of Mallory's collapsed lines: Mallory sees them read by Bob alone, until Carol shows one, or stops ignoring her", async ({
  server,
  browsers,
}) => {
  const [, carol, mallory] = await threeMeshed(browsers, server.url);
  const malloryEntry = carol.page.locator(`[data-testid=peer][data-peer-id="${mallory.id}"]`);
  const ignore = malloryEntry.getByRole('button', { name: 'Ignore mallory' });
  // Its title says what Mallory may guess from: no read receipts for what it hides.
  await expect(ignore).toHaveAttribute('title', /nobody is told, though your page sends no read receipts/);
  await ignore.click();
  await expect(malloryEntry.getByRole('button', { name: 'Stop ignoring mallory' })).toBeVisible();
  const receiptOf = (text: string) => chatLine(mallory.page, mallory.id, text).getByTestId('receipt');
  const fromHer = linesFrom(carol.page, mallory.id);

  // Bob reads each as it comes; on Carol's page each is on screen, collapsed.
  await sendMessage(mallory.page, 'unseen one');
  await expect(receiptOf('unseen one')).toHaveText('read by 1');
  await expect(fromHer.first().getByTestId('ignored-note')).toBeInViewport();
  await sendMessage(mallory.page, 'shown two');
  await expect(receiptOf('shown two')).toHaveText('read by 1');
  const two = fromHer.nth(1);
  await expect(two.getByTestId('ignored-note')).toBeInViewport();

  // Carol shows one: that one she read. A read of the first, had her page sent one, came before
  // it (on screen first, and one channel keeps its order): the first is still read by Bob alone.
  await two.getByTestId('ignored-show').click();
  await expect(receiptOf('shown two')).toHaveText('read by 2');
  await expect(receiptOf('shown two')).toHaveAttribute('title', /^Read by (bob, carol|carol, bob)$/);
  await expect(receiptOf('unseen one')).toHaveAttribute('title', 'Read by bob');

  // Stop ignoring: the first shows, on screen, and is read as any line.
  await malloryEntry.getByRole('button', { name: 'Stop ignoring mallory' }).click();
  await expect(fromHer.first().getByTestId('message-text')).toBeInViewport();
  await expect(receiptOf('unseen one')).toHaveText('read by 2');
  await expect(receiptOf('unseen one')).toHaveAttribute('title', /^Read by (bob, carol|carol, bob)$/);
});

/** Records each `data-speaking` the tile of `peerId` takes on `page` from now on, read back by `speakingSeen` (one tile a page). */
async function recordSpeaking(page: Page, peerId: string): Promise<void> {
  await tileOf(page, peerId).evaluate((tile: { dataset: Record<string, string> }) => {
    const scope = globalThis as unknown as {
      MutationObserver: new (
        run: () => void,
      ) => { observe(target: unknown, options: { attributes: boolean; attributeFilter: string[] }): void };
      speakingSeen?: string[];
    };
    const seen: string[] = [];
    scope.speakingSeen = seen;
    new scope.MutationObserver(() => seen.push(tile.dataset['speaking'] ?? '')).observe(tile, {
      attributes: true,
      attributeFilter: ['data-speaking'],
    });
  });
}
const speakingSeen = (page: Page): Promise<string[]> =>
  page.evaluate(() => (globalThis as unknown as { speakingSeen?: string[] }).speakingSeen ?? []);
/** Whether the <audio> that plays a member's sound on its tile is muted. */
const soundMuted = (page: Page, peerId: string): Promise<boolean> =>
  tileOf(page, peerId)
    .locator('audio')
    .evaluate((audio: { muted: boolean }) => audio.muted);

test.describe('in a call, with a fake camera and microphone', () => {
  // Media on 2 shared cores: a page decoding video can take many seconds to take a click.
  test.describe.configure({ timeout: 300_000 });
  test.use({ browserArgs: fakeMediaArgs, actionTimeout: 60_000 });

  test("Carol ignores Mallory in a call: on Carol's page her tile is muted, without picture, never speaking, saying ignored; Bob hears and sees her; Stop ignoring brings both back at once", async ({
    server,
    browsers,
  }) => {
    const [bob, carol, mallory] = await threeMeshed(browsers, server.url);
    await joinCall(mallory);
    await joinCall(bob, false);
    await joinCall(carol, false);
    await waitForVideo(carol, [mallory]);
    await waitForVideo(bob, [mallory]);
    const tile = tileOf(carol.page, mallory.id);
    await expect(tile).toHaveAttribute('data-camera', 'on');
    expect(await soundMuted(carol.page, mallory.id)).toBe(false);
    // Her fake microphone's beeps: shown speaking.
    await expect(tile).toHaveAttribute('data-speaking', 'true', { timeout: 60_000 });

    const entry = carol.page.locator(`[data-testid=peer][data-peer-id="${mallory.id}"]`);
    await entry.getByRole('button', { name: 'Ignore mallory' }).click();
    await expect(tile).toHaveAttribute('data-ignored', 'true');
    await expect(tile).toHaveAttribute('data-camera', 'off');
    await expect(tile.locator('video')).toBeHidden();
    // (A tile without picture puts its name and state on two lines: no comma between them.)
    await expect(tile).toHaveAccessibleName(/^mallory\s*,? ignored$/);
    expect(await soundMuted(carol.page, mallory.id)).toBe(true);
    await expect(tile).toHaveAttribute('data-speaking', 'false');
    // Her beeps go on (each page reads every 200 ms): Bob's page shows her speaking, Carol's
    // never does meanwhile (every data-speaking her tile takes, recorded). Nothing changed on the link: Bob hears and sees her as before.
    await recordSpeaking(carol.page, mallory.id);
    await expect(tileOf(bob.page, mallory.id)).toHaveAttribute('data-speaking', 'true', { timeout: 60_000 });
    await carol.page.waitForTimeout(2_000);
    await expect(tileOf(bob.page, mallory.id)).toHaveAttribute('data-speaking', 'true');
    expect(await speakingSeen(carol.page), 'speaking shown while ignored').not.toContain('true');
    await expect(carol.page.getByTestId('call-speaking')).not.toContainText('mallory');
    await expect(tileOf(bob.page, mallory.id)).toHaveAttribute('data-camera', 'on');
    expect(await soundMuted(bob.page, mallory.id)).toBe(false);

    // Stop ignoring: her sound and picture at once, and her speaking shown again.
    await entry.getByRole('button', { name: 'Stop ignoring mallory' }).click();
    await expect(tile).toHaveAttribute('data-ignored', 'false');
    await expect(tile).toHaveAttribute('data-camera', 'on', { timeout: 3_000 });
    await expect(tile.locator('video')).toBeVisible();
    expect(await soundMuted(carol.page, mallory.id)).toBe(false);
    await expect(tile).toHaveAttribute('data-speaking', 'true', { timeout: 60_000 });
  });
});
