// Where the time to the first message goes, in roomlink's pages and the bare page's: the
// page's own marks (client/timeline.ts; the bare page makes the same ones for the steps it
// shares) and its navigation timing, read after a mesh run. Each step is the
// median over the room's pages of that page's time for it, from its own navigation start;
// per-member steps count when the page had done them with its last member.
import type { Page } from '@playwright/test';
import { summarize } from '../stats.ts';

/** Step name → ms from navigation start (median over the pages of one run). */
export type MeshSteps = Record<string, number>;

/** In the order they happen; the per-member ones take the page's last member. */
const PAGE_STEPS = [
  'socket-start',
  'boot',
  'socket-connected',
  'join-sent',
  'join-ack',
  'main',
  'ready',
  'key-ready',
  'clock-warm',
] as const;
const MEMBER_STEPS = [
  'peer-joined',
  'link-made',
  'channel-open',
  'hello-sent',
  'hello-heard',
  'hello-checked',
  'features-opened',
  'line-shown',
] as const;

interface PageTiming {
  getEntriesByType(type: string): Array<{ name: string; startTime: number }>;
}
interface NavigationEntry {
  responseEnd: number;
  domInteractive: number;
}

async function pageSteps(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    ([pageSteps, memberSteps]) => {
      // Page code: the DOM's Performance, typed by hand (this file is checked without DOM types).
      const timing = (globalThis as unknown as { performance: PageTiming }).performance;
      const out: Record<string, number> = {};
      const nav = timing.getEntriesByType('navigation')[0] as NavigationEntry | undefined;
      if (nav) {
        out['html'] = nav.responseEnd;
        out['document'] = nav.domInteractive;
      }
      for (const entry of timing.getEntriesByType('mark')) {
        const [prefix, step, peer] = entry.name.split(':');
        if (prefix !== 'roomlink' || step === undefined) continue;
        const key = peer === undefined ? step : `last-${step}`;
        if (peer === undefined ? !pageSteps.includes(step) : !memberSteps.includes(step)) continue;
        // Page steps: the first time; member steps: the last member's first time.
        if (peer === undefined) out[key] ??= entry.startTime;
        else if (!(`${key}:${peer}` in out)) {
          out[`${key}:${peer}`] = entry.startTime;
          out[key] = Math.max(out[key] ?? 0, entry.startTime);
        }
      }
      for (const key of Object.keys(out)) if (key.includes(':')) delete out[key];
      return out;
    },
    [PAGE_STEPS as readonly string[], MEMBER_STEPS as readonly string[]] as const,
  );
}

/** The median step times of a room's pages (empty when the pages have no marks). */
export async function readMeshSteps(pages: readonly Page[]): Promise<MeshSteps> {
  const perPage = await Promise.all(pages.map((page) => pageSteps(page).catch(() => ({}))));
  const names = ['html', 'document', ...PAGE_STEPS, ...MEMBER_STEPS.map((s) => `last-${s}`)];
  const steps: MeshSteps = {};
  for (const name of names) {
    const values = perPage.flatMap((p: Record<string, number>) => (p[name] === undefined ? [] : [p[name]]));
    if (values.length > 0) steps[name] = Math.round(summarize(values).median);
  }
  return steps;
}

/** One line for the log: `html 120 · boot 900 · …` in time order. */
export function formatSteps(steps: MeshSteps): string {
  return Object.entries(steps)
    .sort((a, b) => a[1] - b[1])
    .map(([name, ms]) => `${name} ${ms}`)
    .join(' · ');
}
