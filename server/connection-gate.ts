// Who may open a Socket.IO connection (refusalOf: shutting down, origin, the address's
// connection budget), and the 403 a refused WebSocket gets (refuseWebSocketsWith403).
// Owns each request's decision, so that a request is decided, and counted, once.
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { checkOrigin } from './origin.ts';
import type { AddressLimits } from './rate-limit.ts';
import { closeListeners, dropUpgradeResponseListener } from './upgrade-response.ts';

/** Socket.IO's path (the default, unchanged here): Engine.IO takes every request under it. */
const ENGINE_PATH = '/socket.io/';

/** null, or the reason a connection is refused (sent in the 403's body). */
export type RefusalOf = (req: IncomingMessage) => string | null;

export interface GateDeps {
  allowedOrigins: Config['allowedOrigins'];
  addressLimits: AddressLimits;
  addressOf: (req: IncomingMessage) => string;
  isShuttingDown: () => boolean;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Who may open a Socket.IO connection: null, or the reason it is refused (sent in the
 * 403's body). Decided once per request (a WebSocket handshake passes here twice: our
 * upgrade check, then Engine.IO's allowRequest), so it is counted once; a WebSocket that
 * upgrades a long-polling session passes our upgrade check only.
 */
export function createConnectionGate(deps: GateDeps): RefusalOf {
  const { allowedOrigins, addressLimits, addressOf, isShuttingDown, metrics, logger } = deps;
  const decided = new WeakMap<IncomingMessage, string | null>();
  return (req) => {
    const known = decided.get(req);
    if (known !== undefined) return known;
    let refusal: string | null = null;
    if (isShuttingDown()) {
      metrics.connectionRefused('shutting_down');
      refusal = 'shutting down';
    } else if (checkOrigin(req, allowedOrigins) === 'forbidden') {
      metrics.connectionRefused('origin');
      logger.debug({ origin: req.headers.origin?.slice(0, 200) }, 'connection refused: origin');
      refusal = 'origin not allowed';
    } else if (!addressLimits.connect.take(addressOf(req))) {
      metrics.connectionRefused('rate_limited');
      metrics.rateLimited('connect', 'ip');
      refusal = 'rate_limited';
    }
    decided.set(req, refusal);
    return refusal;
  };
}

/**
 * Engine.IO answers a refused WebSocket handshake with 400 whatever the reason; a refusal
 * is a 403 (as for long-polling), with the reason as its body. Runs before Engine.IO's own
 * upgrade handler, which never sees a refused handshake. A WebSocket that comes to upgrade
 * an open session (sid) is counted the same way. Call once Socket.IO is attached, before
 * anything else listens for upgrades.
 */
export function refuseWebSocketsWith403(httpServer: HttpServer, refusalOf: RefusalOf): void {
  const engineHandlers = httpServer.listeners('upgrade') as Array<(...args: unknown[]) => void>;
  httpServer.removeAllListeners('upgrade');
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The request target as the client wrote it: anything at all (`//a:99999/`, `//[`), so
    // nothing here parses it as a URL (new URL() throws, and a throw in this listener ends
    // the process). Engine.IO takes every target that starts with its path (its attach()
    // compares the prefix, whatever follows it): a new connection's WebSocket, and also one
    // that comes to upgrade a long-polling session. Each costs the address a connection.
    // Engine.IO asks allowRequest for the first kind only, and a session may be upgraded
    // again and again (each attempt a WebSocket whose failed probe is closed politely, and
    // read until the grace of websocket-server.ts is over).
    const target = req.url ?? '/';
    const counted = target.startsWith(ENGINE_PATH);
    const refusal = counted ? refusalOf(req) : null;
    if (refusal === null) {
      const before = counted ? closeListeners(socket) : [];
      for (const handler of engineHandlers) handler.call(httpServer, req, socket, head);
      if (counted) dropUpgradeResponseListener(socket, before);
      return;
    }
    socket.on('error', () => {});
    const body = `Forbidden: ${refusal}\n`;
    socket.end(
      `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}
