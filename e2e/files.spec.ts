// Files over the mesh (issue 12): transfers on channels of their own, verified by SHA-256 on
// arrival, to the room or to one member, with decline and cancel from either side, shared with
// those who join later until Stop sharing, and hostile senders caught.

import { crc32, deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import {
  amongEarlierLines,
  download,
  fileLine,
  fileWatch,
  makeFile,
  makePng,
  pasteOrDrop,
  releaseAcks,
  removeStoredFile,
  sendFiles,
  sendFileThenLine,
  shownOrder,
  tamperOutgoing,
  waitForFileState,
  watchFileLines,
} from './support/files.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { chatLine } from './support/history.ts';
import {
  openMeshedPair,
  openRoom,
  openUser,
  selfId,
  sendMessage,
  shareLink,
  waitForMesh,
  waitForMessages,
} from './support/users.ts';

// Three browsers moving tens of megabytes on two shared cores: room for a slow machine.
test.describe.configure({ timeout: 240_000 });

interface Box {
  clientWidth: number;
  getBoundingClientRect(): { width: number };
}

/** How many pixels a file line’s progress bar is narrower (or wider) than the line’s inner width (0: across it). */
function barMisfit(page: Page, id: string): Promise<number> {
  return fileLine(page, id).evaluate((line: Box & { querySelector(s: string): Box | null }) => {
    const style = (globalThis as unknown as { getComputedStyle(e: Box): Record<string, string> }).getComputedStyle(
      line,
    );
    const inner =
      line.clientWidth -
      Number.parseFloat(style['paddingLeft'] ?? '0') -
      Number.parseFloat(style['paddingRight'] ?? '0');
    const bar = line.querySelector('[data-testid=file-progress]')?.getBoundingClientRect().width ?? 0;
    return Math.abs(Math.round(inner - bar));
  });
}

test('a 50 MB file reaches a room of three verified at both, while chat lines still arrive', async ({
  server,
  browsers,
}) => {
  const users = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
  const [alice, bob, carol] = users;
  if (!alice || !bob || !carol) throw new Error('openRoom returned fewer users');
  await waitForMesh(users);

  // The size the files issue names (the chat below happens mid-transfer, asserted); the
  // 1 GiB case and the speeds are the bench's. Bob and Carol hold what they confirm stored
  // until the lines are through: Alice stops at her window (16 MiB) with the file on its way
  // to both, and goes on once they let go. Without it the file's state was a race with the
  // lines: a machine that moves 50 MB faster than three lines go round had it verified first.
  for (const receiver of [bob, carol]) await tamperOutgoing(receiver.page, { holdAcks: true });
  const made = await makeFile(alice.page, { name: 'big.bin', size: 50 * 1024 * 1024 });
  // Said as it is sent: the same order on every page, as for a private file (below).
  const id = await sendFileThenLine(alice.page, made.name, 'here comes the big one');
  // Chat while the bytes flow: once bob's line shows the transfer running, lines go both ways.
  await waitForFileState(bob.page, id, 'transferring');
  const lines = [
    { from: alice.id, text: 'while sending 1' },
    { from: bob.id, text: 'while receiving 2' },
    { from: carol.id, text: 'while receiving 3' },
  ];
  for (const line of lines) {
    const sender = users.find((user) => user.id === line.from);
    if (sender) await sendMessage(sender.page, line.text);
  }
  for (const user of users)
    await waitForMessages(
      user.page,
      lines.filter((line) => line.from !== user.id),
    );
  // The lines went through while the file was still on its way, not after it.
  for (const receiver of [bob, carol])
    await expect(fileLine(receiver.page, id)).toHaveAttribute('data-state', 'transferring');
  for (const receiver of [bob, carol]) await releaseAcks(receiver.page);

  for (const receiver of [bob, carol]) {
    await waitForFileState(receiver.page, id, 'verified', 120_000);
    const line = fileLine(receiver.page, id);
    await expect(line).toHaveAttribute('data-size', String(made.size));
    await expect(line.getByTestId('file-download')).toHaveAttribute('download', 'big.bin');
    expect(await download(receiver.page, id)).toEqual({ name: 'big.bin', sha256: made.sha256 });
  }
  await waitForFileState(alice.page, id, 'verified');
  for (const user of users) expect(await shownOrder(user.page, id, 'here comes the big one')).toBe('line, file');
});

test('a private send reaches one member only', async ({ server, browsers }) => {
  const users = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
  const [alice, bob, carol] = users;
  if (!alice || !bob || !carol) throw new Error('openRoom returned fewer users');
  await waitForMesh(users);
  const made = await makeFile(alice.page, { name: 'for-bob.bin', size: 256 * 1024 });
  // A line written right after it, while the file is hashed: the line goes at once, the offer
  // once the hash is done, and both pages show them so (the sender's too, though it picked the
  // file first: they showed opposite orders).
  const id = await sendFileThenLine(alice.page, made.name, 'right after the file', bob.id);
  await waitForFileState(bob.page, id, 'verified');
  await waitForFileState(alice.page, id, 'verified');
  await waitForMessages(bob.page, [{ from: alice.id, text: 'right after the file' }]);
  for (const page of [alice.page, bob.page])
    expect(await shownOrder(page, id, 'right after the file')).toBe('line, file');
  // Anything alice sent carol before this line would have arrived before it (one ordered channel).
  await sendMessage(alice.page, 'after the private file');
  await waitForMessages(carol.page, [{ from: alice.id, text: 'after the private file' }]);
  await expect(carol.page.locator('[data-testid=message][data-kind=file]')).toHaveCount(0);
  await expect(fileLine(bob.page, id)).toContainText('only to you');
  // Marked private as a private line is, and so announced (view/lines.ts: it was read out as
  // sent to the room).
  await expect(fileLine(bob.page, id)).toHaveAttribute('data-private-from', alice.id);
  await expect(fileLine(alice.page, id)).toHaveAttribute('data-private-to', bob.id);
  // A file takes reactions as a message does: Bob's 👍 reaches Alice, under the download.
  const onBob = fileLine(bob.page, id);
  await onBob.getByTestId('react-button').click();
  await onBob.getByTestId('reaction-picker').getByRole('button', { name: 'React with thumbs up' }).click();
  const thumbs = fileLine(alice.page, id).locator('[data-testid=reaction][data-emoji="👍"]');
  await expect(thumbs).toHaveAttribute('title', 'bob');
  await expect(thumbs).toHaveAttribute('aria-pressed', 'false');
  await expect(onBob.locator('[data-testid=reaction][data-emoji="👍"]')).toHaveAttribute('aria-pressed', 'true');
  // And Alice's ❤️ on it, which her page syncs to Bob's when their link opens again.
  const onAlice = fileLine(alice.page, id);
  await onAlice.getByTestId('react-button').click();
  await onAlice.getByTestId('reaction-picker').getByRole('button', { name: 'React with heart' }).click();
  await expect(onBob.locator('[data-testid=reaction][data-emoji="❤️"]')).toHaveAttribute('title', 'alice');
  // Bob reloads: history brings chat lines back, never files, and his file's line was gone.
  // The tab lists what it received to disk, and the line comes back among the earlier lines,
  // with the same bytes to download.
  await bob.page.reload();
  await selfId(bob.page);
  await waitForFileState(bob.page, id, 'verified');
  await expect(fileLine(bob.page, id)).toContainText('only to you');
  await expect(fileLine(bob.page, id)).toContainText('for-bob.bin');
  // His 👍 on it too: a file line is in no history, so the tab kept it. And Alice's ❤️, though
  // her sync came before the line was back (its stored copy is found after the link opens).
  await expect(fileLine(bob.page, id).locator('[data-testid=reaction][data-emoji="👍"]')).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(fileLine(bob.page, id).locator('[data-testid=reaction][data-emoji="❤️"]')).toHaveAttribute(
    'title',
    'alice',
  );
  expect(await download(bob.page, id)).toEqual({ name: 'for-bob.bin', sha256: made.sha256 });
  expect(await amongEarlierLines(bob.page, id), 'under "Before you joined"').toBe(true);
  // A file to Carol, who asks before every file, waits for her when Alice reloads.
  await carol.page.getByTestId('file-accept-limit').fill('0');
  const waiting = await makeFile(alice.page, { name: 'for-carol.bin', size: 1024 });
  const [unanswered] = await sendFiles(alice.page, [waiting.name], carol.id);
  if (!unanswered) throw new Error('no transfer id');
  await expect(fileLine(carol.page, unanswered).getByTestId('file-accept')).toBeVisible();
  // Alice reloads too: the line of the file she sent comes back as it ended (the file itself
  // was not kept: no download), among the earlier lines; the one still waiting, as it stood,
  // stopped by the reload.
  await alice.page.reload();
  await selfId(alice.page);
  await expect(fileLine(alice.page, unanswered)).toHaveAttribute('data-state', 'cancelled');
  await expect(fileLine(alice.page, unanswered).getByTestId('file-recipients')).toHaveText(
    'carol not sent: you reloaded the page',
  );
  // Carol's page was told as Alice's went, not left to say Alice left.
  await expect(fileLine(carol.page, unanswered).getByTestId('file-status')).toContainText(
    'cancelled: alice no longer has the file',
  );
  const sentLine = fileLine(alice.page, id);
  await expect(sentLine).toHaveAttribute('data-state', 'verified');
  await expect(sentLine).toContainText('only to bob');
  await expect(sentLine.getByTestId('file-recipients')).toHaveText('bob ✓ received');
  await expect(sentLine.getByTestId('file-download')).toHaveCount(0);
  // With Bob's 👍, which his page sent again when their link opened (kept over his reload).
  await expect(sentLine.locator('[data-testid=reaction][data-emoji="👍"]')).toHaveAttribute('title', 'bob');
  await expect(sentLine.getByTestId('file-cancel')).toBeHidden();
  // From the keyboard, Enter on Files opens the chooser, as Space does. Listened for before
  // the focus: the listener turns Playwright's chooser interception on without waiting for
  // it, and a key pressed in the next breath could open the chooser before (1 run in 5 on a
  // loaded machine; with the focus's round trip between them, 40 of 40).
  const chooser = carol.page.waitForEvent('filechooser');
  await carol.page.getByTestId('file-input').focus();
  await carol.page.keyboard.press('Enter');
  expect((await chooser).isMultiple()).toBe(true);
});

test('a file sent to the room is offered to whoever joins later, among the earlier lines, until Stop sharing; one who left is told apart from a newcomer of the same name', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  const sentAfter = Date.now();
  const made = await makeFile(alice.page, { name: 'plan.pdf', type: 'application/pdf', text: 'the PDF I sent' });
  await makePng(alice.page, 'photo.png');
  const [pdf, photo] = await sendFiles(alice.page, [made.name, 'photo.png']);
  if (!pdf || !photo) throw new Error('no transfer id');
  for (const id of [pdf, photo]) await waitForFileState(bob.page, id, 'verified');
  // Bob reacts to it, and Alice writes after it: "see the PDF I sent".
  const onBob = fileLine(bob.page, pdf);
  await onBob.getByTestId('react-button').click();
  await onBob.getByTestId('reaction-picker').getByRole('button', { name: 'React with thumbs up' }).click();
  await sendMessage(alice.page, 'see the PDF I sent');
  await waitForMessages(bob.page, [{ from: alice.id, text: 'see the PDF I sent' }]);
  const sent = fileLine(alice.page, pdf);
  await expect(sent.getByTestId('file-status')).toHaveText('shared: it goes to whoever joins');

  // Carol joins: the file is offered to her as one from before she came.
  const link = await shareLink(alice.page);
  const carol = await openUser(await browsers.newContext({ label: 'carol' }), link, 'carol');
  for (const id of [pdf, photo]) await waitForFileState(carol.page, id, 'verified');
  await waitForMessages(carol.page, [{ from: alice.id, text: 'see the PDF I sent' }]);
  expect(await shownOrder(carol.page, pdf, 'see the PDF I sent'), 'by time, among the earlier lines').toBe(
    'file, line',
  );
  expect(await shownOrder(carol.page, photo, 'see the PDF I sent')).toBe('file, line');
  const shownAt = async (line: ReturnType<typeof fileLine>) =>
    Date.parse((await line.locator('time').getAttribute('datetime')) ?? '');
  const fileAt = await shownAt(fileLine(carol.page, pdf));
  expect(fileAt, 'its time is when it was sent').toBeGreaterThanOrEqual(sentAfter);
  expect(fileAt).toBeLessThanOrEqual(await shownAt(chatLine(carol.page, alice.id, 'see the PDF I sent')));
  expect(await amongEarlierLines(carol.page, pdf), 'under "Before you joined"').toBe(true);
  expect(await download(carol.page, pdf)).toEqual({ name: 'plan.pdf', sha256: made.sha256 });
  await expect(fileLine(carol.page, photo).getByTestId('file-preview')).toHaveCount(1);
  // Bob's reaction from before she came, which his page tells hers as their link opens.
  await expect(fileLine(carol.page, pdf).locator('[data-testid=reaction][data-emoji="👍"]')).toHaveAttribute(
    'title',
    'bob',
  );
  await expect(sent.getByTestId('file-recipients')).toContainText('carol ✓ received');

  // Bob closes his tab and opens the link again in a new one: a newcomer under his name, offered
  // the file as one. Alice's line tells the two apart, the one gone "(earlier)" as his lines are
  // (it read "bob ✓ received · bob ✓ received").
  const oldBob = bob.id;
  await bob.page.close();
  await expect(alice.page.locator(`[data-testid=peer][data-peer-id="${oldBob}"]`)).toHaveCount(0);
  const bobAgain = await openUser(await browsers.newContext({ label: 'bob again' }), link, 'bob');
  await waitForFileState(bobAgain.page, pdf, 'verified');
  const entry = (id: string) => sent.locator(`[data-testid=file-recipient][data-member="${id}"]`);
  await expect(entry(bobAgain.id)).toHaveText('bob ✓ received');
  await expect(entry(oldBob)).toHaveText('bob (earlier) ✓ received');

  // Alice stops sharing both: Dave, who joins next, is offered neither.
  for (const id of [pdf, photo]) {
    const unshare = fileLine(alice.page, id).getByTestId('file-unshare');
    await expect(unshare).toHaveAttribute('aria-label', `Stop sharing ${id === pdf ? 'plan.pdf' : 'photo.png'}`);
    await unshare.click();
    await expect(unshare).toBeHidden();
  }
  await expect(sent.getByTestId('file-status')).toHaveText('');
  const dave = await openUser(await browsers.newContext({ label: 'dave' }), link, 'dave');
  // Alice shows Dave's line only once her page hears his link open (files' offers go then);
  // her line after that comes behind anything she offered him, on the same ordered channel.
  await sendMessage(dave.page, 'hello from dave');
  await waitForMessages(alice.page, [{ from: dave.id, text: 'hello from dave' }]);
  await sendMessage(alice.page, 'welcome dave');
  await waitForMessages(dave.page, [{ from: alice.id, text: 'welcome dave' }]);
  await expect(dave.page.locator('[data-testid=message][data-kind=file]')).toHaveCount(0);
});

test('decline and cancel, from each side', async ({ server, browsers }) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  await makeFile(alice.page, { name: 'small.bin', size: 64 * 1024 });
  await makeFile(alice.page, { name: 'large.bin', size: 40 * 1024 * 1024 });

  // Above bob's limit a file waits for him: he declines one; alice withdraws another; he
  // takes a third. All from the keyboard: a button that hides once pressed hands the keyboard
  // to its line (read whole), or to what comes next in it, never to <body>.
  const press = async (page: Page, id: string, button: string) => {
    await fileLine(page, id).getByTestId(button).focus();
    await page.keyboard.press('Enter');
  };
  await bob.page.getByTestId('file-accept-limit').fill('0');
  const [declined] = await sendFiles(alice.page, ['small.bin']);
  if (!declined) throw new Error('no transfer id');
  await expect(fileLine(bob.page, declined).getByTestId('file-accept')).toBeVisible();
  // Each button names its file: several offers are not a row of the same "Accept". Waiting
  // for him, it is Accept or Decline: Cancel beside them said no twice.
  for (const name of ['Accept small.bin', 'Decline small.bin']) {
    await expect(fileLine(bob.page, declined).getByRole('button', { name, exact: true })).toBeVisible();
  }
  await expect(fileLine(bob.page, declined).getByTestId('file-cancel')).toBeHidden();
  await press(bob.page, declined, 'file-decline');
  await waitForFileState(alice.page, declined, 'declined');
  await waitForFileState(bob.page, declined, 'declined');
  await expect(fileLine(bob.page, declined)).toBeFocused();
  // Nothing will move on its bar: it is gone from both lines (an empty bar stayed).
  for (const page of [alice.page, bob.page])
    await expect(fileLine(page, declined).getByTestId('file-progress')).toBeHidden();

  const [withdrawn] = await sendFiles(alice.page, ['small.bin']);
  if (!withdrawn) throw new Error('no transfer id');
  await expect(fileLine(bob.page, withdrawn).getByTestId('file-accept')).toBeVisible();
  await fileLine(bob.page, withdrawn).getByTestId('file-accept').focus();
  await press(alice.page, withdrawn, 'file-cancel');
  await waitForFileState(bob.page, withdrawn, 'cancelled');
  await expect(fileLine(bob.page, withdrawn).getByTestId('file-accept')).toBeHidden();
  await expect(fileLine(alice.page, withdrawn)).toBeFocused();
  // Bob was on Accept when alice withdrew it: the keyboard stays on its line.
  await expect(fileLine(bob.page, withdrawn)).toBeFocused();

  // Accept goes on to Cancel while the file comes, and to its download once it is here.
  const [taken] = await sendFiles(alice.page, ['small.bin']);
  if (!taken) throw new Error('no transfer id');
  await expect(fileLine(bob.page, taken).getByTestId('file-accept')).toBeVisible();
  // What takes the keyboard is logged as it happens: 64 KiB can come whole before a look at the
  // page, and Cancel is gone by then (CI failed once checking for it afterwards).
  interface Focused {
    getAttribute(name: string): string | null;
  }
  await bob.page.evaluate(() => {
    const log: string[] = [];
    const page = globalThis as unknown as {
      focusLog: string[];
      addEventListener(type: 'focusin', run: (event: { target: Focused }) => void, capture: boolean): void;
    };
    page.focusLog = log;
    page.addEventListener('focusin', ({ target }) => log.push(target.getAttribute('data-testid') ?? '?'), true);
  });
  await press(bob.page, taken, 'file-accept');
  await waitForFileState(bob.page, taken, 'verified');
  await expect(fileLine(bob.page, taken).getByTestId('file-download')).toBeFocused();
  const focusLog = await bob.page.evaluate(() => (globalThis as { focusLog?: string[] }).focusLog ?? []);
  // Accept, then Cancel; when the file came whole Cancel hid, handing the keyboard to the
  // line, and the download took it from there.
  expect(focusLog).toEqual(['file-accept', 'file-cancel', 'message', 'file-download']);

  // Mid-transfer: bob stops confirming, so alice stops at her window with the file half sent.
  await bob.page.getByTestId('file-accept-limit').fill('100');
  await tamperOutgoing(bob.page, { dropAcks: true });
  for (const side of ['receiver', 'sender'] as const) {
    const [id] = await sendFiles(alice.page, ['large.bin']);
    if (!id) throw new Error('no transfer id');
    // Bytes arrived (the bar's value attribute is the bytes received so far).
    await expect(fileLine(bob.page, id).getByTestId('file-progress')).not.toHaveAttribute('value', '0', {
      timeout: 60_000,
    });
    await waitForFileState(alice.page, id, 'transferring');
    const canceller = side === 'receiver' ? bob : alice;
    await press(canceller.page, id, 'file-cancel');
    await waitForFileState(alice.page, id, 'cancelled');
    await waitForFileState(bob.page, id, 'cancelled');
    await expect(fileLine(canceller.page, id)).toBeFocused();
    await expect(fileLine(bob.page, id).getByTestId('file-download')).toHaveCount(0);
    for (const page of [alice.page, bob.page])
      await expect(fileLine(page, id).getByTestId('file-progress')).toBeHidden();
  }
  // A file received keeps its bar, full.
  await expect(fileLine(bob.page, taken).getByTestId('file-progress')).toBeVisible();
});

test('six files at once: every line shows at once, one accepted ahead of its turn starts first, four run at a time and the rest follow by themselves', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  // Past 1 MB a file waits for bob's click: five of the six do.
  await bob.page.getByTestId('file-accept-limit').fill('1');
  const made = [await makeFile(alice.page, { name: 'small.bin', size: 64 * 1024 })];
  for (let i = 1; i <= 5; i++) made.push(await makeFile(alice.page, { name: `big-${i}.bin`, size: 1_500_000 }));
  await watchFileLines(bob.page);
  await watchFileLines(alice.page);
  const ids = await sendFiles(
    alice.page,
    made.map((file) => file.name),
  );
  const [small, big1, big2, big3, big4, big5] = ids;
  if (!small || !big1 || !big2 || !big3 || !big4 || !big5) throw new Error('no transfer ids');
  // All six on bob's page at once, each with its name and size; the five big ones ask him.
  for (const [i, id] of ids.entries()) {
    await expect(fileLine(bob.page, id).getByTestId('message-text')).toHaveText(made[i]?.name ?? '');
    await expect(fileLine(bob.page, id)).toHaveAttribute('data-size', String(made[i]?.size));
  }
  await waitForFileState(bob.page, small, 'verified');
  for (const id of [big1, big2, big3, big4, big5])
    await expect(fileLine(bob.page, id).getByTestId('file-accept')).toBeVisible();
  // In one task, the last one sent first, then the rest: four start, the one clicked last
  // waits its turn and says so.
  const queued = await bob.page.evaluate(
    (order) => {
      const g = globalThis as unknown as {
        document: { querySelector(s: string): { click(): void; textContent: string | null } | null };
      };
      for (const id of order) g.document.querySelector(`[data-file-id="${id}"] [data-testid=file-accept]`)?.click();
      return g.document.querySelector(`[data-file-id="${order.at(-1)}"] .file-status-words`)?.textContent;
    },
    [big5, big1, big2, big3, big4],
  );
  expect(queued).toBe('queued: starts by itself (4 files at a time from alice)');
  // Verified: each checked against the SHA-256 its offer carried.
  for (const id of ids) await waitForFileState(bob.page, id, 'verified');
  for (const id of ids) await waitForFileState(alice.page, id, 'verified');
  const atBob = await fileWatch(bob.page);
  expect(atBob.started).toEqual([small, big5, big1, big2, big3, big4]);
  expect(atBob.most).toBe(4);
  // Alice's line for the one queued said so, between "waiting to accept" and "receiving".
  const steps = ['| bob waiting to accept', '| bob accepted, queued', '| bob receiving'];
  const said = (await fileWatch(alice.page)).said[big4] ?? [];
  expect(said.filter((words) => steps.includes(words))).toEqual(steps);
});

test('the sender’s line says where each of three stands: one received, one deciding, then declined or cancelled', async ({
  server,
  browsers,
}) => {
  const users = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
  const [alice, bob, carol] = users;
  if (!alice || !bob || !carol) throw new Error('openRoom returned fewer users');
  await waitForMesh(users);
  const recipient = (id: string, who: { id: string }) =>
    fileLine(alice.page, id).locator(`[data-testid=file-recipient][data-member="${who.id}"]`);

  // Bob asks before taking anything; carol takes it and verifies it. Its name is long enough
  // to widen its line past 24rem, where the bar used to stop short of the line's edge.
  await bob.page.getByTestId('file-accept-limit').fill('0');
  const small = await makeFile(alice.page, {
    name: 'small-file-whose-name-is-longer-than-its-bar-was.bin',
    size: 3 * 1024 * 1024,
  });
  const [asked] = await sendFiles(alice.page, [small.name]);
  if (!asked) throw new Error('no transfer id');
  await expect(fileLine(bob.page, asked).getByTestId('file-accept')).toBeVisible();
  await waitForFileState(carol.page, asked, 'verified');
  await expect(recipient(asked, carol)).toHaveText('carol ✓ received');
  await expect(recipient(asked, bob)).toHaveText('bob waiting to accept');
  await expect(fileLine(alice.page, asked).getByTestId('file-recipients')).toHaveText(
    'bob waiting to accept · carol ✓ received',
  );
  await expect(fileLine(alice.page, asked).getByTestId('file-status')).not.toContainText('offered');
  // The bar is of the file's own size, full: the one who took it has it all.
  await expect(fileLine(alice.page, asked).getByTestId('file-progress')).toHaveJSProperty('max', small.size);
  await expect(fileLine(alice.page, asked).getByTestId('file-progress')).toHaveJSProperty('value', small.size);
  await expect.poll(() => barMisfit(alice.page, asked), { message: 'sender, one deciding' }).toBe(0);
  await expect.poll(() => barMisfit(bob.page, asked), { message: 'receiver, asked' }).toBe(0);
  await fileLine(bob.page, asked).getByTestId('file-decline').click();
  await expect(recipient(asked, bob)).toHaveText('bob declined');
  await waitForFileState(alice.page, asked, 'verified');
  // Declined: nothing will move on bob's bar, so it is gone; alice's and carol's stay full.
  await expect(fileLine(bob.page, asked).getByTestId('file-progress')).toBeHidden();
  await expect.poll(() => barMisfit(carol.page, asked), { message: 'receiver, verified' }).toBe(0);
  await expect(fileLine(alice.page, asked).getByTestId('file-cancel')).toBeHidden();

  // Bob takes the next one but never confirms what he stores: alice stops at her window, his
  // transfer under way, while carol gets it all. Then bob cancels: alice's line says so at once.
  await bob.page.getByTestId('file-accept-limit').fill('100');
  await tamperOutgoing(bob.page, { dropAcks: true });
  const large = await makeFile(alice.page, { name: 'large.bin', size: 20 * 1024 * 1024 });
  const [cut] = await sendFiles(alice.page, [large.name]);
  if (!cut) throw new Error('no transfer id');
  await waitForFileState(carol.page, cut, 'verified', 120_000);
  await expect(recipient(cut, carol)).toHaveText('carol ✓ received');
  await expect(recipient(cut, bob)).toHaveText('bob receiving');
  await waitForFileState(alice.page, cut, 'transferring');
  // Of the file's own size (21 MB, not 42), toward bob, the one still receiving: what he
  // took off his channel, though he confirmed none of it stored.
  await expect(fileLine(alice.page, cut).getByTestId('file-progress-text')).toHaveText(/^[1-9][\d.]* MB of 21 MB\b/);
  await expect(fileLine(alice.page, cut).getByTestId('file-progress-text')).toHaveAttribute('aria-live', 'off');
  await expect(fileLine(alice.page, cut).getByTestId('file-progress')).toHaveJSProperty('max', large.size);
  await fileLine(bob.page, cut).getByTestId('file-cancel').click();
  await expect(recipient(cut, bob)).toHaveText('bob cancelled');
  await waitForFileState(alice.page, cut, 'verified');
  await expect(fileLine(alice.page, cut).getByTestId('file-recipients')).toHaveText('bob cancelled · carol ✓ received');
  await expect(fileLine(alice.page, cut).getByTestId('file-progress-text')).toHaveText('');
});

test('a received file whose stored copy went from the device says so on its line, at a click and after a reload, instead of a Download the browser cancels', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  const lost = await makeFile(alice.page, { name: 'lost.bin', size: 200 * 1024 });
  const kept = await makeFile(alice.page, { name: 'kept.bin', size: 100 * 1024 });
  const [lostId, keptId] = await sendFiles(alice.page, [lost.name, kept.name]);
  if (!lostId || !keptId) throw new Error('no transfer id');
  for (const id of [lostId, keptId]) await waitForFileState(bob.page, id, 'verified');
  const downloads: string[] = [];
  bob.page.on('download', (started) => downloads.push(started.suggestedFilename()));
  // Something takes the stored copy away (the browser's storage cleared, say): the line still
  // offered its Download, and a click gave a download the browser reported as "canceled".
  expect(await removeStoredFile(bob.page, lostId)).toBe(1);
  const line = fileLine(bob.page, lostId);
  await line.getByTestId('file-download').click();
  const gone = 'received, but the file is no longer on this device';
  await expect(line.getByTestId('file-status')).toHaveText(gone);
  await expect(line).toHaveAttribute('data-stored', 'gone');
  await expect(line.getByTestId('file-download')).toHaveCount(0);
  // The other file, still there, downloads as ever after the same check.
  expect(await download(bob.page, keptId)).toEqual({ name: 'kept.bin', sha256: kept.sha256 });
  expect(downloads).toEqual(['kept.bin']);
  // A reload brings the line back saying so, not a line that vanished as if nothing came.
  await bob.page.reload();
  await selfId(bob.page);
  await waitForFileState(bob.page, keptId, 'verified');
  await expect(fileLine(bob.page, keptId).getByTestId('file-download')).toHaveCount(1);
  await expect(fileLine(bob.page, lostId).getByTestId('file-status')).toHaveText(gone);
  await expect(fileLine(bob.page, lostId)).toHaveAttribute('data-state', 'verified');
  await expect(fileLine(bob.page, lostId).getByTestId('file-download')).toHaveCount(0);
});

test('a corrupted chunk from a hostile member is caught and the file discarded', async ({ server, browsers }) => {
  const [mallory, bob] = await openMeshedPair(browsers, server.url, ['mallory', 'bob']);
  await makeFile(mallory.page, { name: 'tampered.bin', size: 2 * 1024 * 1024 });
  await tamperOutgoing(mallory.page, { corruptChunk: 5 });
  const [id] = await sendFiles(mallory.page, ['tampered.bin']);
  if (!id) throw new Error('no transfer id');
  await waitForFileState(bob.page, id, 'corrupt');
  await expect(fileLine(bob.page, id).getByTestId('file-status')).toHaveText(/corrupted, discarded/);
  await expect(fileLine(bob.page, id).getByTestId('file-download')).toHaveCount(0);
  await waitForFileState(mallory.page, id, 'corrupt');

  // A declared size smaller, then larger, than what is sent: caught and discarded.
  await makeFile(mallory.page, { name: 'liar.bin', size: 256 * 1024 });
  for (const lie of [-1000, 1000]) {
    await tamperOutgoing(mallory.page, { lieAboutSize: lie });
    const [liar] = await sendFiles(mallory.page, ['liar.bin']);
    if (!liar) throw new Error('no transfer id');
    await waitForFileState(bob.page, liar, 'corrupt');
    await expect(fileLine(bob.page, liar).getByTestId('file-status')).toHaveText(/different size than it declared/);
    await expect(fileLine(bob.page, liar).getByTestId('file-download')).toHaveCount(0);
    await waitForFileState(mallory.page, liar, 'cancelled');
  }

  // A flood of offers: 64 wait at once (this one and 63 copies), the rest are refused. Each
  // waits for bob's click: taken without one, the copies (which mallory's page does not have)
  // would run through bob's four turns as fast as mallory cancels them.
  const fileLines = bob.page.locator('[data-testid=message][data-kind=file]');
  const linesBefore = await fileLines.count();
  await makeFile(mallory.page, { name: 'flood.bin', size: 64 * 1024 });
  await bob.page.getByTestId('file-accept-limit').fill('0');
  await tamperOutgoing(mallory.page, { extraOffers: 70 });
  const [flood] = await sendFiles(mallory.page, ['flood.bin']);
  if (!flood) throw new Error('no transfer id');
  await expect(
    bob.page.locator('[data-testid=message][data-kind=system]', { hasText: 'more than 64 files at once' }),
  ).toHaveCount(1);
  // Everything mallory sent before this line has been handled (one ordered channel).
  await sendMessage(mallory.page, 'after the flood');
  await waitForMessages(bob.page, [{ from: mallory.id, text: 'after the flood' }]);
  await expect(fileLines).toHaveCount(linesBefore + 64);
  await fileLine(bob.page, flood).getByTestId('file-accept').click();
  await waitForFileState(bob.page, flood, 'verified');

  // Nothing else is affected: chat goes on, and a file picked with file-input goes through.
  await sendMessage(bob.page, 'still here');
  await waitForMessages(mallory.page, [{ from: bob.id, text: 'still here' }]);
  await bob.page.getByTestId('file-input').setInputFiles([
    { name: 'picked-1.txt', mimeType: 'text/plain', buffer: Buffer.from('first picked file') },
    { name: 'picked-2.txt', mimeType: 'text/plain', buffer: Buffer.from('second picked file') },
  ]);
  const picked = mallory.page.locator('[data-testid=message][data-kind=file][data-state=verified]', {
    hasText: /picked-[12]\.txt/,
  });
  await expect(picked).toHaveCount(2, { timeout: 30_000 });
  // Pasting an image into the message box and dropping a file on the chat send them too.
  await makePng(bob.page, 'pasted.png');
  await makeFile(bob.page, { name: 'dropped.txt', type: 'text/plain', text: 'dropped on the chat' });
  await pasteOrDrop(bob.page, 'paste', 'pasted.png');
  // Held over the chat, the file is told what letting go does, and to whom.
  await pasteOrDrop(bob.page, 'drag', 'dropped.txt');
  const dropHint = bob.page.getByTestId('drop-hint');
  await expect(dropHint).toBeVisible();
  await expect(dropHint).toHaveText('Drop to send to everyone');
  await pasteOrDrop(bob.page, 'drop', 'dropped.txt');
  await expect(dropHint).toBeHidden();
  const arrived = mallory.page.locator('[data-testid=message][data-kind=file][data-state=verified]', {
    hasText: /pasted\.png|dropped\.txt/,
  });
  await expect(arrived).toHaveCount(2, { timeout: 30_000 });
  await expect(arrived.getByTestId('file-preview')).toHaveCount(1);
});

test('a hostile file name and an SVG are inert; only a raster image is previewed', async ({ server, browsers }) => {
  const [mallory, bob] = await openMeshedPair(browsers, server.url, ['mallory', 'bob']);
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"><script>window.__pwned=1</script></svg>';
  await makeFile(mallory.page, { name: 'pic.svg', type: 'image/svg+xml', text: svg });
  await makeFile(mallory.page, { name: 'page.html', type: 'text/html', text: '<script>window.__pwned=1</script>' });
  await makePng(mallory.page, 'red.png');
  const [svgId, htmlId, pngId] = await sendFiles(mallory.page, ['pic.svg', 'page.html', 'red.png']);
  if (!svgId || !htmlId || !pngId) throw new Error('no transfer ids');
  // Then a name with markup, a path, control and bidi characters and 10,000 characters.
  const hostileName = `<img src=x onerror="window.__pwned=1">/../../etc\u0000\u202E${'A'.repeat(10_000)}.html`;
  await makeFile(mallory.page, { name: 'named.bin', text: 'x' });
  await tamperOutgoing(mallory.page, { renameOffer: hostileName });
  const [namedId] = await sendFiles(mallory.page, ['named.bin']);
  if (!namedId) throw new Error('no transfer id');

  for (const id of [svgId, htmlId, pngId, namedId]) await waitForFileState(bob.page, id, 'verified');
  await expect(fileLine(bob.page, pngId).getByTestId('file-preview')).toHaveCount(1);
  // The sender sees it too; and, as Bob, only the image.
  await expect(fileLine(mallory.page, pngId).getByTestId('file-preview')).toHaveCount(1);
  for (const id of [svgId, htmlId]) await expect(fileLine(mallory.page, id).getByTestId('file-preview')).toHaveCount(0);
  // A picture for screen readers too, named by the file.
  await expect(fileLine(bob.page, pngId).getByRole('img', { name: 'Preview of red.png' })).toHaveCount(1);
  for (const id of [svgId, htmlId, namedId]) {
    await expect(fileLine(bob.page, id).getByTestId('file-preview')).toHaveCount(0);
    await expect(fileLine(bob.page, id).getByTestId('file-download')).toHaveCount(1);
  }
  const messages = bob.page.locator('#messages');
  await expect(messages.locator('img, svg, iframe, object, embed, script')).toHaveCount(0);
  const shownName = (await fileLine(bob.page, namedId).getByTestId('message-text').textContent()) ?? '';
  for (const unsafe of ['/', '\\', '\u0000', '\u202E']) expect(shownName).not.toContain(unsafe);
  expect([...shownName].length).toBeLessThanOrEqual(200);
  expect(shownName.endsWith('.html')).toBe(true);
  await expect(fileLine(bob.page, namedId).getByTestId('file-download')).toHaveAttribute('download', shownName);
  // A hostile name picked by its sender (Bob, whose offers go as made): his own line shows it as
  // Mallory's does, made safe (it showed the bidi override, so "invoice‮gpj.exe" read
  // "invoiceexe.jpg" there), its run of spaces one space, as her download is named.
  const picked = `report.pdf${' '.repeat(80)}invoice\u202Egpj.exe`;
  await makeFile(bob.page, { name: picked, text: 'y' });
  const [pickedId] = await sendFiles(bob.page, [picked]);
  if (!pickedId) throw new Error('no transfer id');
  await waitForFileState(mallory.page, pickedId, 'verified');
  for (const page of [bob.page, mallory.page]) {
    await expect(fileLine(page, pickedId).getByTestId('message-text')).toHaveText('report.pdf invoice_gpj.exe');
    await expect(fileLine(page, pickedId).locator('.file-meta')).toContainText('name made safe');
  }
  await expect(fileLine(mallory.page, pickedId).getByTestId('file-download')).toHaveAttribute(
    'download',
    'report.pdf invoice_gpj.exe',
  );
  expect(await bob.page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
  const saved = await download(bob.page, svgId);
  expect(saved.name).toBe('pic.svg');
});

/** A grey PNG of width × height pixels, all black: a few kilobytes that decode to width × height × 4 bytes. */
function blackPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const framed = Buffer.alloc(body.length + 8);
    framed.writeUInt32BE(data.length, 0);
    body.copy(framed, 4);
    framed.writeUInt32BE(crc32(body), body.length + 4);
    return framed;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // 8-bit greyscale, no interlace
  const rows = Buffer.alloc((width + 1) * height); // filter byte 0, then black pixels, each row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('an image declaring more pixels than a preview may decode is offered as a download, not decoded', async ({
  server,
  browsers,
}) => {
  const [mallory, bob] = await openMeshedPair(browsers, server.url, ['mallory', 'bob']);
  // 8,000 × 8,000: 64 megapixels, 256 MB decoded, over the cap (files/preview.ts); 64 KB sent.
  const bomb = blackPng(8_000, 8_000);
  await mallory.page.evaluate((base64) => {
    const g = globalThis as unknown as {
      atob(text: string): string;
      File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
      __testFiles?: Record<string, unknown>;
    };
    const binary = g.atob(base64);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    g.__testFiles = { ...(g.__testFiles ?? {}), 'bomb.png': new g.File([bytes], 'bomb.png', { type: 'image/png' }) };
  }, bomb.toString('base64'));
  await makePng(mallory.page, 'small.png');
  const [bombId] = await sendFiles(mallory.page, ['bomb.png']);
  if (!bombId) throw new Error('no transfer id');
  await waitForFileState(bob.page, bombId, 'verified');
  const [smallId] = await sendFiles(mallory.page, ['small.png']);
  if (!smallId) throw new Error('no transfer id');
  await waitForFileState(bob.page, smallId, 'verified');
  // Previews are drawn one at a time, in order: the small one's shows the bomb's turn is over.
  await expect(fileLine(bob.page, smallId).getByTestId('file-preview')).toHaveCount(1);
  await expect(fileLine(bob.page, bombId).getByTestId('file-preview')).toHaveCount(0);
  await expect(fileLine(bob.page, bombId).getByTestId('file-download')).toHaveCount(1);
});
