// What a chat says besides the lines themselves (issue 11): who is typing, how far each of
// your lines got (delivered, read), emoji reactions, clickable links, and the unread count
// and notifications while the tab is hidden.

import { randomBytes } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import type { BrowserPool } from './support/browser.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { sendMany } from './support/history.ts';
import { hostileMemberScript, sendSignedDeletion, sendSignedLine } from './support/hostile-member.ts';
import { keepTyping } from './support/typing.ts';
import {
  openUser,
  sendMessage,
  shareLink,
  type User,
  waitForMesh,
  waitForMessage,
  waitForPeers,
} from './support/users.ts';
import { controlVisibility, setHidden } from './support/visibility.ts';

// The full browser: notifications are the browser's own (the headless shell's permission
// checkbox never turned on).
test.use({ fullBrowser: true });

interface TabsOptions {
  /** Users with a browser of their own, to freeze (BrowserPool.freeze). */
  readonly freezable?: readonly string[];
  /** An init script (plain JavaScript) per user, run before the page's own. */
  readonly scripts?: Readonly<Record<string, string>>;
}

/** Like openRoom, with every user's tab under the test's control (see visibility.ts). */
async function openRoomWithTabs(
  browsers: BrowserPool,
  serverUrl: string,
  names: readonly string[],
  options: TabsOptions = {},
): Promise<User[]> {
  const contextFor = async (name: string) => {
    const context = await browsers.newContext({ label: name, freezable: options.freezable?.includes(name) ?? false });
    await controlVisibility(context);
    const script = options.scripts?.[name];
    if (script !== undefined) await context.addInitScript(script);
    return context;
  };
  const [first, ...rest] = names;
  if (first === undefined) throw new Error('no names');
  const creator = await openUser(await contextFor(first), `${serverUrl}/`, first);
  const link = await shareLink(creator.page);
  const others = await Promise.all(rest.map(async (name) => openUser(await contextFor(name), link, name)));
  const users = [creator, ...others];
  await waitForMesh(users);
  return users;
}

const tag = () => randomBytes(4).toString('hex');

/** The line `text` from `from` on `page`. */
function lineOf(page: Page, from: string, text: string): Locator {
  return page.locator(`[data-testid=message][data-from="${from}"]`).filter({ hasText: text });
}

/**
 * In the page before its script: stamps (performance.now) every typing and edit message that
 * arrives on a chat channel, and every change of the typing indicator, in one log.
 */
const typingLogScript = `(() => {
  const log = [];
  window.__typingLog = log;
  const original = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (label, init) {
    const channel = original.call(this, label, init);
    // Added before the page's own listener: a message is logged before the page acts on it.
    channel.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      if (event.data.startsWith('{"t":"chat:edit"')) log.push({ at: performance.now(), kind: 'edit' });
      if (!event.data.startsWith('{"t":"typing"')) return;
      log.push({ at: performance.now(), kind: JSON.parse(event.data).active ? 'start' : 'stop' });
    });
    return channel;
  };
  document.addEventListener('DOMContentLoaded', () => {
    const typing = document.querySelector('[data-testid=typing]');
    new MutationObserver(() => log.push({ at: performance.now(), kind: 'shown', text: typing.textContent })).observe(
      typing, { childList: true, characterData: true, subtree: true });
  });
})()`;

interface TypingLogEntry {
  at: number;
  kind: 'start' | 'stop' | 'shown' | 'edit';
  text?: string;
}

test('typing shows on the other pages, names two typists, then "several", and clears when sent or by each typist’s stop 5 s after its last key', async ({
  server,
  browsers,
}) => {
  // Four browsers and several phases: a mesh alone can take a minute on a busy CI.
  test.slow();
  const [alice, bob, carol, dave] = await openRoomWithTabs(browsers, server.url, ['alice', 'bob', 'carol', 'dave'], {
    scripts: { alice: typingLogScript },
  });
  if (!alice || !bob || !carol || !dave) throw new Error('fewer users');
  const typingOnAlice = alice.page.getByTestId('typing');
  await expect(typingOnAlice).toHaveText('');

  // Each typist goes on typing (keys from inside its page, support/typing.ts) until the
  // indicator has shown all three: each one's stop goes 5 s after its last key, and a
  // pause that long between the test's steps on a loaded machine showed a typist fewer (and,
  // one typing again after it, one stop more).
  await bob.page.getByTestId('message-input').pressSequentially('half a thou');
  const bobTyping = await keepTyping(bob.page);
  await expect(typingOnAlice).toHaveText('bob is typing…');
  await expect(carol.page.getByTestId('typing')).toHaveText('bob is typing…');
  await expect(bob.page.getByTestId('typing'), 'nobody is told about their own typing').toHaveText('');

  await carol.page.getByTestId('message-input').pressSequentially('me too');
  const carolTyping = await keepTyping(carol.page);
  await expect(typingOnAlice).toHaveText(/^(bob and carol|carol and bob) are typing…$/);

  // A third typist, while the first two go on typing.
  await Promise.all([
    dave.page.getByTestId('message-input').pressSequentially('and me'),
    bob.page.getByTestId('message-input').press('g'),
    carol.page.getByTestId('message-input').press('!'),
  ]);
  const daveTyping = await keepTyping(dave.page);
  await expect(typingOnAlice).toHaveText('Several people are typing…');
  await Promise.all([bobTyping, carolTyping, daveTyping].map((typist) => typist.stop()));

  // Nobody sends: 5 s after their last key each sends a stop, and the indicator clears on
  // the stops — not on the 8 s expiry meant for stops that are lost.
  await expect(typingOnAlice).toHaveText('', { timeout: 20_000 });
  const log = await alice.page.evaluate(() => (globalThis as unknown as { __typingLog: TypingLogEntry[] }).__typingLog);
  const clearedAt = log.findLast((entry) => entry.kind === 'shown' && entry.text === '')?.at ?? Number.NaN;
  const stops = log.filter((entry) => entry.kind === 'stop' && entry.at <= clearedAt);
  expect(stops.length, 'a stop from each of the three typists before the indicator cleared').toBe(3);
  await expect(alice.page.locator('[data-testid=message][data-kind=chat]')).toHaveCount(0);

  // Typing again, then sending: cleared at once, the line arrives. Looked at the moment the
  // line is seen, not waited for: Bob's stop 5 s after his last key would clear it anyway,
  // well within a wait. (The page clears it in the task that shows the line, if its stop,
  // sent right behind the line, did not already: show-line.ts, message-box.ts.)
  await bob.page.getByTestId('message-input').pressSequentially('ht, done');
  await expect(typingOnAlice).toHaveText('bob is typing…');
  await bob.page.getByTestId('message-input').press('Enter');
  await waitForMessage(alice.page, { from: bob.id, text: 'half a thought, done' });
  expect(await typingOnAlice.textContent(), 'cleared when the line came').toBe('');

  // Editing it (↑ in the empty box), then saving: the stop comes with the edit, ahead of it,
  // not 5 s after the last key (it came then, "is typing…" showing all along).
  const input = bob.page.getByTestId('message-input');
  await input.press('ArrowUp');
  await expect(bob.page.getByTestId('edit-bar')).toBeVisible();
  await input.press('End');
  // At a person's pace: a start goes at most once a second, and the last went with "ht, done".
  await input.pressSequentially(', really', { delay: 200 });
  await expect(typingOnAlice).toHaveText('bob is typing…');
  await input.press('Enter');
  await expect(lineOf(alice.page, bob.id, 'half a thought, done, really').getByTestId('edited')).toBeVisible();
  await expect(typingOnAlice).toHaveText('');
  const after = await alice.page.evaluate(
    () => (globalThis as unknown as { __typingLog: TypingLogEntry[] }).__typingLog,
  );
  const editAt = after.find((entry) => entry.kind === 'edit')?.at ?? Number.NaN;
  const lastStart = after.findLast((entry) => entry.kind === 'start' && entry.at < editAt)?.at ?? Number.NaN;
  expect(
    after.some((entry) => entry.kind === 'stop' && entry.at > lastStart && entry.at <= editAt),
    'a stop between the last start and the edit',
  ).toBe(true);
});

test('receipts count up to "delivered to all", then "read by k" as tabs show the line, and only lines on screen; "delivered to 1 of 2" while a member is frozen; reactions round-trip', async ({
  server,
  browsers,
}) => {
  // Three browsers and several phases: a mesh of three alone can take a minute on a busy CI.
  test.slow();
  const [alice, bob, carol] = await openRoomWithTabs(browsers, server.url, ['alice', 'bob', 'carol'], {
    freezable: ['carol'],
  });
  if (!alice || !bob || !carol) throw new Error('fewer users');
  await setHidden(bob.page, true);
  await setHidden(carol.page, true);

  const text = `did you get this? ${tag()}`;
  await sendMessage(alice.page, text);
  const mine = lineOf(alice.page, alice.id, text);
  await expect(mine).toHaveAttribute('data-receipt', /^(sent|delivered-some|delivered-all)$/);
  // Every state its receipt takes from here on, recorded in Alice's page as it is drawn: a
  // read from a hidden tab comes 150 ms or more after the line there (its batch), and a look
  // right after the line came found "delivered" whether one was on its way or not.
  await mine.evaluate((line: ReceiptLine) => {
    const scope = globalThis as unknown as ReceiptScope;
    const read = () => {
      const note = line.querySelector('[data-testid=receipt]');
      return `${line.dataset['receipt']}|${note?.textContent ?? ''}|${note?.title ?? ''}`;
    };
    scope.__receipts = [read()];
    new scope.MutationObserver(() => {
      if (scope.__receipts.at(-1) !== read()) scope.__receipts.push(read());
    }).observe(line, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const receiptLog = () => alice.page.evaluate(() => (globalThis as unknown as ReceiptScope).__receipts);
  await expect(mine).toHaveAttribute('data-receipt', 'delivered-all');
  await expect(mine.getByTestId('receipt')).toHaveText('delivered to all');
  await waitForMessage(bob.page, { from: alice.id, text });
  await waitForMessage(carol.page, { from: alice.id, text });

  // Hidden tabs had the line on screen but nobody looked: read only once a tab shows.
  await expect(mine).toHaveAttribute('data-receipt', 'delivered-all');
  await alice.page.evaluate(() => (globalThis as unknown as ReceiptScope).__receipts.push('bob shows his tab'));
  await setHidden(bob.page, false);
  await expect(mine).toHaveAttribute('data-receipt', 'read');
  await expect(mine.getByTestId('receipt')).toHaveText('read by 1');
  // Back in his tab, Bob finds where he left off: "New messages" above the line, in view.
  const firstNew = lineOf(bob.page, alice.id, text).getByTestId('unread-divider');
  await expect(firstNew).toHaveText('New messages');
  await expect(firstNew).toBeInViewport();
  // Who read it, on the note's detail (its title), and how far it got to the others.
  await expect(mine.getByTestId('receipt')).toHaveAttribute('title', 'Read by bob');
  // Nothing read before Bob's tab showed; nothing by Carol, hidden all along, to this moment.
  const hiddenMeanwhile = await receiptLog();
  const bobShows = hiddenMeanwhile.indexOf('bob shows his tab');
  expect(
    hiddenMeanwhile.slice(0, bobShows).filter((state) => state.startsWith('read|')),
    `read while both tabs were hidden: ${hiddenMeanwhile.join(' / ')}`,
  ).toEqual([]);
  expect(
    hiddenMeanwhile.filter((state) => /Read by .*carol/.test(state)),
    `read by Carol while her tab was hidden: ${hiddenMeanwhile.join(' / ')}`,
  ).toEqual([]);
  await setHidden(carol.page, false);
  await expect(mine.getByTestId('receipt')).toHaveText('read by 2');
  await expect(mine.getByTestId('receipt')).toHaveAttribute('title', 'Read by bob, carol');
  // The note, now a button, is a target of its own under Delete: 24px high and apart from it
  // (WCAG 2.5.8; axe leaves the rule out by default, and e2e/a11y.spec.ts scans no such line in view).
  const targets = await new AxeBuilder({ page: alice.page }).setLegacyMode(true).withRules(['target-size']).analyze();
  expect(targets.violations.flatMap((v) => v.nodes.map((node) => node.target.join(' ')))).toEqual([]);
  // The keyboard learns it too: the note is a button that shows the detail under the line,
  // and hides it again (a title shows only to a pointer).
  const receiptButton = mine.getByRole('button', { name: '✓ read by 2' });
  await receiptButton.focus();
  await alice.page.keyboard.press('Enter');
  await expect(receiptButton).toHaveAttribute('aria-expanded', 'true');
  await expect(mine.getByTestId('receipt-detail')).toHaveText('Read by bob, carol');
  await expect(mine.getByTestId('receipt-detail')).toBeVisible();
  await alice.page.keyboard.press('Enter');
  await expect(mine.getByTestId('receipt-detail')).toHaveCount(0);
  await expect(receiptButton).toBeFocused();
  // Lines of others carry no receipt.
  await expect(lineOf(bob.page, alice.id, text).getByTestId('receipt')).toHaveCount(0);

  // Bob reacts from the picker; everyone sees it, with who reacted.
  const onBob = lineOf(bob.page, alice.id, text);
  await onBob.getByTestId('react-button').click();
  await onBob.getByTestId('reaction-picker').getByRole('button', { name: 'React with thumbs up' }).click();
  const thumbsOn = (user: User) => lineOf(user.page, alice.id, text).locator('[data-testid=reaction][data-emoji="👍"]');
  for (const user of [alice, carol]) {
    await expect(thumbsOn(user)).toHaveAttribute('data-count', '1');
    await expect(thumbsOn(user)).toHaveAttribute('title', 'bob');
  }
  await expect(thumbsOn(bob)).toHaveAttribute('aria-pressed', 'true');

  // Alice adds hers from the keyboard (Enter on the chip); Bob takes his back the same way.
  // Each change draws the chips anew: the keyboard stays on the chip, on both pages, rather
  // than falling to <body> (Alice's moves while Bob's click changes her chip's count).
  await thumbsOn(alice).focus();
  await alice.page.keyboard.press('Enter');
  await expect(thumbsOn(carol)).toHaveAttribute('data-count', '2');
  await expect(thumbsOn(carol)).toHaveAttribute('title', 'bob, alice');
  await expect(thumbsOn(alice)).toBeFocused();
  await thumbsOn(bob).focus();
  await bob.page.keyboard.press('Enter');
  await expect(thumbsOn(carol)).toHaveAttribute('title', 'alice');
  await expect(thumbsOn(alice)).toHaveAttribute('data-count', '1');
  await expect(thumbsOn(alice)).toHaveAttribute('aria-pressed', 'true');
  await expect(thumbsOn(bob)).toHaveAttribute('aria-pressed', 'false');
  await expect(thumbsOn(bob)).toBeFocused();
  await expect(thumbsOn(alice)).toBeFocused();
  // A chip that goes with the reaction taken back hands the keyboard to ☺ beside it.
  const heartOnBob = onBob.locator('[data-testid=reaction][data-emoji="❤️"]');
  await onBob.getByTestId('react-button').focus();
  await bob.page.keyboard.press('Enter');
  await bob.page.keyboard.press('ArrowRight'); // the picker is a toolbar: arrows go from emoji to emoji
  await bob.page.keyboard.press('Enter');
  await expect(heartOnBob).toHaveAttribute('aria-pressed', 'true');
  await expect(onBob.getByTestId('react-button')).toBeFocused();
  await heartOnBob.focus();
  await bob.page.keyboard.press('Enter');
  await expect(heartOnBob).toHaveCount(0);
  await expect(onBob.getByTestId('react-button')).toBeFocused();
  // Tab past the picker's last emoji closes it, as leaving a menu does.
  await bob.page.keyboard.press('Enter');
  await expect(onBob.getByTestId('reaction-picker')).toBeVisible();
  await onBob.getByTestId('reaction-option').last().focus();
  await bob.page.keyboard.press('Tab');
  await expect(onBob.getByTestId('reaction-picker')).toHaveCount(0);

  // Who reacted, where no title shows: a right click, and a touch held on the chip (timed by
  // the page: iOS fires no contextmenu). The click that ends the press toggles nothing.
  const onCarol = lineOf(carol.page, alice.id, text);
  await thumbsOn(carol).click({ button: 'right' });
  await expect(onCarol.getByTestId('reaction-who')).toHaveText('alice');
  await onCarol.getByTestId('reaction-who').evaluate((node) => node.remove());
  await thumbsOn(carol).dispatchEvent('pointerdown', { pointerType: 'touch', isPrimary: true });
  await expect(onCarol.getByTestId('reaction-who')).toHaveText('alice');
  await thumbsOn(carol).dispatchEvent('pointerup', { pointerType: 'touch', isPrimary: true });
  await thumbsOn(carol).dispatchEvent('click');
  // Had that click toggled carol's reaction on, this one would take it back off.
  await thumbsOn(carol).click();
  await expect(thumbsOn(alice)).toHaveAttribute('data-count', '2');
  await expect(thumbsOn(carol)).toHaveAttribute('aria-pressed', 'true');

  // Read means seen: on Bob's visible tab, lines below the part of the chat he looks at stay
  // unread until he scrolls to them. (Carol's tab is hidden meanwhile: she reads nothing.)
  await setHidden(carol.page, true);
  await bob.page.setViewportSize({ width: 800, height: 500 });
  const fillers = Array.from({ length: 15 }, (_, i) => `filler ${i} ${tag()}`);
  await sendMany(alice.page, fillers);
  await waitForMessage(bob.page, { from: alice.id, text: fillers.at(-1) ?? '' });
  await scrollToTop(bob.page);
  const below = [`below the fold, first ${tag()}`, `below the fold, second ${tag()}`] as const;
  await sendMany(alice.page, below);
  for (const line of below) await waitForMessage(bob.page, { from: alice.id, text: line });
  for (const line of below) await expect(lineOf(bob.page, alice.id, line)).not.toBeInViewport();
  for (const line of below)
    await expect(lineOf(alice.page, alice.id, line)).toHaveAttribute('data-receipt', 'delivered-all');
  // The first comes into view (the second stays just under it): it alone is read. Bob's
  // receipts travel in order, so had the second been read on arrival, it would be by now.
  await lineOf(bob.page, alice.id, below[0]).evaluate((line) =>
    (line as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'end' }),
  );
  await expect(lineOf(bob.page, alice.id, below[1])).not.toBeInViewport();
  await expect(lineOf(alice.page, alice.id, below[0])).toHaveAttribute('data-receipt', 'read');
  await expect(lineOf(alice.page, alice.id, below[1])).toHaveAttribute('data-receipt', 'delivered-all');
  await lineOf(bob.page, alice.id, below[1]).scrollIntoViewIfNeeded();
  await expect(lineOf(alice.page, alice.id, below[1])).toHaveAttribute('data-receipt', 'read');

  // Carol's browser freezes (a closed lid): a line reaches Bob only, "delivered to 1 of 2";
  // once she is back it reaches her too. (Bob's tab is hidden: nobody reads it.)
  await setHidden(bob.page, true);
  browsers.freeze(carol);
  const whileFrozen = `while carol is away ${tag()}`;
  await sendMessage(alice.page, whileFrozen);
  const frozenLine = lineOf(alice.page, alice.id, whileFrozen);
  await expect(frozenLine).toHaveAttribute('data-receipt', 'delivered-some');
  await expect(frozenLine.getByTestId('receipt')).toHaveText('delivered to 1 of 2');
  browsers.thaw(carol);
  await expect(frozenLine).toHaveAttribute('data-receipt', 'delivered-all');

  // Carol leaves, then Alice reloads: her line comes back with history, its receipt with it,
  // and who read it is still named (it said "someone who left" for Carol).
  await carol.page.close();
  await waitForPeers(alice.page, [bob.id]);
  await alice.page.reload();
  await expect(lineOf(alice.page, alice.id, text).getByTestId('receipt')).toHaveAttribute(
    'title',
    'Read by bob, carol',
  );
});

/** One of our own lines, as recorded in the page (the e2e tsconfig has no DOM types). */
interface ReceiptLine {
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): { textContent: string | null; title: string } | null;
}

interface ReceiptScope {
  __receipts: string[];
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
}

/** Scrolls the chat to its oldest line, once any pending follow-the-newest scroll has run. */
async function scrollToTop(page: Page): Promise<void> {
  await page.evaluate(async () => {
    interface Scroller {
      scrollTop: number;
      scrollHeight: number;
      clientHeight: number;
      addEventListener(type: string, listener: () => void, options: object): void;
    }
    const scope = globalThis as unknown as {
      document: { getElementById(id: string): Scroller };
      requestAnimationFrame(callback: () => void): void;
    };
    const messages = scope.document.getElementById('messages');
    // The chat scrolls to the newest line in the frame that lays it out: let that frame pass
    // (a callback for this frame runs before its layout, one for the next frame after it).
    for (let frame = 0; frame < 2; frame++) await new Promise<void>((resolve) => scope.requestAnimationFrame(resolve));
    if (messages.scrollHeight <= messages.clientHeight) throw new Error('the chat does not scroll');
    // The page decides whether to follow new lines in its scroll listener: wait for it.
    const scrolled = new Promise<void>((resolve) => messages.addEventListener('scroll', resolve, { once: true }));
    messages.scrollTop = 0;
    await scrolled;
  });
}

test('while the tab is hidden the title counts unread lines; notifications are opt-in, only while hidden, and show text only if allowed; a URL is a real link that opens apart from the page, markup around it stays text', async ({
  server,
  browsers,
}) => {
  // Alice's page can also put lines on its channel as no page of ours sends them (below).
  const [alice, bob] = await openRoomWithTabs(browsers, server.url, ['alice', 'bob'], {
    scripts: { alice: hostileMemberScript },
  });
  if (!alice || !bob) throw new Error('fewer users');
  await bob.context.grantPermissions(['notifications'], { origin: server.url });
  const notified = () =>
    bob.page.evaluate(() =>
      (
        globalThis as unknown as {
          roomlink: { notified(): { count: number; last: { title: string; body: string } | null } };
        }
      ).roomlink.notified(),
    );
  const title = await bob.page.title();

  // Visible: nothing counts.
  const seen = `while you look ${tag()}`;
  await sendMessage(alice.page, seen);
  await waitForMessage(bob.page, { from: alice.id, text: seen });
  expect(await bob.page.title()).toBe(title);

  // Hidden, notifications off: only the title counts.
  await setHidden(bob.page, true);
  const quiet = [`one ${tag()}`, `two ${tag()}`];
  for (const line of quiet) await sendMessage(alice.page, line);
  await expect(bob.page).toHaveTitle(`(2) ${title}`);
  expect((await notified()).count).toBe(0);

  // Opted in: a notification names the sender, but not the text.
  await bob.page.getByTestId('notify-toggle').check();
  await expect(bob.page.getByTestId('notify-text')).toBeEnabled();
  const secret = `secret words ${tag()}`;
  await sendMessage(alice.page, secret);
  await expect(bob.page).toHaveTitle(`(3) ${title}`);
  await expect.poll(async () => (await notified()).count).toBe(1);
  const plain = (await notified()).last;
  expect(plain?.title).toContain('alice');
  expect(plain?.body).toBe('3 new messages in the room');

  // Text allowed too: now it carries the line.
  await bob.page.getByTestId('notify-text').check();
  const shared = `fine to show ${tag()}`;
  await sendMessage(alice.page, shared);
  await expect.poll(async () => (await notified()).last?.body).toBe(shared);
  // A line whose deletion came first (another path can bring them so; here Alice's page sends
  // them so, on her only channel, to Bob): shown deleted, not counted, its words not shown.
  const ts = Date.now();
  await sendSignedDeletion(alice.page, 0, { id: 'deletedfirst', ts, at: ts + 1 });
  await sendSignedLine(alice.page, 0, { id: 'deletedfirst', ts, text: 'words deleted before they came' });
  await expect(bob.page.locator('[data-testid=message][data-id=deletedfirst]')).toHaveAttribute('data-deleted', 'true');
  // A line after it is counted: had the deleted one been, the title would say 6.
  await sendMessage(alice.page, `after the deleted one ${tag()}`);
  await expect.poll(async () => (await notified()).count).toBe(3);
  await expect(bob.page).toHaveTitle(`(5) ${title}`);
  expect((await notified()).last?.body).not.toContain('deleted before');

  // Back to the tab: the count goes.
  await setHidden(bob.page, false);
  await expect(bob.page).toHaveTitle(title);

  // Still opted in, text allowed, but looking: a line that arrives now notifies nobody.
  const before = (await notified()).count;
  const looking = `while you look again ${tag()}`;
  await sendMessage(alice.page, looking);
  await waitForMessage(bob.page, { from: alice.id, text: looking });
  expect((await notified()).count, 'notifications while the tab is visible').toBe(before);
  expect(await bob.page.title()).toBe(title);
  // A URL in a line (same room: opening one is most of a test's time).
  const url = `${server.url}/styles.css?from=${tag()}`;
  const text = `look: ${url}. <b>bold?</b> <img src=x onerror="window.__pwned=1"> javascript:alert(1)`;
  await sendMessage(alice.page, text);
  await waitForMessage(bob.page, { from: alice.id, text });

  const shown = lineOf(bob.page, alice.id, url).getByTestId('message-text');
  const link = shown.locator('a');
  await expect(link).toHaveCount(1);
  await expect(link).toHaveText(url);
  await expect(link).toHaveAttribute('href', url);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(shown.locator('b, img, script')).toHaveCount(0);

  const [opened] = await Promise.all([bob.context.waitForEvent('page'), link.click()]);
  await opened.waitForLoadState('domcontentloaded');
  expect(opened.url()).toBe(url);
  expect(await opened.evaluate(() => (globalThis as unknown as { opener: unknown }).opener)).toBeNull();
  expect(await bob.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned ?? null)).toBeNull();
});
