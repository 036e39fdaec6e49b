// Browsers for the files benchmark. Playwright's ordinary contexts are incognito: their OPFS
// lives in memory, so a received file would count against the page's RSS. Each user here is
// a persistent context (a browser of its own) on a temporary user-data dir, so OPFS is on
// disk as for a real user. Memory is read from outside the page: the JS heap through the
// DevTools protocol, RSS from /proc for the browser's renderer processes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type CDPSession, chromium, type Page } from '@playwright/test';
import { netnsLaunchOptions, processTree } from '../../e2e/support/browser.ts';
import { onProcessExit } from '../../e2e/support/exit-cleanup.ts';

export interface DiskBrowser {
  readonly label: string;
  readonly context: BrowserContext;
  /** The app's page (the first one of the browser). */
  readonly page: Page;
  /** Used JS heap of the page's main thread, bytes. */
  heapUsed(): Promise<number>;
  /** Collects garbage in the page, so a baseline is not inflated by garbage. */
  collectGarbage(): Promise<void>;
  /** Time the page's main thread has spent running tasks so far, ms (the DevTools protocol's TaskDuration). */
  mainThreadMs(): Promise<number>;
  /** Sum of VmRSS over this browser's renderer processes, bytes. */
  rendererRss(): number;
  close(): Promise<void>;
}

/** VmRSS of one process in bytes, or 0 when it is gone. */
function rssOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function isRenderer(pid: number): boolean {
  try {
    // Chromium rewrites its children's command lines with spaces between arguments, not NULs.
    return /(^|[\s\0])--type=renderer([\s\0]|$)/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

export async function launchDiskBrowser(netnsName: string, label: string): Promise<DiskBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'rl-bench-profile-'));
  const pidFile = join(dir, 'pid');
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(
      join(dir, 'profile'),
      netnsLaunchOptions({ name: netnsName }, pidFile, []),
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const unregister = onProcessExit(() => {
    for (const child of processTree(pid)) {
      try {
        process.kill(child, 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
    }
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let session: CDPSession | null = null;
  const cdp = async () => {
    session ??= await context.newCDPSession(page);
    return session;
  };
  return {
    label,
    context,
    page,
    async heapUsed() {
      const usage = (await (await cdp()).send('Runtime.getHeapUsage')) as { usedSize: number };
      return usage.usedSize;
    },
    async collectGarbage() {
      await (await cdp()).send('HeapProfiler.collectGarbage');
    },
    async mainThreadMs() {
      const session = await cdp();
      await session.send('Performance.enable');
      const { metrics } = (await session.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[];
      };
      return (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN) * 1000;
    },
    rendererRss: () =>
      processTree(pid)
        .filter(isRenderer)
        .reduce((sum, child) => sum + rssOf(child), 0),
    async close() {
      await context.close().catch(() => {});
      unregister();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface MemoryPeak {
  label: string;
  heapBefore: number;
  heapPeak: number;
  rssBefore: number;
  rssPeak: number;
}

/** Samples heap and renderer RSS of each browser every intervalMs until stopped; keeps the peaks. */
export function sampleMemory(browsers: readonly DiskBrowser[], intervalMs = 250) {
  const peaks = new Map<DiskBrowser, MemoryPeak>();
  let timer: NodeJS.Timeout | null = null;
  let sampling: Promise<void> = Promise.resolve();

  async function sample(): Promise<void> {
    await Promise.all(
      browsers.map(async (browser) => {
        const heap = await browser.heapUsed().catch(() => 0);
        const rss = browser.rendererRss();
        const peak = peaks.get(browser);
        if (!peak) return;
        peak.heapPeak = Math.max(peak.heapPeak, heap);
        peak.rssPeak = Math.max(peak.rssPeak, rss);
      }),
    );
  }

  return {
    /** Takes the baseline (after a GC) and starts sampling. */
    async start(): Promise<void> {
      for (const browser of browsers) {
        await browser.collectGarbage();
        const heap = await browser.heapUsed();
        const rss = browser.rendererRss();
        peaks.set(browser, { label: browser.label, heapBefore: heap, heapPeak: heap, rssBefore: rss, rssPeak: rss });
      }
      timer = setInterval(() => {
        sampling = sampling.then(sample);
      }, intervalMs);
    },
    async stop(): Promise<MemoryPeak[]> {
      if (timer) clearInterval(timer);
      await sampling;
      await sample();
      return [...peaks.values()];
    },
  };
}
