// A `services` fixture for tests that start their own processes and browsers with settings
// known only inside the test (a TURN URL on the namespace's address, a tunnel's subdomain):
// everything started through it is stopped after the test, newest first, and on failure its
// output is printed and attached like the standard fixtures do.
//
//   import { test } from "./support/services.ts";
//   test("...", async ({ netns, services }) => {
//     const coturn = await services.coturn({ netns, ip: netns.addresses[0], secret });
//     const server = await services.server({ netns, env: { TURN_URLS: coturn.turnUrl } });

import { testChromium } from '../../scripts/ensure-system.ts';
import { type BrowserPool, createBrowserPool, type PoolOptions } from './browser.ts';
import { type Coturn, type CoturnOptions, startCoturn } from './coturn.ts';
import { test as base } from './fixtures.ts';
import type { BareNetns } from './netns.ts';
import { type NetnsProcess, type ProcessSpec, startInNetns } from './process.ts';
import { type RoomServer, type ServerOptions, startServer } from './server.ts';

export { expect } from './fixtures.ts';

const reportTailLines = 60;

export interface Services {
  /** A roomlink server (its wire log goes to the test's output folder). */
  server(options: Omit<ServerOptions, 'wireLogPath'>, label?: string): Promise<RoomServer>;
  coturn(options: CoturnOptions, label?: string): Promise<Coturn>;
  /** Any other long-running process in a namespace (tunnel server, proxy). */
  process(netns: Pick<BareNetns, 'spawn'>, spec: ProcessSpec): Promise<NetnsProcess>;
  /** A pool of Chromium browsers inside `netns` (closed before everything else); the headless shell unless fullBrowser. */
  browsers(netns: Pick<BareNetns, 'name'>, options?: PoolOptions, label?: string): BrowserPool;
  /** Runs `stop` at teardown, in reverse order of registration. */
  defer(label: string, stop: () => Promise<void>, output?: () => string): void;
}

interface Started {
  label: string;
  stop: () => Promise<void>;
  output: () => string;
}

export const test = base.extend<{ services: Services }>({
  services: async ({ fullBrowser }, use, testInfo) => {
    const started: Started[] = [];
    const pools: Started[] = [];
    let servers = 0;
    const services: Services = {
      async server(options, label = 'roomlink server') {
        const server = await startServer({ ...options, wireLogPath: testInfo.outputPath(`wire-${servers++}.log`) });
        started.push({ label, stop: () => server.stop(), output: () => server.output() });
        return server;
      },
      async coturn(options, label = 'coturn') {
        const coturn = await startCoturn(options);
        started.push({ label, stop: () => coturn.stop(), output: () => coturn.output() });
        return coturn;
      },
      async process(netns, spec) {
        const handle = await startInNetns(netns, spec);
        started.push({ label: spec.label, stop: () => handle.stop(), output: () => handle.output() });
        return handle;
      },
      browsers(netns, options = {}, label = `browsers in ${netns.name}`) {
        const pool = createBrowserPool(netns, { binary: testChromium(options.args ?? [], fullBrowser), ...options });
        pools.push({ label, stop: () => pool.close(), output: () => pool.consoleLog() });
        return pool;
      },
      defer(label, stop, output = () => '') {
        started.push({ label, stop, output });
      },
    };
    const errors: unknown[] = [];
    try {
      await use(services);
    } finally {
      const failed = testInfo.status !== testInfo.expectedStatus;
      for (const item of [...pools.reverse(), ...started.reverse()]) {
        try {
          await item.stop();
        } catch (error) {
          errors.push(error);
        }
        if (!failed) continue;
        const text = item.output();
        if (!text) continue;
        await testInfo.attach(item.label, { body: text, contentType: 'text/plain' });
        const lines = text.split('\n');
        console.error(
          `--- ${item.label} (last ${Math.min(lines.length, reportTailLines)} of ${lines.length} lines) ---\n${lines.slice(-reportTailLines).join('\n')}`,
        );
      }
    }
    // Reached only when the test itself passed: a failed stop is then the error to report.
    if (errors.length > 0) throw errors[0];
  },
});
