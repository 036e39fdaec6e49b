// Builds the whole server — Express for the page, Socket.IO for signaling — without
// listening, and returns a handle that tests and server.ts can start and stop.
import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Server } from 'socket.io';
import { MAX_SOCKET_PAYLOAD_BYTES } from '../protocol/limits.ts';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../protocol/signaling.ts';
import type { Config } from './config.ts';
import { buildIceServers } from './ice.ts';
import { createLogger, type Logger } from './logger.ts';
import { createResumeTokens } from './resume.ts';
import { createJoinClock, type RoomServer } from './rooms.ts';
import { registerSignalingHandlers } from './signaling.ts';
import { attachWireLog } from './wire-log.ts';

/** Time for 'server:shutdown' to reach the clients before their connections close. */
const SHUTDOWN_FLUSH_MS = 100;
/** After this, connections still open (a stuck request) are cut. */
const SHUTDOWN_GRACE_MS = 3_000;

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));
const NORMALIZE_CSS = createRequire(import.meta.url).resolve('normalize.css/normalize.css');

export interface AppOptions {
  logger?: Logger;
  /** Directory served at /, default ./public. */
  publicDir?: string;
}

export interface App {
  httpServer: HttpServer;
  io: RoomServer;
  listen(): Promise<{ port: number; host: string }>;
  /** Graceful: tell every socket, refuse new joins, close within a few seconds. Idempotent. */
  close(): Promise<void>;
}

export function createApp(config: Config, options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger(config.logLevel);
  const startedAt = Date.now();
  let shuttingDown = false;
  let closing: Promise<void> | undefined;

  if (config.secret === undefined) {
    logger.warn(
      'ROOMLINK_SECRET is not set: using a random key, so resume tokens will not survive a restart or work across nodes',
    );
  }
  const resume = createResumeTokens(config.secret ?? randomBytes(32));

  const web = express();
  web.disable('x-powered-by');
  web.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // blob: for images and files received over the data channel.
          'img-src': ["'self'", 'data:', 'blob:'],
          // The page is often reached over plain http on a LAN address; upgrading its
          // subresources to https there would break it.
          'upgrade-insecure-requests': null,
        },
      },
      // TLS, when there is any, is the tunnel's or the proxy's business, not ours.
      strictTransportSecurity: false,
    }),
  );

  const httpServer = createServer(web);
  const io: RoomServer = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(
    httpServer,
    {
      maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
      // Long-polling first is Socket.IO's default; it gets through proxies and tunnels
      // that will not upgrade, and the client upgrades to WebSocket when it can.
      transports: ['polling', 'websocket'],
      // The client is bundled by esbuild; nothing to serve from /socket.io/socket.io.js.
      serveClient: false,
    },
  );
  if (config.wireLog !== undefined) attachWireLog(config.wireLog, io, httpServer);

  web.get('/healthz', (_req, res) => {
    res.status(shuttingDown ? 503 : 200).json({
      status: shuttingDown ? 'shutting_down' : 'ok',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      sockets: io.engine.clientsCount,
      shuttingDown,
    });
  });
  web.get('/vendor/normalize.css', (_req, res, next) => {
    res.sendFile(NORMALIZE_CSS, (error) => error && next(error));
  });
  web.use(express.static(options.publicDir ?? PUBLIC_DIR));
  web.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  // Malformed URLs (bad percent-encoding) arrive here as 400s; nothing reaches the default
  // handler, which would print a stack trace to the client in development mode.
  web.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const status = httpStatusOf(error);
    if (status >= 500) logger.error({ err: error, path: req.path }, 'http request failed');
    if (res.headersSent) return next(error);
    res.status(status).type('text/plain').send(status < 500 ? 'Bad request\n' : 'Internal error\n');
  });

  const joinClock = createJoinClock();
  const signalingDeps = {
    config,
    logger,
    resume,
    ice: (peerId: string) => buildIceServers(config, peerId, Date.now()),
    isShuttingDown: () => shuttingDown,
    joinClock,
  };
  io.on('connection', (socket) => registerSignalingHandlers(io, socket, signalingDeps));

  return {
    httpServer,
    io,
    listen() {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          logger.info({ host: address.address, port: address.port }, 'listening');
          resolve({ port: address.port, host: address.address });
        });
      });
    },
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        if (io.engine.clientsCount > 0) {
          io.emit('server:shutdown');
          await delay(SHUTDOWN_FLUSH_MS);
        }
        const cut = setTimeout(() => httpServer.closeAllConnections(), SHUTDOWN_GRACE_MS);
        cut.unref();
        // Disconnects every socket, closes the engine, then the HTTP server.
        await io.close();
        clearTimeout(cut);
        logger.info('closed');
      })();
      return closing;
    },
  };
}

function httpStatusOf(error: unknown): number {
  const status =
    typeof error === 'object' && error !== null && 'status' in error ? (error as { status: unknown }).status : 500;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
