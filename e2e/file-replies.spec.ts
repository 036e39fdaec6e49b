// Files and voice messages as replies. With a reply open, a file picked and a voice message
// recorded go as the reply: the bar ends (and stays over the voice bar while recording), and
// each shows its quote on every page, on a late joiner's (offered the files shared with the
// room) and in Save the chat. A file's line and a voice message's take
// Reply as a message does, quoted by the file's name and as "Voice message". A file that cannot
// go (the member written to is away) leaves the reply open. A member's page, edited, that offers
// a file as a reply to a line nobody wrote shows as a text reply does ("as Carol quotes it"), and
// one whose reference is malformed is dropped whole, as such a line is, with nothing thrown.

import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { fakeMediaArgs } from './support/browser.ts';
import { fileLine, makeFile, pasteOrDrop, waitForFileState } from './support/files.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { waitForHistory } from './support/history.ts';
import { hostileMemberScript, sendCrafted } from './support/hostile-member.ts';
import { newRoomLink, openUser, sendMessage, waitForMesh, waitForMessage, waitForPeers } from './support/users.ts';

test.use({ browserArgs: fakeMediaArgs, actionTimeout: 60_000 });

/** The chat line from `from` whose own text (not a quote in it) is `text`. */
function line(page: Page, from: string, text: string): Locator {
  return page
    .locator(`#messages > li[data-kind=chat][data-from="${from}"]`)
    .filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });
}

/** The file lines from `from` on the page, in order. */
const fileLines = (page: Page, from: string): Locator =>
  page.locator(`#messages > li[data-kind=file][data-from="${from}"]`);

test('a file and a voice message sent with a reply open go as the reply, quoted everywhere; files and voice messages take replies; a hostile reference is shown safely', async ({
  server,
  browsers,
}) => {
  test.setTimeout(240_000);
  const link = newRoomLink(server.url);
  const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, 'alice');
  const bob = await openUser(await browsers.newContext({ label: 'bob' }), link, 'bob');
  await waitForMesh([alice, bob]);
  const thrown: string[] = [];
  alice.page.on('pageerror', (error) => thrown.push(error.message));

  await sendMessage(alice.page, 'send me the plan');
  await waitForMessage(bob.page, { from: alice.id, text: 'send me the plan' });
  const asked = line(bob.page, alice.id, 'send me the plan');
  const askedId = (await asked.getAttribute('data-id')) ?? '';

  // Bob replies with a file picked with Files: the bar ends as a line sent ends it.
  const bar = bob.page.getByTestId('reply-bar');
  await asked.getByTestId('reply').click();
  await expect(bar).toContainText('Replying to alice: send me the plan');
  await bob.page.getByTestId('file-input').setInputFiles({
    name: '_plan_.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('the plan: meet at noon'),
  });
  await expect(bar).toBeHidden();
  await expect(fileLines(bob.page, bob.id)).toHaveCount(1);
  const planId = (await fileLines(bob.page, bob.id).getAttribute('data-file-id')) ?? '';
  await waitForFileState(alice.page, planId, 'verified');
  for (const page of [alice.page, bob.page]) {
    const quote = fileLine(page, planId).getByTestId('reply-quote');
    await expect(quote).toHaveText('alice: send me the plan');
    await expect(quote).toHaveAttribute('data-re-id', askedId);
    await expect(quote).toHaveAttribute('data-known', 'true');
  }

  // Then with a voice message: the reply stays over the voice bar while it records (without
  // its ✕, which would hand the keyboard to the hidden box), and goes with the clip.
  await asked.getByTestId('reply').click();
  await expect(bar).toContainText('Replying to alice: send me the plan');
  await bob.page.getByTestId('voice-record').click();
  await expect(bob.page.getByTestId('voice-bar')).toBeVisible();
  await expect(bar).toBeVisible();
  await expect(bob.page.getByTestId('reply-cancel')).toBeHidden();
  await expect(bob.page.getByTestId('voice-send')).toHaveAccessibleDescription(
    /^to everyone\s*Replying to alice: send me the plan$/,
  );
  await expect(bob.page.getByTestId('voice-elapsed')).toHaveText('0:01', { timeout: 30_000 });
  await bob.page.getByTestId('voice-send').click();
  await expect(bob.page.getByTestId('voice-bar')).toBeHidden();
  await expect(bar).toBeHidden();
  await expect(fileLines(bob.page, bob.id)).toHaveCount(2);
  const voiceId = (await fileLines(bob.page, bob.id).nth(1).getAttribute('data-file-id')) ?? '';
  await waitForFileState(alice.page, voiceId, 'verified');
  for (const page of [alice.page, bob.page]) {
    await expect(fileLine(page, voiceId).getByTestId('reply-quote')).toHaveText('alice: send me the plan');
  }

  // Alice replies to the file's line (its name as written, no formatting read into it) and to
  // the voice message's (said to be one): Bob's page quotes each so.
  const aliceBar = alice.page.getByTestId('reply-bar');
  await fileLine(alice.page, planId).getByTestId('reply').click();
  await expect(aliceBar).toContainText('Replying to bob: _plan_.txt');
  await alice.page.getByTestId('message-input').fill('got the plan');
  await alice.page.getByTestId('message-input').press('Enter');
  await fileLine(alice.page, voiceId).getByTestId('reply').click();
  await expect(aliceBar).toContainText('Replying to bob: Voice message');
  await alice.page.getByTestId('message-input').fill('nice voice');
  await alice.page.getByTestId('message-input').press('Enter');
  await waitForMessage(bob.page, { from: alice.id, text: 'nice voice' });
  for (const page of [alice.page, bob.page]) {
    await expect(line(page, alice.id, 'got the plan').getByTestId('reply-quote')).toHaveText('bob: _plan_.txt');
    await expect(line(page, alice.id, 'nice voice').getByTestId('reply-quote')).toHaveText('bob: Voice message');
  }
  // The quote takes Bob to his file's line.
  await line(bob.page, alice.id, 'got the plan').getByTestId('reply-quote').click();
  await expect(fileLine(bob.page, planId)).toBeFocused();

  // Save the chat says what the file answers, as it does of a message.
  const [saved] = await Promise.all([alice.page.waitForEvent('download'), alice.page.getByTestId('save-chat').click()]);
  const text = await readFile(await saved.path(), 'utf8');
  expect(text).toMatch(/\] bob sent a file, in reply to “alice: send me the plan”: _plan_\.txt \(/);
  expect(text).toMatch(/\] alice \(you\), in reply to “bob: _plan_\.txt”: got the plan$/m);
  expect(text).toMatch(/\] alice \(you\), in reply to “bob: Voice message”: nice voice$/m);

  // Carol joins later: offered the files Bob shares with the room, each with its quote, and
  // Alice's replies in history quote them. Her page is edited (hostile-member.ts).
  const carolContext = await browsers.newContext({ label: 'carol' });
  await carolContext.addInitScript(hostileMemberScript);
  const carol = await openUser(carolContext, link, 'carol');
  await waitForMesh([alice, bob, carol]);
  await waitForHistory(carol.page, 2);
  for (const id of [planId, voiceId]) {
    await waitForFileState(carol.page, id, 'verified');
    await expect(fileLine(carol.page, id).getByTestId('reply-quote')).toHaveText('alice: send me the plan');
  }
  await expect(line(carol.page, alice.id, 'got the plan').getByTestId('reply-quote')).toHaveText('bob: _plan_.txt');
  await expect(line(carol.page, alice.id, 'nice voice').getByTestId('reply-quote')).toHaveText('bob: Voice message');

  // Carol offers files of her own making on every link: one as a reply to a line nobody wrote
  // (shown as her word, as a text reply's is), one whose reference is too long (dropped whole,
  // as a line with one is).
  const offer = { t: 'file:offer', size: 5, type: 'text/plain', sha256: 'a'.repeat(64) };
  const forged = {
    ...{ ...offer, id: 'carol-forged-file-01', name: 'forged.txt' },
    re: { from: alice.id, id: 'never-written-000001', name: 'alice', text: 'I owe Carol 100 €' },
  };
  const overlong = {
    ...{ ...offer, id: 'carol-overlong-file1', name: 'overlong.txt' },
    re: { from: alice.id, id: askedId, name: 'alice', text: 'y'.repeat(281) },
  };
  const channels = await carol.page.evaluate(
    () => (globalThis as unknown as { __hostile: { states(): string[] } }).__hostile.states().length,
  );
  for (let index = 0; index < channels; index++) {
    await sendCrafted(carol.page, index, overlong);
    await sendCrafted(carol.page, index, forged);
  }
  await expect(fileLine(alice.page, forged.id).getByTestId('reply-quote')).toHaveText(
    'alice: I owe Carol 100 € (as carol quotes it)',
  );
  await expect(fileLine(alice.page, forged.id).getByTestId('reply-quote')).toHaveAttribute('data-known', 'false');
  await expect(fileLine(alice.page, overlong.id)).toHaveCount(0);

  // Alice writes privately to Carol, who goes: a file Alice pastes while replying goes nowhere,
  // and the reply stays open for what she sends next.
  await line(alice.page, alice.id, 'send me the plan').getByTestId('reply').click();
  await alice.page.locator(`[data-testid=peer][data-peer-id="${carol.id}"]`).click();
  await carol.page.goto('about:blank');
  await waitForPeers(alice.page, [bob.id]);
  await makeFile(alice.page, { name: 'late.txt', text: 'too late' });
  await pasteOrDrop(alice.page, 'paste', 'late.txt');
  await expect(
    alice.page.locator('[data-testid=message][data-kind=system]', { hasText: 'files can’t go to them' }),
  ).toHaveCount(1);
  await expect(fileLines(alice.page, alice.id)).toHaveCount(0);
  await expect(aliceBar).toContainText('Replying to yourself: send me the plan');
  expect(thrown).toEqual([]);
});
