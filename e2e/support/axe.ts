// What axe-core finds on a page: every rule it runs by default, best practices included, and
// target-size (WCAG 2.2 AA, 2.5.8), which axe leaves out by default: a receipt under Delete,
// each under 24px and touching, was missed without it.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * The rules whose verdict reads colours. The dark scheme changes nothing but the colour
 * properties (styles.css's one prefers-color-scheme block sets custom properties only), so a
 * state scanned whole in light needs only these in dark: the other rules (names, roles,
 * structure, sizes) give the same answer, and took two thirds of a scan's time (a11y.spec's
 * dark scans: 1.5-2.4 s for these, 3.5-6.9 s for all, on a loaded machine).
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * One line per failing node, starting with `label`, so a failure says what to fix and where.
 * `only: 'colours'` runs the colour rules alone (COLOUR_RULES says when that is enough).
 */
export async function violations(page: Page, label: string, only?: 'colours'): Promise<string[]> {
  // Legacy mode runs axe in the page itself: the page has no frames, and the default mode
  // opens an extra page per scan to merge frame results, which only adds time here.
  const builder = new AxeBuilder({ page }).setLegacyMode(true);
  const result = await (only === 'colours'
    ? builder.withRules(COLOUR_RULES)
    : builder.options({ rules: { 'target-size': { enabled: true } } })
  ).analyze();
  return result.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) => `${label}: ${violation.id} (${violation.impact}) at ${node.target.join(' ')}: ${node.failureSummary}`,
    ),
  );
}

/**
 * The same, in light (every rule) and in dark (the colour rules): the page follows the
 * system's colour scheme. Back to light after.
 */
export async function violationsInBothSchemes(page: Page): Promise<string[]> {
  await page.emulateMedia({ colorScheme: 'light' });
  const found = await violations(page, 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  found.push(...(await violations(page, 'dark', 'colours')));
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}
