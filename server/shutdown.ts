// The server's graceful shutdown: refuse new connections and joins and answer 503 on /healthz,
// for the drain (SHUTDOWN_DRAIN_MS, none by default) while the members carry on; then tell
// every socket and close within a few seconds. Without a drain the port closes at once, and a
// proxy that retries a refused connection elsewhere (deploy/nginx.conf) moves on at once; a
// load balancer that sends traffic until its health checks fail needs the drain to see the 503. Owns whether the shutdown has begun (read by the connection gate,
// /healthz and signaling) and the one close in progress (close() is idempotent).
import type { Server as HttpServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from './logger.ts';
import type { RoomServer } from './rooms.ts';
import type { Stores } from './stores.ts';

/** Time for 'server:shutdown' to reach the clients before their connections close. */
const SHUTDOWN_FLUSH_MS = 100;
/** After this, connections still open (a stuck request) are cut. */
const SHUTDOWN_GRACE_MS = 3_000;
/** close() resolves by then whatever is still pending (the process may exit). */
const SHUTDOWN_MAX_MS = 5_000;

export interface ShutdownParts {
  io: RoomServer;
  httpServer: HttpServer;
  stores: Pick<Stores, 'markShutDown' | 'close'>;
  logger: Logger;
  /** On close(), connections still open after this are cut (default SHUTDOWN_GRACE_MS). */
  graceMs: number | undefined;
  /** How long the node answers 503 on /healthz before it closes anything (config shutdownDrainMs). */
  drainMs: number;
}

export interface Shutdown {
  isShuttingDown(): boolean;
  /**
   * Whether the sockets are being told to go (the drain, if any, is over): a disconnect from
   * now on is our own shutdown's, its member to come back on another node. During the drain
   * members carry on, and one that goes has gone.
   */
  isClosing(): boolean;
  /** Graceful: tell every socket, refuse new joins, close within a few seconds. Idempotent. */
  close(): Promise<void>;
}

export function createShutdown(parts: ShutdownParts): Shutdown {
  let shuttingDown = false;
  let sendingAway = false;
  let closing: Promise<void> | undefined;
  return {
    isShuttingDown: () => shuttingDown,
    isClosing: () => sendingAway,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        // Said first, and waited for only before the stores close: the node that removes what
        // is left of our members then logs a shutdown, not a crash, even when a second signal
        // ends the process during the drain.
        const said = parts.stores.markShutDown();
        if (parts.drainMs > 0) {
          parts.logger.info({ drainMs: parts.drainMs }, 'draining: /healthz answers 503');
          await delay(parts.drainMs);
        }
        sendingAway = true;
        await closeEverything(parts, said);
      })();
      return closing;
    },
  };
}

async function closeEverything(
  { io, httpServer, stores, logger, graceMs }: ShutdownParts,
  shutDownSaid: Promise<void>,
): Promise<void> {
  if (io.engine.clientsCount > 0) {
    // .local: with Redis, a plain emit would send every node's clients away.
    io.local.emit('server:shutdown');
    await delay(SHUTDOWN_FLUSH_MS);
  }
  const cut = setTimeout(() => httpServer.closeAllConnections(), graceMs ?? SHUTDOWN_GRACE_MS);
  cut.unref();
  // Disconnects every socket, closes the engine (and stops the adapter), then the
  // HTTP server. Bounded: the process is told it may exit within SHUTDOWN_MAX_MS.
  const done = io.close().catch((error: unknown) => logger.error({ err: error }, 'close failed'));
  const late = delay(SHUTDOWN_MAX_MS - SHUTDOWN_FLUSH_MS, undefined, { ref: false }).then(() => 'late' as const);
  const outcome = await Promise.race([done, late]);
  clearTimeout(cut);
  if (outcome === 'late') {
    httpServer.closeAllConnections();
    logger.warn('shutdown took too long; connections cut');
  }
  // Said before the heartbeat stops: our key outlives it by a node TTL, so no sweep misses it.
  await shutDownSaid;
  await stores.close();
  logger.info('closed');
}
