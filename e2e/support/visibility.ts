// Whether a page's tab is hidden, under the test's control. Headless Chromium reports every
// page visible whatever is in front (measured here: bringToFront, a second tab, a minimized
// window all leave document.visibilityState 'visible'), so a test that needs a hidden tab
// plays the window manager: an init script makes visibilityState / hidden follow a flag,
// and flipping the flag fires visibilitychange, as a real tab switch does.

import type { BrowserContext, Page } from '@playwright/test';

interface VisibilityGlobal {
  __roomlinkHidden: boolean;
  document: { dispatchEvent(event: unknown): boolean };
  Event: new (type: string) => unknown;
}

function installVisibility(): void {
  const scope = globalThis as unknown as VisibilityGlobal & { Document: { prototype: object } };
  scope.__roomlinkHidden = false;
  Object.defineProperty(scope.Document.prototype, 'visibilityState', {
    configurable: true,
    get: () => (scope.__roomlinkHidden ? 'hidden' : 'visible'),
  });
  Object.defineProperty(scope.Document.prototype, 'hidden', {
    configurable: true,
    get: () => scope.__roomlinkHidden,
  });
}

/** Every page of `context` opened from now on can be hidden with setHidden. */
export async function controlVisibility(context: BrowserContext): Promise<void> {
  await context.addInitScript(installVisibility);
}

/** Hides or shows the page's tab (the page must be under controlVisibility). */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((next) => {
    const scope = globalThis as unknown as VisibilityGlobal;
    if (scope.__roomlinkHidden === next) return;
    scope.__roomlinkHidden = next;
    scope.document.dispatchEvent(new scope.Event('visibilitychange'));
  }, hidden);
}
