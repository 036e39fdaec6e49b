// Builds the whole server — Express for the page, Socket.IO for signaling — without
// listening, and returns a handle that tests and server.ts can start and stop. The Express
// app is web.ts's and status-routes.ts's, the HTTP server http-server.ts's, the stores and
// Redis stores.ts's, the start listening.ts's and the shutdown shutdown.ts's.
import { randomBytes } from 'node:crypto';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server } from 'socket.io';
import { MAX_SOCKET_PAYLOAD_BYTES } from '../protocol/limits.ts';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../protocol/signaling.ts';
import { type AdapterEngine, createRedisLink, type RedisLink } from './adapter.ts';
import { redisTarget } from './cluster.ts';
import type { Config } from './config.ts';
import {
  type CutReason,
  DEFAULT_GUARD,
  type EngineConnection,
  type GuardSettings,
  guardConnection,
  guardOf,
} from './guard.ts';
import { createHttpServer, HTTP_TIMEOUTS, type HttpTimeouts } from './http-server.ts';
import { buildIceServers } from './ice.ts';
import { createListening } from './listening.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { checkOrigin } from './origin.ts';
import { clientAddress } from './proxy.ts';
import { createAddressLimits, createSocketLimiter, LIMITED_EVENTS } from './rate-limit.ts';
import { createResumeTokens } from './resume.ts';
import { createReturning } from './returning.ts';
import type { RoomServer } from './rooms.ts';
import { createShutdown } from './shutdown.ts';
import { createSignaling, type SignalingDeps } from './signaling.ts';
import { serveStatus } from './status-routes.ts';
import { createStores, type RedisHealth } from './stores.ts';
import { closeListeners, dropUpgradeResponseListener } from './upgrade-response.ts';
import { createWeb, serveFiles } from './web.ts';
import { GracefulWebSocketServer } from './websocket-server.ts';
import { attachWireLog } from './wire-log.ts';

/** Socket.IO's path (the default, unchanged here): Engine.IO takes every request under it. */
const ENGINE_PATH = '/socket.io/';
/** The one `handshake` every socket shares (see createApp). */
const NO_HANDSHAKE = Object.freeze({});

export interface AppOptions {
  logger?: Logger;
  /** Directory served at /, default ./public. */
  publicDir?: string;
  /** How long listen() waits for Redis before serving without it (default 3 s). */
  redisStartupWaitMs?: number;
  /** On close(), connections still open after this are cut (default 3 s). */
  shutdownGraceMs?: number;
  /** With Redis: which adapter carries rooms between nodes (the benchmark compares them). */
  adapterEngine?: AdapterEngine;
  /** With Redis: the membership store's node id and heartbeat (tests that play a dead node). */
  membershipNode?: { nodeId?: string; heartbeatMs?: number };
  /** Per-connection budgets (guard.ts); default DEFAULT_GUARD. */
  guard?: GuardSettings;
  /** Engine.IO's heartbeat (default Socket.IO's 25 s / 20 s); tests of silent connections shorten it. */
  heartbeat?: { pingIntervalMs: number; pingTimeoutMs: number };
  /** How long a WebSocket has to complete an upgrade (Engine.IO's default 10 s); tests shorten it. */
  upgradeTimeoutMs?: number;
  /** How long a resume ticket works (default resume.ts's TICKET_LIFETIME_MS). */
  ticketLifetimeMs?: number;
  /** How long after the start a member from before it gets its seat back over the cap (default returning.ts's RESTART_GRACE_MS). */
  restartGraceMs?: number;
  /** How long a client has to send a request's headers, and all of it (default HTTP_TIMEOUTS, http-server.ts); tests shorten them. */
  httpTimeouts?: HttpTimeouts;
}

export interface App {
  httpServer: HttpServer;
  io: RoomServer;
  /** The /metrics registry's metrics, for tests. */
  metrics: ReturnType<typeof createMetrics>;
  /** 'disabled' without REDIS_URL. */
  redisState(): RedisHealth;
  listen(): Promise<{ port: number; host: string }>;
  /** Graceful: tell every socket, refuse new joins, close within a few seconds. Idempotent. */
  close(): Promise<void>;
}

export function createApp(config: Config, options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger(config.logLevel);
  const startedAt = Date.now();

  if (config.secret === undefined) {
    logger.warn(
      'ROOMLINK_SECRET is not set: using a random key, so resume tokens will not survive a restart or work across nodes',
    );
  }
  const resume = createResumeTokens(
    config.secret ?? randomBytes(32),
    options.ticketLifetimeMs === undefined ? {} : { lifetimeMs: options.ticketLifetimeMs },
  );

  const { web, trust } = createWeb(config);

  let warnedForwarded = false;
  /** The client's address; warns once when a proxy seems to be in front but is not trusted. */
  const addressOf = (req: IncomingMessage): string => {
    if (!warnedForwarded && config.trustProxy === false && req.headers['x-forwarded-for'] !== undefined) {
      warnedForwarded = true;
      logger.warn(
        "requests carry X-Forwarded-For but TRUST_PROXY is off: per-address limits count the proxy's address; set TRUST_PROXY (e.g. loopback) behind a proxy you run",
      );
    }
    return clientAddress(req, trust);
  };

  const target = redisTarget(config);
  const redis: RedisLink | undefined =
    target !== undefined ? createRedisLink(target, logger, options.adapterEngine) : undefined;
  const lumped = tunnelLumpsAddresses(config);
  const addressLimits = createAddressLimits(lumped ? withoutAddressLimits(config) : config);
  if (lumped) {
    logger.warn(
      'with --tunnel every visitor arrives from this machine (the tunnel client connects locally): per-address rate limits (*_RATE_IP) are off, per-socket limits stay; set TRUST_PROXY only if the tunnel server appends X-Forwarded-For',
    );
  }
  const guardSettings = options.guard ?? DEFAULT_GUARD;
  const allowedOrigins = config.allowedOrigins;

  /**
   * Who may open a Socket.IO connection: null, or the reason it is refused (sent in the
   * 403's body). Decided once per request (a WebSocket handshake passes here twice: our
   * upgrade check, then Engine.IO's allowRequest), so it is counted once; a WebSocket that
   * upgrades a long-polling session passes our upgrade check only.
   */
  const decided = new WeakMap<IncomingMessage, string | null>();
  const refusalOf = (req: IncomingMessage): string | null => {
    const known = decided.get(req);
    if (known !== undefined) return known;
    let refusal: string | null = null;
    if (shutdown.isShuttingDown()) {
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

  const timeouts = options.httpTimeouts ?? HTTP_TIMEOUTS;
  const httpServer = createHttpServer(web, timeouts);
  const io: RoomServer = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(
    httpServer,
    {
      maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
      ...(options.heartbeat && {
        pingInterval: options.heartbeat.pingIntervalMs,
        pingTimeout: options.heartbeat.pingTimeoutMs,
      }),
      ...(options.upgradeTimeoutMs !== undefined && { upgradeTimeout: options.upgradeTimeoutMs }),
      // Long-polling first is Socket.IO's default; it gets through proxies and tunnels
      // that will not upgrade, and the client upgrades to WebSocket when it can.
      transports: ['polling', 'websocket'],
      // The client is bundled by esbuild; nothing to serve from /socket.io/socket.io.js.
      serveClient: false,
      // ws with a polite close bounded by the guard's grace (websocket-server.ts).
      wsEngine: GracefulWebSocketServer,
      // Called for each new connection (not for each poll of an open one): who may connect.
      allowRequest: (req, callback) => {
        const refusal = refusalOf(req);
        if (refusal === null) callback(null, true);
        else callback(refusal, false);
      },
      // Long-polling from an allowlisted origin needs CORS; same-origin needs nothing.
      ...(allowedOrigins.length > 0 && {
        cors: { origin: allowedOrigins.includes('*') ? true : allowedOrigins, credentials: false },
      }),
      ...(redis && { adapter: redis.adapter as never }),
    },
  );
  refuseWebSocketsWith403(httpServer, refusalOf);
  const metrics = createMetrics({
    io,
    ...(redis && { redisUp: () => (stores.redisState() === 'up' ? 1 : 0) }),
  });
  const stores = createStores({
    target,
    redis,
    io,
    logger,
    metrics,
    timeoutMs: config.clusterTimeoutMs,
    ticketLifetimeMs: resume.lifetimeMs,
    membershipNode: options.membershipNode,
  });
  const { redisState } = stores;
  const shutdown = createShutdown({ io, httpServer, stores, logger, graceMs: options.shutdownGraceMs });
  const listening = createListening({
    httpServer,
    config,
    stores,
    logger,
    redisStartupWaitMs: options.redisStartupWaitMs,
  });
  if (config.wireLog !== undefined) attachWireLog(config.wireLog, io, httpServer, logger);

  serveStatus(web, {
    config,
    startedAt,
    io,
    metrics,
    redisState,
    isShuttingDown: shutdown.isShuttingDown,
    addressOf,
  });
  serveFiles(web, { publicDir: options.publicDir, logger });

  const signalingDeps: SignalingDeps = {
    config,
    logger,
    resume,
    revocations: stores.revocations,
    ice: (peerId: string) => buildIceServers(config, peerId, Date.now()),
    isShuttingDown: shutdown.isShuttingDown,
    membership: stores.membership,
    returning: createReturning({
      issuedAt: resume.issuedAt,
      startedAt: listening.servingSince,
      ...(options.restartGraceMs !== undefined && { graceMs: options.restartGraceMs }),
    }),
    limiterFor: (socket) => createSocketLimiter(config, guardOf(socket.conn)?.address ?? '', addressLimits),
    guardFor: (socket, hooks) => {
      const guard = guardOf(socket.conn);
      guard?.attach(hooks);
      return guard;
    },
    metrics,
    // Only while Redis is up: while it is away a subscription waits for it to come back.
    ...(redis && {
      subscribed: (rooms) =>
        redis.state() === 'up' ? redis.subscribed(rooms, config.clusterTimeoutMs) : Promise.resolve(),
      // The adapter's link, which carries the question to the other nodes: up. Not the
      // membership store's write-back state (redisState, /healthz), which a single room's
      // late command marks 'down' until that room is written back; then every resume on this
      // node asked only its own sockets, and a replayed ticket could take the id of an owner
      // connected to another node, Redis up.
      othersReachable: () => redis.state() === 'up',
    }),
  };
  // Engine.IO keeps each session's first HTTP request (parser state, raw headers: about
  // 1 KB) for its whole life; all we need from it is the client's address, which the guard
  // keeps. Dropping the reference is Socket.IO's documented memory saving (socket.request is
  // then null, and socket.handshake.headers empty: nothing here reads them after this point).
  const onCut = (address: string, reason: CutReason): void => {
    metrics?.connectionCut(reason);
    addressLimits.connect.penalize(address, guardSettings.cutPenaltyMs);
  };
  io.engine.on('connection', (connection: { request: IncomingMessage | null }) => {
    const address = connection.request ? addressOf(connection.request) : '';
    connection.request = null;
    // Made with the Engine.IO connection, so that it counts packets before any namespace.
    guardConnection(connection as unknown as EngineConnection, address, guardSettings, onCut);
  });
  // Socket.IO builds every socket a `handshake` (its headers, query, URL, auth object and
  // the time as a string) for the application to read. Nothing here reads it (the address
  // is kept above), so every socket shares one empty record instead: ~0.3 KB a socket
  // (heap-profile.ts at 2,000 sockets), like Socket.IO's documented `request = null`.
  io.on('connection', (socket) => {
    (socket as { handshake: unknown }).handshake = NO_HANDSHAKE;
  });
  io.on('connection', createSignaling(io, signalingDeps));

  return { httpServer, io, metrics, redisState, listen: listening.listen, close: shutdown.close };
}

/**
 * Engine.IO answers a refused WebSocket handshake with 400 whatever the reason; a refusal
 * is a 403 (as for long-polling), with the reason as its body. Runs before Engine.IO's own
 * upgrade handler, which never sees a refused handshake. A WebSocket that comes to upgrade
 * an open session (sid) is counted the same way.
 */
function refuseWebSocketsWith403(httpServer: HttpServer, refusalOf: (req: IncomingMessage) => string | null): void {
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

/**
 * With --tunnel, localtunnel's client pipes visitors' requests through connections it opens
 * to this server from this machine: every visitor has this machine's address, and per-address limits would be one bucket for
 * all of them (one flooder's cut would refuse everyone's new connections). The tunnel's
 * X-Forwarded-For cannot stand in: a self-hosted localtunnel server sets none, so it is the
 * visitor's to write, and tunnel connections cannot be told from other local ones. Unless
 * TRUST_PROXY says whom to believe, per-address limits are off (per-socket ones stay).
 */
function tunnelLumpsAddresses(config: Config): boolean {
  return config.tunnel && config.trustProxy === false;
}

function withoutAddressLimits(config: Config): Config {
  const off = Object.fromEntries(Object.values(LIMITED_EVENTS).map((limit) => [limit.ip, null]));
  return { ...config, ...off, rateConnectIp: null };
}
