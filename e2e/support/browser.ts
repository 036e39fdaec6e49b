// Chromium for the end-to-end tests, run inside the test's namespace through
// chromium-in-netns.sh. Users share one browser (a context each) unless a test needs to
// freeze one of them: a freezable user gets a browser of its own, whose whole process tree
// can be stopped (SIGSTOP) and resumed (SIGCONT), as a laptop lid or a hung tab would.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from '@playwright/test';
import { chromiumPath, findTool } from '../../scripts/ensure-system.ts';
import { onProcessExit } from './exit-cleanup.ts';
import type { BareNetns } from './netns.ts';

const wrapperPath = fileURLToPath(new URL('./chromium-in-netns.sh', import.meta.url));
const launchTimeoutMs = 30_000;
/** How long a polite browser.close() may take before the process tree is killed. */
const closeTimeoutMs = 10_000;

/**
 * Chromium keeps only the last --disable-features it is given, and Playwright passes its own
 * list before ours: this one list replaces Playwright's, so it carries the entries of
 * Playwright's that matter here as well as ours.
 */
const disabledFeatures: readonly string[] = [
  // Plain host candidates instead of mDNS .local names, which resolve slowly.
  'WebRtcHideLocalIpsWithMdns',
  // Chromium 156 loads two WebUI pages for the address bar's popup
  // (chrome://omnibox-popup.top-chrome) in every context's window, headless too, and they
  // keep running: four idle about:blank contexts used 6.2-6.6 CPU-s per 10 s on this
  // two-core machine with them, 0.5 without (9 renderer processes, 5). Every test and
  // benchmark page paid for them.
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  // Autofill asks content-autofill.googleapis.com about every page with a form: two room
  // pages made 42 DNS queries for it in a netlog (inside a test's namespace each one blocks
  // a browser thread for 3-6 s until it times out). Nothing in a test may try to leave.
  'AutofillServerCommunication',
  // Playwright's: no requests to Google's services at start, no Cast discovery on the
  // network, no HTTPS upgrade of our plain-http test servers, no paint holding.
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'MediaRouter',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'PaintHolding',
  'DestroyProfileOnBrowserClose',
];

export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  `--disable-features=${disabledFeatures.join(',')}`,
];

/**
 * A fake camera (a 640×480 test pattern), a fake microphone (a tone) and no permission
 * prompt: getUserMedia and getDisplayMedia succeed at once (calls.spec.ts).
 */
export const fakeMediaArgs: readonly string[] = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];
/** The same fake devices, but every permission prompt is answered "block". */
export const deniedMediaArgs: readonly string[] = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream=deny',
];

/**
 * Passive WebRTC trace for the failure report: every RTCPeerConnection logs its state
 * changes and gathered candidates to the console (collected per context). It only adds
 * listeners; it changes nothing the app does.
 */
const rtcTraceScript = `(() => {
  const Original = window.RTCPeerConnection;
  if (!Original) return;
  let count = 0;
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      const name = "pc" + count++;
      const started = performance.now();
      const log = (text) => console.debug("[rtc] " + name + " +" + Math.round(performance.now() - started) + "ms " + text);
      this.addEventListener("signalingstatechange", () => log("signaling=" + this.signalingState));
      this.addEventListener("iceconnectionstatechange", () => log("ice=" + this.iceConnectionState));
      this.addEventListener("connectionstatechange", () => log("connection=" + this.connectionState));
      this.addEventListener("icecandidate", (event) => log("candidate " + (event.candidate ? event.candidate.type + " " + event.candidate.address : "end")));
    }
  };
})()`;

/** Anything holding a context: a BrowserContext itself or a user from users.ts. */
export type HasContext = BrowserContext | { readonly context: BrowserContext };

export interface ContextOptions {
  /** Put the context in a browser of its own so freeze()/thaw() can stop it alone. */
  readonly freezable?: boolean;
  /** Prefix for its console lines in the log (the user's name). */
  readonly label?: string;
  /** Playwright's own options for the context: a phone's viewport, touch, a colour scheme. */
  readonly options?: BrowserContextOptions;
}

export interface BrowserPool {
  newContext(options?: ContextOptions): Promise<BrowserContext>;
  /** SIGSTOPs every process of that context's (freezable) browser. */
  freeze(target: HasContext): void;
  /** SIGCONTs them again. */
  thaw(target: HasContext): void;
  /** Console messages (with the WebRTC trace) and page errors of every context. */
  consoleLog(): string;
  /** The Chromium process tree behind a freezable context (root first). */
  processesOf(target: HasContext): number[];
  /** Every context so far, with its label; frozen ones must not be asked anything. */
  contexts(): { label: string; context: BrowserContext; frozen: boolean }[];
  /** Closes everything; frozen browsers are killed. */
  close(): Promise<void>;
}

export interface LaunchedBrowser {
  readonly browser: Browser;
  /** Chromium's main pid (the wrapper's, since everything execs). */
  readonly pid: number;
  frozen: boolean;
  readonly unregister: () => void;
}

function contextOf(target: HasContext): BrowserContext {
  return 'context' in target && typeof target.context === 'object' ? target.context : (target as BrowserContext);
}

/** Parent pid from /proc/PID/stat ("pid (comm) state ppid ..."; comm may hold spaces). */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
}

/** The pid and all its descendants, parents before children. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent === null) continue;
    const siblings = children.get(parent) ?? [];
    siblings.push(pid);
    children.set(parent, siblings);
  }
  const tree: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

function signalTree(root: number, signal: NodeJS.Signals): void {
  const pids = processTree(root);
  for (const pid of signal === 'SIGCONT' ? pids.reverse() : pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Exited meanwhile.
    }
  }
}

/** Options of a whole pool (every browser it launches). */
export interface PoolOptions {
  /** Chromium flags added to chromiumArgs. */
  readonly args?: readonly string[];
  /**
   * Where the pool's shared (not freezable) contexts live: a browser that outlives the
   * pool (see createBrowserHost), the host's one for these `args`. The pool then closes
   * only its own contexts.
   */
  readonly host?: BrowserHost;
  /**
   * Whether each context carries the WebRTC trace (default true: a failing test's report
   * needs it). Benchmarks turn it off: its console lines, captured through DevTools, cost a
   * page tens of milliseconds while it forms its links, which users' pages do not pay.
   */
  readonly rtcTrace?: boolean;
  /** The Chromium binary its browsers run (default: chromiumPath(), the full browser). */
  readonly binary?: string;
}

/**
 * Browsers in a namespace, shared by the pools of many tests: one per set of extra flags
 * (the fake camera, a blocked one), each launched on first use.
 */
export interface BrowserHost {
  browser(args: readonly string[], binary?: string): Promise<LaunchedBrowser>;
  close(): Promise<void>;
}

export function createBrowserHost(netns: Pick<BareNetns, 'name'>): BrowserHost {
  const launching = new Map<string, Promise<LaunchedBrowser>>();
  return {
    browser: (args, binary = chromiumPath()) => {
      const key = [binary, ...args].join('\n');
      let browser = launching.get(key);
      if (browser === undefined) {
        browser = launchInNetns(netns, args, binary);
        launching.set(key, browser);
      }
      return browser;
    },
    async close() {
      const launched = await Promise.allSettled(launching.values());
      await Promise.all(
        launched.flatMap((result) => (result.status === 'fulfilled' ? [closeBrowser(result.value)] : [])),
      );
    },
  };
}

/**
 * Playwright launch options that start Debian's Chromium inside the namespace through the
 * wrapper, which writes Chromium's main pid to pidFile. For chromium.launch and
 * chromium.launchPersistentContext alike (the files benchmark needs OPFS on disk).
 */
export function netnsLaunchOptions(
  netns: Pick<BareNetns, 'name'>,
  pidFile: string,
  extraArgs: readonly string[],
  binary: string = chromiumPath(),
) {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return {
    executablePath: wrapperPath,
    headless: true,
    args: [...chromiumArgs, ...extraArgs],
    timeout: launchTimeoutMs,
    env: {
      ...env,
      RL_NETNS: netns.name,
      RL_PIDFILE: pidFile,
      RL_IP: findTool('ip') ?? 'ip',
      CHROMIUM_PATH: binary,
    },
  };
}

async function launchInNetns(
  netns: Pick<BareNetns, 'name'>,
  extraArgs: readonly string[],
  binary: string = chromiumPath(),
): Promise<LaunchedBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'rl-chromium-'));
  const pidFile = join(dir, 'pid');
  try {
    const browser = await chromium.launch(netnsLaunchOptions(netns, pidFile, extraArgs, binary));
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    const unregister = onProcessExit(() => signalTree(pid, 'SIGKILL'));
    return { browser, pid, frozen: false, unregister };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function closeBrowser(launched: LaunchedBrowser): Promise<void> {
  if (launched.frozen) signalTree(launched.pid, 'SIGKILL');
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    launched.browser.close().then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), closeTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (!closed) signalTree(launched.pid, 'SIGKILL');
  launched.unregister();
}

export function createBrowserPool(netns: Pick<BareNetns, 'name'>, poolOptions: PoolOptions = {}): BrowserPool {
  const extraArgs = poolOptions.args ?? [];
  const host = poolOptions.host;
  let shared: Promise<LaunchedBrowser> | null = null;
  const own = new Map<BrowserContext, LaunchedBrowser>();
  const launched: Promise<LaunchedBrowser>[] = [];
  const log: string[] = [];
  const labelled: { label: string; context: BrowserContext; owner: LaunchedBrowser }[] = [];

  const freezableOf = (target: HasContext): LaunchedBrowser => {
    const found = own.get(contextOf(target));
    if (found === undefined) throw new Error('freeze/thaw needs a context created with { freezable: true }');
    return found;
  };

  return {
    async newContext(options = {}) {
      let owner: LaunchedBrowser;
      if (options.freezable === true) {
        const launching = launchInNetns(netns, extraArgs, poolOptions.binary);
        launched.push(launching);
        owner = await launching;
      } else {
        if (shared === null) {
          shared = host
            ? host.browser(extraArgs, poolOptions.binary)
            : launchInNetns(netns, extraArgs, poolOptions.binary);
          if (!host) launched.push(shared);
        }
        owner = await shared;
      }
      const context = await owner.browser.newContext(options.options);
      if (poolOptions.rtcTrace !== false) await context.addInitScript(rtcTraceScript);
      if (options.freezable === true) own.set(context, owner);
      const label = options.label ?? `context ${labelled.length}`;
      labelled.push({ label, context, owner });
      context.on('console', (message) => log.push(`[${label}] ${message.type()}: ${message.text()}`));
      context.on('weberror', (error) =>
        log.push(`[${label}] page error: ${error.error().stack ?? error.error().message}`),
      );
      return context;
    },
    freeze(target) {
      const browser = freezableOf(target);
      signalTree(browser.pid, 'SIGSTOP');
      browser.frozen = true;
    },
    thaw(target) {
      const browser = freezableOf(target);
      signalTree(browser.pid, 'SIGCONT');
      browser.frozen = false;
    },
    processesOf: (target) => processTree(freezableOf(target).pid),
    consoleLog: () => log.join('\n'),
    contexts: () => labelled.map(({ label, context, owner }) => ({ label, context, frozen: owner.frozen })),
    async close() {
      // Contexts in the host's browser go; the browser stays for the next test.
      const hosted = host ? await shared?.catch(() => null) : null;
      await Promise.all(
        labelled.filter(({ owner }) => owner === hosted).map(({ context }) => context.close().catch(() => {})),
      );
      const browsers = await Promise.allSettled(launched);
      await Promise.all(
        browsers.flatMap((result) => (result.status === 'fulfilled' ? [closeBrowser(result.value)] : [])),
      );
    },
  };
}
