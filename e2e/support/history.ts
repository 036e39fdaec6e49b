// Page helpers for history and private lines (issue 11), written against the test hooks:
// message[data-history][data-verified], message[data-private-to|data-private-from],
// window.roomlink.history() and window.roomlink.sendPrivate().
import { expect, type Page } from '@playwright/test';
import type { HistoryCounts } from '../../client/features/history-counts.ts';

const historyTimeoutMs = 90_000;

export interface ShownLine {
  readonly id: string;
  readonly from: string;
  readonly text: string;
  readonly history: boolean;
  readonly verified: string | null;
  readonly privateTo: string | null;
  readonly privateFrom: string | null;
}

interface ElementLike {
  getAttribute(name: string): string | null;
  querySelector(selector: string): ElementLike | null;
  readonly textContent: string | null;
}

/** Every chat (not system) line on the page, in page order, with its marks. */
export async function shownLines(page: Page): Promise<ShownLine[]> {
  return page.locator('[data-testid=message][data-kind=chat]').evaluateAll((elements: ElementLike[]) =>
    elements.map((el) => ({
      id: el.getAttribute('data-id') ?? '',
      from: el.getAttribute('data-from') ?? '',
      text: el.querySelector('[data-testid=message-text]')?.textContent ?? '',
      history: el.getAttribute('data-history') === 'true',
      verified: el.getAttribute('data-verified'),
      privateTo: el.getAttribute('data-private-to'),
      privateFrom: el.getAttribute('data-private-from'),
    })),
  );
}

export async function historyCounts(page: Page): Promise<HistoryCounts> {
  return page.evaluate(() => (globalThis as unknown as { roomlink: { history(): HistoryCounts } }).roomlink.history());
}

/**
 * Waits until `answers` members have answered the page's history request completely and
 * every line received is checked and shown (or counted as a duplicate, or dropped).
 */
export async function waitForHistory(page: Page, answers: number, timeout = historyTimeoutMs): Promise<HistoryCounts> {
  await expect
    .poll(
      async () => {
        const c = await historyCounts(page);
        const settled = c.verified + c.forged + c.relayed + c.duplicate + c.dropped === c.received;
        return c.answered >= answers && settled;
      },
      { timeout, message: `history from ${answers} members, every line settled` },
    )
    .toBe(true);
  return historyCounts(page);
}

/** Sends `texts` one after another through the composer, from inside the page. */
export async function sendMany(page: Page, texts: readonly string[]): Promise<void> {
  await page.evaluate((all) => {
    const doc = (globalThis as unknown as { document: DocumentLike }).document;
    const input = doc.querySelector('[data-testid=message-input]');
    const button = doc.querySelector('[data-testid=send-button]');
    if (!input || !button) throw new Error('no composer');
    for (const text of all) {
      input.value = text;
      button.click();
    }
    interface InputLike {
      value: string;
      click(): void;
    }
    interface DocumentLike {
      querySelector(selector: string): InputLike | null;
    }
  }, texts);
}

/** Waits until the page shows at least `count` chat lines from `from`. */
export async function waitForLinesFrom(
  page: Page,
  from: string,
  count: number,
  timeout = historyTimeoutMs,
): Promise<void> {
  await expect
    .poll(async () => (await shownLines(page)).filter((line) => line.from === from).length, {
      timeout,
      message: `${count} lines from ${from}`,
    })
    .toBeGreaterThanOrEqual(count);
}

export async function sendPrivate(page: Page, peerId: string, text: string): Promise<string | null> {
  return page.evaluate(
    ([to, body]) =>
      (
        globalThis as unknown as { roomlink: { sendPrivate(peerId: string, text: string): string | null } }
      ).roomlink.sendPrivate(to, body),
    [peerId, text] as const,
  );
}

/** The chat line by `from` whose text contains `text`. */
export function chatLine(page: Page, from: string, text: string) {
  return page.locator(`[data-testid=message][data-kind=chat][data-from="${from}"]`).filter({ hasText: text });
}

/** Reacts to that line from the picker, as a user would ("thumbs up", "heart", "party", …). */
export async function react(page: Page, from: string, text: string, emojiName: string): Promise<void> {
  const line = chatLine(page, from, text);
  await line.getByTestId('react-button').click();
  await line
    .getByTestId('reaction-picker')
    .getByRole('button', { name: `React with ${emojiName}` })
    .click();
}

/** The reaction chip of one emoji on that line (data-count, title = who reacted). */
export function reactionChip(page: Page, from: string, text: string, emoji: string) {
  return chatLine(page, from, text).locator(`[data-testid=reaction][data-emoji="${emoji}"]`);
}
