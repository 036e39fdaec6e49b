// A dead spot: one member's network drops every packet for 20 s (a train in a tunnel; the
// interface stays up, so the browser is told nothing) while both members write. Afterwards
// each has every line, in the order its author wrote them, none twice; the member cut off
// was told it seemed offline while it was (the other member still listed, out of its reach,
// never "not responding"; what it wrote meanwhile waiting to send, not failed), and is not
// told so any more. Cut off past the server's grace, when the other page let it go and wrote
// on without it, the member back asks again for what it missed, and gets it. Its peer link
// alone silent for over a minute (the server still reached), nobody is muted for the
// backlog when the link comes back, and nobody seems offline.

import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { AttachedNetns } from './support/attached-netns.ts';
import type { BrowserPool } from './support/browser.ts';
import { expect, type RoomlinkFixtures, test } from './support/fixtures.ts';
import { chatLine } from './support/history.ts';
import type { RoomServer } from './support/server.ts';
import {
  chatMessages,
  chatTexts,
  openRoom,
  sendMessage,
  type User,
  waitForMesh,
  waitForPeers,
} from './support/users.ts';

/** The dead spot, and the lines each side writes through it (one every CUT_MS / LINES). */
const CUT_MS = 20_000;
const LINES = 8;
/** Behaviour budget for everything to arrive once the network is back (speed is the bench's). */
const recoveryMs = 90_000;

// Two of these tests spend over a minute and a half each waiting out a scenario (a server's
// grace, a minute of silence) with the machine idle: tagged @waits, they run on workers of
// their own beside the rest of the suite (playwright.config.ts), each on its own.
test.describe.configure({ mode: 'parallel' });

/** Records every state and text the page status takes from now on (window.__statuses). */
async function recordStatus(page: Page): Promise<void> {
  await page.getByTestId('signaling-status').evaluate((status) => {
    const g = globalThis as unknown as {
      __statuses: string[];
      MutationObserver: new (f: () => void) => { observe(t: unknown, o: object): void };
    };
    const read = () => `${status.getAttribute('data-state')}|${status.textContent ?? ''}`;
    g.__statuses = [read()];
    new g.MutationObserver(() => {
      const now = read();
      if (g.__statuses.at(-1) !== now) g.__statuses.push(now);
    }).observe(status, { attributes: true, childList: true, characterData: true, subtree: true });
  });
}

const statuses = (page: Page): Promise<string[]> =>
  page.evaluate(() => (globalThis as unknown as { __statuses: string[] }).__statuses);

/**
 * Records, from now on, each time the member list starts or stops listing `peerId`
 * (window.__listed: true listed, false not), as the page draws it.
 */
async function recordListed(page: Page, peerId: string): Promise<void> {
  await page.getByTestId('self').evaluate((self, id) => {
    const g = globalThis as unknown as {
      __listed: boolean[];
      MutationObserver: new (f: () => void) => { observe(t: unknown, o: object): void };
    };
    const list = self.parentElement;
    const read = () => list?.querySelector(`[data-testid=peer][data-peer-id="${id}"]`) != null;
    g.__listed = [read()];
    new g.MutationObserver(() => {
      const now = read();
      if (g.__listed.at(-1) !== now) g.__listed.push(now);
    }).observe(list, { childList: true, subtree: true });
  }, peerId);
}

const listedMeanwhile = (page: Page): Promise<boolean[]> =>
  page.evaluate(() => (globalThis as unknown as { __listed: boolean[] }).__listed);

interface ElementText {
  readonly textContent: string | null;
}

/** Resolves once the page shows every one of `texts` (polled in the page, so the time is close). */
async function whenShown(page: Page, texts: readonly string[]): Promise<number> {
  await page.waitForFunction(
    (wanted) => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<ElementText> } })
        .document;
      const shown = new Set(
        [...doc.querySelectorAll('[data-testid=message][data-kind=chat] [data-testid=message-text]')].map(
          (el) => el.textContent,
        ),
      );
      return wanted.every((text) => shown.has(text));
    },
    texts,
    { polling: 50, timeout: recoveryMs },
  );
  return Date.now();
}

/** Each user's lines shown, in the order shown, with the other's: each author's in order, once. */
async function expectInOrderOnce(users: readonly User[], lines: Record<string, readonly string[]>): Promise<void> {
  for (const user of users) {
    const texts = await chatTexts(user.page);
    for (const [prefix, written] of Object.entries(lines)) {
      expect(texts.filter((text) => text.startsWith(prefix))).toEqual(written);
    }
  }
}

/**
 * Alice in the room's namespace and erin in one attached to it, whose network the test
 * cuts; `run` gets both once they are linked (erin's page status recorded from then on).
 */
type OpenAway = RoomlinkFixtures['openAway'];

async function withErinAway(
  { server, browsers, openAway }: { server: RoomServer; browsers: BrowserPool; openAway: OpenAway },
  run: (alice: User, erin: User, cut: AttachedNetns) => Promise<void>,
): Promise<void> {
  const [alice] = await openRoom(browsers, server.url, ['alice']);
  if (!alice) throw new Error('openRoom returned no user');
  const { user: erin, cut } = await openAway(alice.page, 'erin');
  await waitForMesh([alice, erin]);
  await recordStatus(erin.page);
  await run(alice, erin, cut);
}

test('a member cut off for 20 s and the member it talks to both get every line, in order, once', {
  tag: '@waits',
}, async ({ server, browsers, openAway }) => {
  test.setTimeout(300_000);
  await withErinAway({ server, browsers, openAway }, async (alice, erin, cut) => {
    const tag = randomBytes(3).toString('hex');
    const fromAlice = Array.from({ length: LINES }, (_, i) => `alice ${tag} ${i + 1}`);
    const fromErin = Array.from({ length: LINES }, (_, i) => `erin ${tag} ${i + 1}`);
    await recordListed(erin.page, alice.id);
    await cut.dropTraffic();
    // Both write through the dead spot, a line each every CUT_MS / LINES: the scenario's own
    // pace, not a wait for anything.
    for (let i = 0; i < LINES; i++) {
      await sendMessage(alice.page, fromAlice[i] ?? '');
      await sendMessage(erin.page, fromErin[i] ?? '');
      await alice.page.waitForTimeout(CUT_MS / LINES);
    }
    // Still cut off: erin's page says she seems offline, keeps alice listed as out of her
    // reach, and a line she writes now visibly waits to be sent.
    const status = erin.page.getByTestId('signaling-status');
    await expect(status).toHaveAttribute('data-state', 'offline');
    await expect(status).toContainText('offline');
    await waitForPeers(erin.page, [alice.id], 'unreachable');
    await expect(
      erin.page.locator(`[data-testid=peer][data-peer-id="${alice.id}"] [data-reason=offline]`),
    ).toBeVisible();
    const waiting = `erin ${tag} waiting`;
    fromErin.push(waiting);
    await sendMessage(erin.page, waiting);
    await expect(chatLine(erin.page, erin.id, waiting)).toHaveAttribute('data-receipt', 'queued');
    await expect(chatLine(erin.page, erin.id, waiting).getByTestId('receipt')).toHaveText('waiting to send');
    const offlineMeanwhile = await statuses(erin.page);
    await cut.allowTraffic();
    const back = Date.now();

    const [aliceDone, erinDone] = await Promise.all([whenShown(alice.page, fromErin), whenShown(erin.page, fromAlice)]);
    // Measured, not judged (speed is the benchmarks' business): in the test's output.
    console.log(
      `outage: every missed line on alice ${aliceDone - back} ms and on erin ${erinDone - back} ms after the network came back`,
    );
    test.info().annotations.push({
      type: 'recovery',
      description: `alice ${aliceDone - back} ms, erin ${erinDone - back} ms`,
    });

    await expectInOrderOnce([alice, erin], { [`alice ${tag}`]: fromAlice, [`erin ${tag}`]: fromErin });
    // Erin was told she seemed offline while she was, in the page status...
    expect(offlineMeanwhile.some((entry) => entry.startsWith('offline|') && /offline/i.test(entry))).toBe(true);
    // ...what she wrote offline went once she was back...
    await expect(chatLine(erin.page, erin.id, waiting)).toHaveAttribute('data-receipt', /^(delivered-all|read)$/, {
      timeout: recoveryMs,
    });
    // ...and once back the status clears by itself.
    await expect(erin.page.getByTestId('signaling-status')).not.toHaveAttribute('data-state', 'offline', {
      timeout: recoveryMs,
    });
    await expect(erin.page.getByTestId('signaling-status')).toBeHidden();
    // Never was she told that alice was not responding or back (it was erin's network, not
    // alice): looked at once her page is back in full, not while it was still coming back
    // (a line said as it came back, after the look, would have gone unseen).
    const said = (await chatMessages(erin.page)).filter((line) => line.kind === 'system').map((line) => line.text);
    expect(said.filter((text) => /not responding|is back/.test(text))).toEqual([]);
    // Nor did alice leave her member list, as if she had left: not before her page knew it was
    // offline (the server being checked), nor as the network came back.
    expect(await listedMeanwhile(erin.page)).toEqual([true]);
  });
});

test('a member cut off past the server’s grace gets, once back, what was written while the room had let it go', {
  tag: '@waits',
}, async ({ server, browsers, openAway }) => {
  // Past the server's heartbeat and return grace (about a minute and a quarter): alice's page
  // drops erin as a member, and what alice writes then is written to nobody for erin. Erin's
  // page kept alice all along, so nothing but asking again brings those lines.
  test.setTimeout(420_000);
  await withErinAway({ server, browsers, openAway }, async (alice, erin, cut) => {
    const tag = randomBytes(3).toString('hex');
    const fromAlice = [`alice ${tag} before erin went`, `alice ${tag} while erin was gone`];
    const fromErin = [`erin ${tag} while cut off`];
    await cut.dropTraffic();
    await sendMessage(alice.page, fromAlice[0] ?? '');
    await sendMessage(erin.page, fromErin[0] ?? '');
    // Alice's page let erin go (the server said she left): a condition, not a guess at how long.
    await expect(
      alice.page.locator(`[data-testid=message][data-kind=system][data-from="${erin.id}"]`).filter({ hasText: 'left' }),
    ).toBeVisible({ timeout: 150_000 });
    await sendMessage(alice.page, fromAlice[1] ?? '');
    await cut.allowTraffic();
    const back = Date.now();
    const [aliceDone, erinDone] = await Promise.all([whenShown(alice.page, fromErin), whenShown(erin.page, fromAlice)]);
    console.log(
      `outage past the grace: every missed line on alice ${aliceDone - back} ms and on erin ${erinDone - back} ms after the network came back`,
    );
    test
      .info()
      .annotations.push({ type: 'recovery', description: `alice ${aliceDone - back} ms, erin ${erinDone - back} ms` });
    await expectInOrderOnce([alice, erin], { [`alice ${tag}`]: fromAlice, [`erin ${tag}`]: fromErin });
  });
});

/** From now on, window.__muted says whether the page ever showed a member muted. */
async function recordMuted(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      __muted: boolean;
      document: { querySelector(s: string): unknown };
      setInterval(f: () => void, ms: number): void;
    };
    g.__muted = false;
    g.setInterval(() => {
      if (g.document.querySelector('[data-reason=muted]') !== null) g.__muted = true;
    }, 50);
  });
}

test('a link silent for over a minute while the server answers: nobody is muted when it comes back, nobody seemed offline', {
  tag: '@waits',
}, async ({ server, browsers, openAway }) => {
  // Only UDP is dropped, the peer link's: both sockets to the server carry on, so neither page
  // lets the other go, and the link's channel holds what went into it through the silence,
  // delivered at once when the path is back. Pings sent every second through it were more
  // than the receiver's budget lets through at once past a minute, and it muted the sender.
  test.setTimeout(300_000);
  await withErinAway({ server, browsers, openAway }, async (alice, erin, cut) => {
    await Promise.all([recordMuted(alice.page), recordMuted(erin.page)]);
    const tag = randomBytes(3).toString('hex');
    const fromAlice = [`alice ${tag} through the silence`];
    const fromErin = [`erin ${tag} through the silence`];
    await cut.dropTraffic('udp');
    // Each page stops hearing the other (the entry is hidden while silent).
    await Promise.all([waitForPeers(alice.page, 0, null, recoveryMs), waitForPeers(erin.page, 0, null, recoveryMs)]);
    await sendMessage(alice.page, fromAlice[0] ?? '');
    await sendMessage(erin.page, fromErin[0] ?? '');
    // The silence lasts past a minute of pings: the scenario's length, not a wait for anything.
    await alice.page.waitForTimeout(75_000);
    await cut.allowTraffic();
    const back = Date.now();
    const [aliceDone, erinDone] = await Promise.all([whenShown(alice.page, fromErin), whenShown(erin.page, fromAlice)]);
    console.log(
      `link silence: every missed line on alice ${aliceDone - back} ms and on erin ${erinDone - back} ms after the network came back`,
    );
    await waitForMesh([alice, erin], recoveryMs);
    await expectInOrderOnce([alice, erin], { [`alice ${tag}`]: fromAlice, [`erin ${tag}`]: fromErin });
    const muted = (user: User) => user.page.evaluate(() => (globalThis as unknown as { __muted: boolean }).__muted);
    expect(await muted(alice)).toBe(false);
    expect(await muted(erin)).toBe(false);
    // The server answered all along: erin's page never said she seemed offline.
    expect((await statuses(erin.page)).filter((entry) => entry.startsWith('offline|'))).toEqual([]);
  });
});
