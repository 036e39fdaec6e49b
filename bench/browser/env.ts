// The browser benchmark's world, built from the e2e support: a private network namespace,
// roomlink's real server in it (port 3000), the bare relay (port 3001), and a pool of
// Debian's Chromium in it. Everything is torn down by close(), and by the exit hooks of
// e2e/support if the run dies first.
import { fileURLToPath } from 'node:url';
import { type BrowserPool, createBrowserPool } from '../../e2e/support/browser.ts';
import { createNetns, type Netns } from '../../e2e/support/netns.ts';
import { type NetnsProcess, startInNetns } from '../../e2e/support/process.ts';
import { type RoomServer, startServer } from '../../e2e/support/server.ts';
import { type BuiltPages, buildPages } from './pages.ts';

const BARE_PORT = 3001;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A pool of the e2e tests' Chromium for a bench's pages (app and bare alike), without the
 * WebRTC trace those tests add for their failure reports: its console lines, captured
 * through DevTools, cost a page forming seven links ~90 ms of main thread.
 */
export function createBenchPool(
  netns: Parameters<typeof createBrowserPool>[0],
  args: readonly string[] = [],
): BrowserPool {
  return createBrowserPool(netns, { args, rtcTrace: false });
}

export interface BrowserBenchEnv {
  readonly appUrl: string;
  readonly bareUrl: string;
  readonly probe: string;
  readonly callsProbe: string;
  /** The stages part's stamps (pages/stages.ts), for both flavors' pages. */
  readonly stagesProbe: string;
  readonly browsers: BrowserPool;
  /** The namespace everything runs in (parts that need browsers with other flags make their own pool). */
  readonly netns: Netns;
  /** The namespace everything runs in (for browsers a part launches itself). */
  readonly netnsName: string;
  close(): Promise<void>;
}

/** The parts an e2e spec already has as fixtures (the smoke test passes them in). */
export interface ProvidedParts {
  readonly netns: Netns;
  readonly server: RoomServer;
  readonly browsers: BrowserPool;
}

async function startBare(netns: Netns, pages: BuiltPages): Promise<NetnsProcess> {
  return startInNetns(netns, {
    label: 'bare relay',
    command: process.execPath,
    args: ['--import', 'tsx', fileURLToPath(new URL('./bare-server.ts', import.meta.url))],
    cwd: repoRoot,
    env: { ...process.env, BARE_DIR: pages.bareDir, PORT: String(BARE_PORT) },
    ready: /listening/,
  });
}

/** Builds the namespace, servers and browsers; or only the bare relay next to provided ones. */
export async function createBrowserBenchEnv(provided?: ProvidedParts): Promise<BrowserBenchEnv> {
  const pages = await buildPages();
  const netns = provided?.netns ?? (await createNetns());
  let server: RoomServer | null = provided?.server ?? null;
  let bare: NetnsProcess | null = null;
  const browsers = provided?.browsers ?? createBenchPool(netns);
  try {
    // No wire log (it writes every packet to disk); warnings only.
    server ??= await startServer({ netns, wireLogPath: '', logLevel: 'warn', env: { WIRE_LOG: '' } });
    bare = await startBare(netns, pages);
  } catch (error) {
    await bare?.stop();
    if (!provided) {
      await server?.stop();
      await browsers.close();
      await netns.destroy();
    }
    pages.remove();
    throw error;
  }
  const appServer = server;
  const bareRelay = bare;
  return {
    appUrl: appServer.url,
    bareUrl: `http://localhost:${BARE_PORT}`,
    probe: pages.probe,
    callsProbe: pages.callsProbe,
    stagesProbe: pages.stagesProbe,
    browsers,
    netns,
    netnsName: netns.name,
    async close() {
      await bareRelay.stop();
      if (!provided) {
        await browsers.close();
        await appServer.stop();
        await netns.destroy();
      }
      pages.remove();
    },
  };
}
