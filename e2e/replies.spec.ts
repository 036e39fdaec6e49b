// Replies as people meet them. A reply made with the mouse shows its quote on the other
// side, and the quote takes the reader to the line it answers; a late joiner gets it with its
// quote in history, signed. A hostile member's signed replies with bogus references (an
// original's author misnamed, an unknown id, markup, an overlong excerpt) are shown safely:
// the real author where the original is here, text never markup, a reference too long
// dropped with its line and nothing else. From the keyboard alone: R on the current line of
// the list starts a reply, Escape cancels it; a reply to a private line stays private to the
// same member.

import type { Locator, Page } from '@playwright/test';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { sendPrivate, waitForHistory } from './support/history.ts';
import { hostileMemberScript, sendSignedLine } from './support/hostile-member.ts';
import { openRoom, openUser, sendMessage, shareLink, waitForMesh, waitForMessage } from './support/users.ts';

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
  test.setTimeout(150_000);
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
    await expect(quote).toHaveAttribute('data-re-id', originalId);
  }
  // Alice's quote takes her to her own line, which gets the keyboard.
  await line(alice.page, bob.id, 'yes, see you there').getByTestId('reply-quote').click();
  await expect.poll(() => focused(line(alice.page, alice.id, 'lunch at noon?'))).toBe(true);

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
    await expect(unknown).toHaveText('<img src=x>: <script>made up</script>');
    await expect(unknown.locator('img, script, b')).toHaveCount(0);
    await unknown.click();
    await expect(unknown.getByTestId('reply-gone')).toHaveText('· no longer on the page');
    const longest = await line(page, mallory.id, 'longest excerpt').locator('.reply-quote-text').textContent();
    expect(longest?.length).toBeLessThanOrEqual(120);
    await expect(line(page, mallory.id, 'overlong excerpt')).toHaveCount(0);
  }

  // Carol comes late: history carries the reply, signed, with its quote.
  const carol = await openUser(await browsers.newContext({ label: 'carol' }), link, 'carol');
  await waitForHistory(carol.page, 3);
  const reply = line(carol.page, bob.id, 'yes, see you there');
  await expect(reply).toHaveAttribute('data-verified', 'true');
  await expect(reply.getByTestId('reply-quote')).toHaveText('alice: lunch at noon?');
  await expect(line(carol.page, mallory.id, 'misnamed').getByTestId('reply-quote')).toHaveText('alice: lunch at noon?');
});

test('from the keyboard alone: R on the current line replies and Escape cancels; a private line’s reply stays private', async ({
  server,
  browsers,
}) => {
  test.setTimeout(120_000);
  const ana = 'Ana María';
  const [alice, bob] = await openRoom(browsers, server.url, [ana, 'bob']);
  if (!alice || !bob) throw new Error('openRoom returned fewer users');
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
  await bob.page.keyboard.press('Escape');
  await expect(bob.page.getByTestId('reply-bar')).toBeHidden();

  // Again, and this time sent: R on the line, Enter sends.
  await box.fill('');
  await current.focus();
  await bob.page.keyboard.press('r');
  await bob.page.keyboard.type('me, and you?');
  await bob.page.keyboard.press('Enter');
  const text = 'me, and you?';
  await waitForMessage(alice.page, { from: bob.id, text });
  await expect(line(alice.page, bob.id, text).getByTestId('reply-quote')).toHaveText(`${ana}: who is in?`);
  await expect(bob.page.getByTestId('reply-bar')).toBeHidden();

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
});
