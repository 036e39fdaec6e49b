// What axe-core finds on a page: every rule it runs by default, best practices included, and
// target-size (WCAG 2.2 AA, 2.5.8), which axe leaves out by default: a receipt under Delete,
// each under 24px and touching, was missed without it.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** One line per failing node, starting with `label`, so a failure says what to fix and where. */
export async function violations(page: Page, label: string): Promise<string[]> {
  // Legacy mode runs axe in the page itself: the page has no frames, and the default mode
  // opens an extra page per scan to merge frame results, which only adds time here.
  const result = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .options({ rules: { 'target-size': { enabled: true } } })
    .analyze();
  return result.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) => `${label}: ${violation.id} (${violation.impact}) at ${node.target.join(' ')}: ${node.failureSummary}`,
    ),
  );
}

/** The same, in light and in dark (the page follows the system's colour scheme); back to light after. */
export async function violationsInBothSchemes(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    found.push(...(await violations(page, colorScheme)));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}
