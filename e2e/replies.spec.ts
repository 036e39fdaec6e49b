// Replies and mentions as people meet them. A reply made with the mouse shows its quote on
// the other side, and the quote takes the reader to the line it answers; a late joiner gets
// it with its quote in history, signed. A hostile member's signed replies with bogus
// references (an original's author misnamed, an unknown id, markup, an overlong excerpt) are
// shown safely: the real author where the original is here, text never markup, a reference
// too long dropped with its line and nothing else. From the keyboard alone: R on the
// current line of the list starts a reply, "@" offers the members' names (↓, Enter),
// Escape closes the names, then cancels the reply. A line that mentions you is marked, said
// to a screen reader as mentioning you, counted in the title while the tab is hidden and
// while you are scrolled up, and by "N new messages", and not once its author deleted it
// before you got to it; a reply to a private line stays
// private to the same member. Axe finds nothing on the reply bar, the names offered, a quote
// or a line marked as mentioning you, in light and dark. Alice edits a line (↑ in the empty
// box) and deletes another after confirming: Bob and a late joiner see the new text marked
// edited and "message deleted", a reply's quote of it too, a reply being written to it its
// new words (or cancelled, said why), and the deleted words nowhere; so
// does one who joins once Alice left, who gets her lines only on the others' word (relayed);
// from the keyboard, E edits a private line (privately) and Delete asks first.

import type { Locator, Page } from '@playwright/test';
import { violationsInBothSchemes } from './support/axe.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { sendMany, sendPrivate, waitForHistory } from './support/history.ts';
import { hostileMemberScript, sendCrafted, sendSignedLine } from './support/hostile-member.ts';
import {
  openRoom,
  openUser,
  sendMessage,
  shareLink,
  waitForMesh,
  waitForMessage,
  waitForPeers,
} from './support/users.ts';
import { controlVisibility, setHidden } from './support/visibility.ts';

/** The chat line from `from` whose own text (not a quote in it) is `text`. */
function line(page: Page, from: string, text: string): Locator {
  return page
    .locator(`#messages > li[data-kind=chat][data-from="${from}"]`)
    .filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });
}

/** Whether the element has the keyboard. */
const focused = (locator: Locator): Promise<boolean> =>
  locator.evaluate((el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement);

test('a reply shows its quote on the other side and in a late joiner’s history; a hostile member’s bogus references are shown safely', async ({
  server,
  browsers,
}) => {
  test.setTimeout(200_000);
  const [alice] = await openRoom(browsers, server.url, ['alice']);
  if (!alice) throw new Error('openRoom returned no user');
  const link = await shareLink(alice.page);
  // Mallory's channel #0 is to Alice (she links to her first), #1 to Bob.
  const malloryContext = await browsers.newContext({ label: 'mallory' });
  await malloryContext.addInitScript(hostileMemberScript);
  const mallory = await openUser(malloryContext, link, 'mallory');
  await waitForMesh([alice, mallory]);
  const bob = await openUser(await browsers.newContext({ label: 'bob' }), link, 'bob');
  await waitForMesh([alice, mallory, bob]);

  await sendMessage(alice.page, 'lunch at noon?');
  await waitForMessage(bob.page, { from: alice.id, text: 'lunch at noon?' });
  const original = line(bob.page, alice.id, 'lunch at noon?');
  const originalId = (await original.getAttribute('data-id')) ?? '';

  // Bob replies with the mouse: the composer says to what, and the box has the keyboard.
  await original.getByTestId('reply').click();
  const bar = bob.page.getByTestId('reply-bar');
  await expect(bar).toBeVisible();
  await expect(bar).toContainText('Replying to alice: lunch at noon?');
  await expect(bob.page.getByTestId('message-input')).toBeFocused();
  await bob.page.getByTestId('message-input').fill('yes, see you there');
  await bob.page.getByTestId('send-button').click();
  await expect(bar).toBeHidden();

  for (const page of [alice.page, bob.page]) {
    const quote = line(page, bob.id, 'yes, see you there').getByTestId('reply-quote');
    await expect(quote).toHaveText('alice: lunch at noon?');
    // Named as it reads (from its parts, each a flex item, it was "alice : lunch at noon?").
    await expect(quote).toHaveAccessibleName('alice: lunch at noon?');
    await expect(quote).toHaveAttribute('data-re-id', originalId);
  }
  // Alice's quote takes her to her own line, which gets the keyboard and becomes the list's
  // current line: the one in the tab order, described (it stayed out of the order, the reply
  // in it, so Tab skipped its buttons).
  await line(alice.page, bob.id, 'yes, see you there').getByTestId('reply-quote').click();
  await expect.poll(() => focused(line(alice.page, alice.id, 'lunch at noon?'))).toBe(true);
  await expect(line(alice.page, alice.id, 'lunch at noon?')).toHaveAttribute('tabindex', '0');
  await expect(line(alice.page, bob.id, 'yes, see you there')).toHaveAttribute('tabindex', '-1');
  await expect(line(alice.page, alice.id, 'lunch at noon?')).toHaveAttribute('aria-describedby', /.+/);
  // A reply to her own line is "to yourself" (her lines say "You", not "alice").
  await line(alice.page, alice.id, 'lunch at noon?').getByTestId('reply').click();
  await expect(alice.page.getByTestId('reply-bar')).toContainText('Replying to yourself: lunch at noon?');
  await alice.page.keyboard.press('Escape');
  await expect(alice.page.getByTestId('reply-bar')).toBeHidden();

  // Mallory signs her own lies: replies that name Alice's line with another author and text,
  // an id nobody wrote, markup, and excerpts at and past the limit.
  const ts = Date.now();
  const lies = [
    {
      id: 'mallory-misnamed-0001',
      text: 'misnamed',
      re: { from: alice.id, id: originalId, name: 'carol', text: 'I never said <b>this</b>' },
    },
    {
      id: 'mallory-unknown-00001',
      text: 'unknown original',
      re: { from: alice.id, id: 'never-written-000001', name: '<img src=x>', text: '<script>made up</script>' },
    },
    {
      id: 'mallory-longest-00001',
      text: 'longest excerpt',
      re: { from: alice.id, id: 'never-written-000002', name: 'alice', text: 'y'.repeat(280) },
    },
    {
      id: 'mallory-overlong-0001',
      text: 'overlong excerpt',
      re: { from: alice.id, id: 'never-written-000003', name: 'alice', text: 'z'.repeat(281) },
    },
    { id: 'mallory-after-000001', text: 'after the junk' },
  ];
  for (const [i, lie] of lies.entries()) {
    for (const channel of [0, 1]) await sendSignedLine(mallory.page, channel, { ...lie, ts: ts + i });
  }
  for (const page of [alice.page, bob.page]) {
    await waitForMessage(page, { from: mallory.id, text: 'after the junk' });
    // The original is here: its real author and text, whatever the reply claims.
    await expect(line(page, mallory.id, 'misnamed').getByTestId('reply-quote')).toHaveText('alice: lunch at noon?');
    const unknown = line(page, mallory.id, 'unknown original').getByTestId('reply-quote');
    // Not held here: what the reply says, and whose word that is.
    await expect(unknown).toHaveText('<img src=x>: <script>made up</script> (as mallory quotes it)');
    await expect(unknown.locator('img, script, b')).toHaveCount(0);
    await unknown.click();
    await expect(unknown.getByTestId('reply-gone')).toHaveText('· no longer on the page');
    const longest = await line(page, mallory.id, 'longest excerpt').locator('.reply-quote-text').textContent();
    expect(longest?.length).toBeLessThanOrEqual(120);
    await expect(line(page, mallory.id, 'overlong excerpt')).toHaveCount(0);
  }

  // Alice edits her latest line with ↑ in the empty box, and deletes one Bob answered, once
  // she confirms; Mallory's edit of Alice's line (an edit names only an id: hers) changes nothing.
  // A reply Bob is writing follows the line it answers: its new words, or cancelled.
  await sendMessage(alice.page, 'meet at the gate');
  await sendMessage(alice.page, 'bring the tickts');
  await waitForMessage(bob.page, { from: alice.id, text: 'bring the tickts' });
  await line(bob.page, alice.id, 'meet at the gate').getByTestId('reply').click();
  await sendMessage(bob.page, 'which gate?');
  await waitForMessage(alice.page, { from: bob.id, text: 'which gate?' });
  await line(bob.page, alice.id, 'bring the tickts').getByTestId('reply').click();
  await sendMessage(bob.page, 'which tickets?');
  await waitForMessage(alice.page, { from: bob.id, text: 'which tickets?' });
  // Bob starts another answer to the gate line, and leaves it open (its deletion ends it).
  await line(bob.page, alice.id, 'meet at the gate').getByTestId('reply').click();
  await expect(bar).toContainText('Replying to alice: meet at the gate');
  const gateId = (await line(alice.page, alice.id, 'meet at the gate').getAttribute('data-id')) ?? '';
  await sendCrafted(mallory.page, 0, { t: 'chat:edit', id: gateId, ts: Date.now(), at: Date.now(), text: 'forged' });
  const aliceBox = alice.page.getByTestId('message-input');
  await aliceBox.press('ArrowUp');
  await expect(alice.page.getByTestId('edit-bar')).toBeVisible();
  await expect(aliceBox).toHaveValue('bring the tickts');
  // Emptied and Enter: nothing saved, and the note under the box says why and what to do.
  await aliceBox.fill('  ');
  await aliceBox.press('Enter');
  await expect(alice.page.getByTestId('composer-note')).toHaveText(
    /^An empty message is not saved: to remove it, use Delete/,
  );
  await expect(alice.page.getByTestId('edit-bar')).toBeVisible();
  // Cancelled: the edit is over, and so is the note about it.
  await aliceBox.press('Escape');
  await expect(alice.page.getByTestId('edit-bar')).toBeHidden();
  await expect(alice.page.getByTestId('composer-note')).toBeHidden();
  await aliceBox.press('ArrowUp');
  await expect(aliceBox).toHaveValue('bring the tickts');
  await aliceBox.fill('bring the tickets, @bob');
  // Mid-edit, she deletes the other line: the dialog asks first (axe finds nothing on it or
  // on the edit bar), and the keyboard goes back to the line.
  await line(alice.page, alice.id, 'meet at the gate').getByTestId('delete').click();
  await expect(alice.page.getByTestId('delete-dialog')).toBeVisible();
  // Delete in the danger colour, as Hang up is; Cancel plain, not a second filled button (they
  // were the same primary blue, one choice twice).
  const fill = (button: object) =>
    (globalThis as unknown as { getComputedStyle(node: object): { backgroundColor: string } }).getComputedStyle(button)
      .backgroundColor;
  const hangUp = await alice.page.getByTestId('call-leave').evaluate(fill);
  expect(await alice.page.getByTestId('delete-confirm').evaluate(fill), 'Delete filled as Hang up').toBe(hangUp);
  expect(await alice.page.getByTestId('delete-cancel').evaluate(fill), 'Cancel not filled').toBe('rgba(0, 0, 0, 0)');
  expect(await violationsInBothSchemes(alice.page)).toEqual([]);
  await alice.page.getByTestId('delete-confirm').click();
  await expect(alice.page.locator(`#messages > li[data-id="${gateId}"]`)).toBeFocused();
  // A deleted line cannot be answered: Bob's reply to it is cancelled, and he is told why.
  await expect(bar).toBeHidden();
  await expect(bob.page.getByTestId('announcer')).toContainText('Reply cancelled: alice’s message was deleted');
  // His answer to the line being edited reads its new words once she saves it.
  await line(bob.page, alice.id, 'bring the tickts').getByTestId('reply').click();
  await expect(bar).toContainText('Replying to alice: bring the tickts');
  await aliceBox.press('Enter');
  await expect(aliceBox).toHaveValue('');
  await expect(bar).toContainText('Replying to alice: bring the tickets, @bob');
  await bob.page.getByTestId('message-input').press('Escape');
  await expect(bar).toBeHidden();
  for (const page of [alice.page, bob.page]) {
    const edited = line(page, alice.id, 'bring the tickets, @bob');
    await expect(edited.getByTestId('edited')).toHaveText('(edited)');
    await expect(edited.getByTestId('edited')).toHaveAttribute('title', /^Edited by its author on /);
    // Its new text mentions Bob: marked for him (not for Alice, its author).
    if (page === bob.page) await expect(edited).toHaveAttribute('data-mentions-you', 'true');
    await expect(page.locator(`#messages > li[data-id="${gateId}"] [data-testid=message-text]`)).toHaveText(
      'message deleted',
    );
    await expect(line(page, bob.id, 'which gate?').getByTestId('reply-quote')).toHaveText('alice: message deleted');
    await expect(line(page, bob.id, 'which tickets?').getByTestId('reply-quote')).toHaveText(
      'alice: bring the tickets, @bob',
    );
    await expect(page.locator('#messages')).not.toContainText('meet at the gate');
    await expect(page.locator('#messages')).not.toContainText('forged');
  }

  // Carol comes late: history carries the reply, signed, with its quote, and the lines as
  // edited and deleted, checked against Alice's key.
  const carol = await openUser(await browsers.newContext({ label: 'carol' }), link, 'carol');
  await waitForHistory(carol.page, 3);
  const reply = line(carol.page, bob.id, 'yes, see you there');
  await expect(reply).toHaveAttribute('data-verified', 'true');
  await expect(reply.getByTestId('reply-quote')).toHaveText('alice: lunch at noon?');
  await expect(line(carol.page, mallory.id, 'misnamed').getByTestId('reply-quote')).toHaveText('alice: lunch at noon?');
  const edited = line(carol.page, alice.id, 'bring the tickets, @bob');
  await expect(edited).toHaveAttribute('data-verified', 'true');
  await expect(edited.getByTestId('edited')).toHaveText('(edited)');
  const deleted = carol.page.locator(`#messages > li[data-id="${gateId}"]`);
  await expect(deleted).toHaveAttribute('data-verified', 'true');
  await expect(deleted.getByTestId('message-text')).toHaveText('message deleted');
  // Its mark vouches for what is left, its author's signed deletion, not for text that is gone.
  await expect(deleted.locator('.line-mark')).toHaveText(['✓ deletion signed']);
  await expect(line(carol.page, bob.id, 'which gate?').getByTestId('reply-quote')).toHaveText('alice: message deleted');
  await expect(line(carol.page, bob.id, 'which tickets?').getByTestId('reply-quote')).toHaveText(
    'alice: bring the tickets, @bob',
  );
  await expect(carol.page.locator('#messages')).not.toContainText('meet at the gate');

  // "@" offers Carol everyone here, in order; ↓ and ↑ move the choice (round at the ends), and
  // a click takes one.
  const box = carol.page.getByTestId('message-input');
  await box.click();
  await carol.page.keyboard.type('thanks @');
  const options = carol.page.getByTestId('mention-list').getByRole('option');
  await expect(options).toHaveText(['@alice', '@bob', '@mallory']);
  // Only the name isolated: "@" inside it went to the end of a right-to-left name ("שרה@").
  await expect(options.locator('bdi')).toHaveText(['alice', 'bob', 'mallory']);
  // A screen reader is told the list opened, and what Enter does now (a textarea cannot say
  // it is an expanded combobox).
  await expect(carol.page.locator('#announcer')).toContainText(
    '3 names to mention: up and down arrows choose, Enter puts one in',
  );
  const chosen = carol.page.getByTestId('mention-list').getByRole('option', { selected: true });
  await expect(chosen).toHaveText('@alice');
  await expect(box).toHaveAttribute('aria-activedescendant', (await options.first().getAttribute('id')) ?? '');
  await carol.page.keyboard.press('ArrowUp');
  await expect(chosen).toHaveText('@mallory');
  await carol.page.keyboard.press('ArrowDown');
  await expect(chosen).toHaveText('@alice');
  await carol.page.keyboard.press('ArrowDown');
  await expect(chosen).toHaveText('@bob');
  await carol.page.keyboard.type('B');
  await expect(options).toHaveText(['@bob']);
  await options.first().click();
  await expect(box).toHaveValue('thanks @bob ');
  await expect(box).toBeFocused();
  await carol.page.keyboard.type('and all');
  await carol.page.keyboard.press('Enter');
  await waitForMessage(bob.page, { from: carol.id, text: 'thanks @bob and all' });
  await expect(line(bob.page, carol.id, 'thanks @bob and all')).toHaveAttribute('data-mentions-you', 'true');
  await expect(line(alice.page, carol.id, 'thanks @bob and all')).not.toHaveAttribute('data-mentions-you', 'true');

  // Alice leaves, and Dana comes later still: Alice's lines reach her only on the others' word
  // (relayed: she never learned Alice's key), as they now read. The replies' quotes follow
  // them, as that word, never the words Bob's signed excerpts carry from before the edit and
  // the deletion.
  await alice.page.close();
  await waitForPeers(bob.page, [mallory.id, carol.id]);
  const dana = await openUser(await browsers.newContext({ label: 'dana' }), link, 'dana');
  await waitForHistory(dana.page, 3);
  const gone = dana.page.locator(`#messages > li[data-id="${gateId}"]`);
  await expect(gone).toHaveAttribute('data-verified', 'relayed');
  await expect(gone.getByTestId('message-text')).toHaveText('message deleted');
  const relayer = '(bob|mallory|carol)';
  await expect(line(dana.page, bob.id, 'which gate?').getByTestId('reply-quote')).toHaveText(
    new RegExp(`^alice: message deleted \\(as ${relayer} relays it\\)$`),
  );
  await expect(line(dana.page, bob.id, 'which tickets?').getByTestId('reply-quote')).toHaveText(
    new RegExp(`^alice: bring the tickets, @bob \\(as ${relayer} relays it\\)$`),
  );
  await expect(dana.page.locator('#messages')).not.toContainText('meet at the gate');
  await expect(dana.page.locator('#messages')).not.toContainText('tickts');
});

test('from the keyboard alone: R replies, @ offers names, Escape closes them and then cancels; a mention is marked, said and counted; a private line’s reply stays private', async ({
  server,
  browsers,
}) => {
  test.setTimeout(120_000);
  const ana = 'Ana María';
  const [alice, bob] = await openRoom(browsers, server.url, [ana, 'bob']);
  if (!alice || !bob) throw new Error('openRoom returned fewer users');
  await controlVisibility(alice.context);
  await alice.page.reload();
  await waitForMesh([alice, bob]);

  await sendMessage(alice.page, 'who is in?');
  await waitForMessage(bob.page, { from: alice.id, text: 'who is in?' });
  const box = bob.page.getByTestId('message-input');
  await box.focus();
  // Shift+Tab from the message box reaches the list's current line (the newest) past its controls.
  const current = bob.page.locator('#messages > li[tabindex="0"]');
  for (let presses = 0; presses < 10 && !(await focused(current)); presses++)
    await bob.page.keyboard.press('Shift+Tab');
  expect(await focused(current)).toBe(true);
  await expect(current).toHaveAttribute('data-from', alice.id);
  await bob.page.keyboard.press('r');
  await expect(bob.page.getByTestId('reply-bar')).toContainText(`Replying to ${ana}: who is in?`);
  await expect(box).toBeFocused();
  // An R typed in the box is an R.
  await bob.page.keyboard.type('r');
  await expect(box).toHaveValue('r');
  await box.fill('');

  // "@" and a few letters: the names that fit, the first chosen; ↓ and ↑ move, Escape closes
  // the list and leaves the reply; a second Escape cancels it.
  await bob.page.keyboard.type('@a');
  const list = bob.page.getByTestId('mention-list');
  await expect(list.getByRole('option')).toHaveText([`@${ana}`]);
  await expect(list.getByRole('option', { selected: true })).toHaveText(`@${ana}`);
  // The reply bar and the names offered, as axe sees them.
  expect(await violationsInBothSchemes(bob.page)).toEqual([]);
  await expect(box).toBeFocused();
  await bob.page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(bob.page.getByTestId('reply-bar')).toBeVisible();
  await bob.page.keyboard.press('Escape');
  await expect(bob.page.getByTestId('reply-bar')).toBeHidden();
  await expect(box).toHaveValue('@a');

  // Again, and this time sent: R on the line, the name taken with Enter, Enter sends.
  await box.fill('');
  await current.focus();
  await bob.page.keyboard.press('r');
  await bob.page.keyboard.type('me, @AN');
  await expect(list.getByRole('option')).toHaveText([`@${ana}`]);
  await bob.page.keyboard.press('ArrowDown'); // one name: ↓ stays on it
  await bob.page.keyboard.press('Enter');
  await expect(box).toHaveValue(`me, @${ana} `);
  await bob.page.keyboard.type('and you?');
  await bob.page.keyboard.press('Enter');
  const text = `me, @${ana} and you?`;
  await waitForMessage(alice.page, { from: bob.id, text });
  const mention = line(alice.page, bob.id, text);
  await expect(mention).toHaveAttribute('data-mentions-you', 'true');
  await expect(mention.getByTestId('reply-quote')).toHaveText(`${ana}: who is in?`);
  await expect(alice.page.getByTestId('announcer')).toContainText(`bob, mentions you: ${text}`);
  // A line marked as mentioning her, with its quote, as axe sees it.
  expect(await violationsInBothSchemes(alice.page)).toEqual([]);
  // Bob's own line mentions Ana, not him.
  await expect(line(bob.page, bob.id, text)).not.toHaveAttribute('data-mentions-you', 'true');

  // Hidden, Ana's title counts lines and mentions apart: any case, word-bounded.
  const baseTitle = await alice.page.title();
  await setHidden(alice.page, true);
  await sendMessage(bob.page, '@ana maría, still there?');
  await sendMessage(bob.page, '@Ana Maríanne is someone else');
  await waitForMessage(alice.page, { from: bob.id, text: '@Ana Maríanne is someone else' });
  await expect(alice.page).toHaveTitle(`(2 · @1) ${baseTitle}`);
  await setHidden(alice.page, false);
  await expect(alice.page).toHaveTitle(baseTitle);

  // Scrolled up, a mention below counts in the title and in "N new messages" until she is back.
  await sendMany(
    bob.page,
    Array.from({ length: 40 }, (_, i) => `filler ${i}`),
  );
  await waitForMessage(alice.page, { from: bob.id, text: 'filler 39' });
  const messages = alice.page.locator('#messages');
  const gapBelow = () =>
    messages.evaluate(
      (el: { scrollTop: number; scrollHeight: number; clientHeight: number }) =>
        el.scrollHeight - el.scrollTop - el.clientHeight,
    );
  // At the newest line once the lines are laid out, then up with the wheel, well away from it.
  await expect.poll(gapBelow).toBeLessThanOrEqual(1);
  await messages.hover();
  await alice.page.mouse.wheel(0, -1_500);
  await expect.poll(gapBelow).toBeGreaterThan(400);
  await sendMessage(bob.page, `look, @${ana}`);
  await sendMessage(bob.page, `@${ana}, sent too soon`);
  const newer = alice.page.getByTestId('newer');
  await expect(newer).toHaveText('2 new messages, 2 mention you');
  await expect(alice.page).toHaveTitle(`(@2) ${baseTitle}`);
  // Bob deletes one before she got to it: neither count promises it any more.
  await line(bob.page, bob.id, `@${ana}, sent too soon`).getByTestId('delete').click();
  await bob.page.getByTestId('delete-confirm').click();
  await expect(newer).toHaveText('1 new message, 1 mentions you');
  await expect(alice.page).toHaveTitle(`(@1) ${baseTitle}`);
  await newer.click();
  await expect(alice.page).toHaveTitle(baseTitle);

  // A reply to a private line goes privately to the same member.
  await sendPrivate(bob.page, alice.id, 'just between us');
  await waitForMessage(alice.page, { from: bob.id, text: 'just between us' });
  await line(alice.page, bob.id, 'just between us').getByTestId('reply').click();
  await alice.page.keyboard.type('agreed');
  await alice.page.keyboard.press('Enter');
  await waitForMessage(bob.page, { from: alice.id, text: 'agreed' });
  const privateReply = line(bob.page, alice.id, 'agreed');
  await expect(privateReply).toHaveAttribute('data-private-from', alice.id);
  await expect(privateReply.getByTestId('reply-quote')).toHaveText('bob: just between us');

  // E on her own line edits it (privately still: only Bob gets the edit); Delete on his asks
  // first, with Cancel ready, and Escape keeps the line.
  const agreed = line(alice.page, alice.id, 'agreed');
  await agreed.getByTestId('message-text').click();
  await expect(agreed).toBeFocused();
  await alice.page.keyboard.press('e');
  const aliceBox = alice.page.getByTestId('message-input');
  await expect(aliceBox).toHaveValue('agreed');
  await expect(aliceBox).toBeFocused();
  await aliceBox.fill('agreed, see you');
  await alice.page.keyboard.press('Enter');
  await expect(line(bob.page, alice.id, 'agreed, see you').getByTestId('edited')).toBeVisible();
  await expect(line(bob.page, alice.id, 'agreed, see you')).toHaveAttribute('data-private-from', alice.id);
  const secret = line(bob.page, bob.id, 'just between us');
  await secret.getByTestId('message-text').click();
  await bob.page.keyboard.press('Delete');
  await expect(bob.page.getByTestId('delete-cancel')).toBeFocused();
  await bob.page.keyboard.press('Escape');
  await expect(bob.page.getByTestId('delete-dialog')).toBeHidden();
  await expect(secret).toBeFocused();
  await expect(line(alice.page, bob.id, 'just between us')).toBeVisible();
});
