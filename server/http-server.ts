// The HTTP server that Express and Socket.IO share, and how long a client has to send it a
// request (HTTP_TIMEOUTS). Owns no state: the server it makes is the app's (app.ts).
import { createServer, type Server as HttpServer, type RequestListener } from 'node:http';

export interface HttpTimeouts {
  headersMs: number;
  requestMs: number;
  /** How often Node looks for connections past them. */
  checkEveryMs: number;
}

/**
 * A browser sends a request's headers at once and our requests have small bodies (a
 * long-polling POST of at most a socket payload), so a client still sending its headers
 * after 10 s, or its request after 30, is holding a connection, not using it (Node's defaults
 * are 60 s and 300 s, checked every 30 s). The response is not limited: a long-polling GET
 * waits for its answer up to Socket.IO's ping interval. A proxy in front (deploy/nginx.conf)
 * has its own.
 */
export const HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 30_000, checkEveryMs: 2_000 };

export function createHttpServer(web: RequestListener, timeouts: HttpTimeouts): HttpServer {
  return createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
    web,
  );
}
