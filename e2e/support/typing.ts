// "is typing…" held on the other pages for as long as a test looks at it. A typist is shown
// until its stop, which goes 5 s after its last key (client/features/typing.ts): a test that
// looks at it a few steps after the key, on a loaded machine, could find it gone by itself.
import type { Page } from '@playwright/test';

interface Box {
  value: string;
  dispatchEvent(event: unknown): boolean;
}

interface Scope {
  Event: new (type: string, init: object) => unknown;
  setInterval(run: () => void, ms: number): number;
  clearInterval(timer: number): void;
  __keepTyping?: number;
}

export interface Typist {
  /** The keys stop: the page's stop follows 5 s after the last, as after a real key. */
  stop(): Promise<void>;
}

/**
 * Keeps the user of `page` typing until `stop`: from inside the page (no round trip to the
 * test), its message box reports a keystroke every 500 ms as a key does, its text unchanged
 * (a start goes out again every 2 s, and the stop waits). The box must hold text: an empty
 * one is no typing.
 */
export async function keepTyping(page: Page): Promise<Typist> {
  await page.getByTestId('message-input').evaluate((box: Box) => {
    const scope = globalThis as unknown as Scope;
    if (box.value.trim() === '') throw new Error('keepTyping: the message box is empty');
    if (scope.__keepTyping !== undefined) throw new Error('keepTyping: this page types already');
    scope.__keepTyping = scope.setInterval(() => box.dispatchEvent(new scope.Event('input', { bubbles: true })), 500);
  });
  return {
    stop: () =>
      page.evaluate(() => {
        const scope = globalThis as unknown as Scope;
        if (scope.__keepTyping !== undefined) scope.clearInterval(scope.__keepTyping);
        delete scope.__keepTyping;
      }),
  };
}
