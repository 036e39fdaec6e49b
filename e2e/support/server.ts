// The real roomlink server (dist/server.mjs, what `npm start` runs, built from server.ts by
// the e2e global setup), started inside the test's namespace. Browsers in the same
// namespace reach it at http://localhost:PORT, which is a secure context (crypto.subtle,
// clipboard) without certificates.

import { fileURLToPath } from 'node:url';
import { SERVER_BUNDLE } from '../../scripts/build-server.ts';
import type { BareNetns } from './netns.ts';
import { type NetnsProcess, startInNetns } from './process.ts';

/** The namespace is private, so a fixed port never collides with anything. */
const defaultPort = 3000;
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerOptions {
  readonly netns: Pick<BareNetns, 'spawn'>;
  /** Every line the server sends or receives on the signaling wire is appended here. */
  readonly wireLogPath: string;
  readonly port?: number;
  readonly logLevel?: string;
  /** Extra environment (MAX_ROOM_SIZE, ROOMLINK_SECRET, ...). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra command-line flags (`--tunnel`, ...). */
  readonly args?: readonly string[];
  /** Host part of `url` (default localhost: browsers in the same namespace). */
  readonly urlHost?: string;
}

export interface RoomServer {
  /** Valid inside the namespace only (where the browsers are). */
  readonly url: string;
  readonly port: number;
  readonly wireLogPath: string;
  /** Everything the server printed, across restarts. */
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL: the server vanishes without telling anyone (start() brings it back). */
  kill(): Promise<void>;
  /** Starts it again after stop() or kill(), on the same port with the same environment. */
  start(): Promise<void>;
  /** Stops and starts it again on the same port with the same environment. */
  restart(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RoomServer> {
  const port = options.port ?? defaultPort;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '0.0.0.0',
    WIRE_LOG: options.wireLogPath,
    LOG_LEVEL: options.logLevel ?? 'info',
    // Not the public default: nothing in a test may reach outside (a spec may set its own).
    STUN_URLS: 'none',
    ...options.env,
  };
  const earlier: string[] = [];
  let current: NetnsProcess | null = null;

  const start = async (): Promise<void> => {
    current = await startInNetns(options.netns, {
      label: 'roomlink server',
      command: process.execPath,
      args: [SERVER_BUNDLE, ...(options.args ?? [])],
      cwd: repoRoot,
      env,
      ready: /listening/,
    });
  };
  const stop = async (): Promise<void> => {
    if (current === null) return;
    const stopping = current;
    current = null;
    await stopping.stop();
    earlier.push(stopping.output());
  };

  await start();
  return {
    url: `http://${options.urlHost ?? 'localhost'}:${port}`,
    port,
    wireLogPath: options.wireLogPath,
    output: () => [...earlier, current?.output() ?? ''].filter(Boolean).join('\n--- restart ---\n'),
    stop,
    async kill() {
      if (current === null) return;
      const killed = current;
      current = null;
      await killed.kill();
      earlier.push(killed.output());
    },
    async start() {
      if (current === null) await start();
    },
    async restart() {
      await stop();
      await start();
    },
  };
}
