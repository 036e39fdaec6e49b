// Builds the whole server — Express for the page, Socket.IO for signaling — without
// listening, and returns a handle that tests and server.ts can start and stop.
// createApp only assembles the parts, one concept a file, each made once here: web.ts and
// status-routes.ts (the Express app), http-server.ts (the HTTP server and its timeouts),
// socket-server.ts (Socket.IO and its engine's options), connection-gate.ts (who may
// connect, and the 403 for a refused WebSocket), engine-connections.ts (each connection's
// guard), addresses.ts (the client's address and the limits counted by it), stores.ts (the
// membership and revocation stores, and Redis), listening.ts (the start) and shutdown.ts.
import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { type AdapterEngine, createRedisLink, type RedisLink } from './adapter.ts';
import { addressLimitsFor, createAddressOf } from './addresses.ts';
import { redisTarget } from './cluster.ts';
import type { Config } from './config.ts';
import { createConnectionGate, refuseWebSocketsWith403 } from './connection-gate.ts';
import { guardEachConnection } from './engine-connections.ts';
import { DEFAULT_GUARD, type GuardSettings, guardOf } from './guard.ts';
import { createHttpServer, HTTP_TIMEOUTS, type HttpTimeouts } from './http-server.ts';
import { buildIceServers } from './ice.ts';
import { createListening } from './listening.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { type AddressLimits, createSocketLimiter } from './rate-limit.ts';
import { createResumeTokens, type ResumeTokens } from './resume.ts';
import { createNewcomersWait, createReturning } from './returning.ts';
import type { RoomServer } from './rooms.ts';
import { createShutdown } from './shutdown.ts';
import { createSignaling, type SignalingDeps } from './signaling.ts';
import { createSocketServer } from './socket-server.ts';
import { serveStatus } from './status-routes.ts';
import { createStores, type RedisHealth, type Stores } from './stores.ts';
import { createWeb, serveFiles } from './web.ts';
import { attachWireLog } from './wire-log.ts';

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
  /**
   * How long after the start a member from before it gets its seat back over the cap, and (one
   * node with ROOMLINK_SECRET) a join without a ticket waits (default returning.ts's RESTART_GRACE_MS).
   */
  restartGraceMs?: number;
  /** How long a member gone without a goodbye keeps its seat (default departure.ts's SEAT_HOLD_MS). */
  seatHoldMs?: number;
  /** How long a client has to send a request's headers, and all of it (default HTTP_TIMEOUTS, http-server.ts); tests shorten them. */
  httpTimeouts?: HttpTimeouts;
}

export interface App {
  httpServer: HttpServer;
  io: RoomServer;
  /** The /metrics registry's metrics, for tests. */
  metrics: Metrics;
  /** 'disabled' without REDIS_URL. */
  redisState(): RedisHealth;
  listen(): Promise<{ port: number; host: string }>;
  /** Graceful: tell every socket, refuse new joins, close within a few seconds. Idempotent. */
  close(): Promise<void>;
}

export function createApp(config: Config, options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger(config.logLevel);
  const startedAt = Date.now();
  const resume = resumeTokensFor(config, options.ticketLifetimeMs, logger);
  const { web, trust } = createWeb(config);
  const addressOf = createAddressOf(config, trust, logger);
  const target = redisTarget(config);
  const redis = target !== undefined ? createRedisLink(target, logger, options.adapterEngine) : undefined;
  const addressLimits = addressLimitsFor(config, logger);
  const { allowedOrigins } = config;

  const httpServer = createHttpServer(web, options.httpTimeouts ?? HTTP_TIMEOUTS);
  // Socket.IO asks the gate, which counts in the metrics, which read Socket.IO; the metrics
  // also read the stores, which count in them. So the server and the metrics name parts made
  // after them, in functions called only once requests come in, when every part is made.
  const io = createSocketServer(httpServer, {
    allowedOrigins,
    refusalOf: (req) => refusalOf(req),
    redis,
    heartbeat: options.heartbeat,
    upgradeTimeoutMs: options.upgradeTimeoutMs,
  });
  const metrics = createMetrics({ io, ...(redis && { redisUp: () => (stores.redisState() === 'up' ? 1 : 0) }) });
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
  const shutdown = createShutdown({
    io,
    httpServer,
    stores,
    logger,
    graceMs: options.shutdownGraceMs,
    drainMs: config.shutdownDrainMs,
  });
  const { isShuttingDown } = shutdown;
  const refusalOf = createConnectionGate({ allowedOrigins, addressLimits, addressOf, isShuttingDown, metrics, logger });
  // Before anything else listens for upgrades: Engine.IO's listener is the one it wraps.
  refuseWebSocketsWith403(httpServer, refusalOf);
  if (config.wireLog !== undefined) attachWireLog(config.wireLog, io, httpServer, logger);

  const { redisState } = stores;
  serveStatus(web, { config, startedAt, io, metrics, redisState, isShuttingDown, addressOf });
  serveFiles(web, { publicDir: options.publicDir, logger });

  const listening = createListening({
    httpServer,
    config,
    stores,
    logger,
    redisStartupWaitMs: options.redisStartupWaitMs,
  });
  guardEachConnection(io, { addressOf, addressLimits, metrics, guardSettings: options.guard ?? DEFAULT_GUARD });
  const signalingDeps = signalingDepsFor({
    config,
    logger,
    resume,
    stores,
    metrics,
    addressLimits,
    redis,
    isShuttingDown,
    isClosing: shutdown.isClosing,
    servingSince: listening.servingSince,
    restartGraceMs: options.restartGraceMs,
    seatHoldMs: options.seatHoldMs ?? config.seatHoldMs,
  });
  io.on('connection', createSignaling(io, signalingDeps));

  return { httpServer, io, metrics, redisState, listen: listening.listen, close: shutdown.close };
}

function resumeTokensFor(config: Config, lifetimeMs: number | undefined, logger: Logger): ResumeTokens {
  if (config.secret === undefined) {
    logger.warn(
      'ROOMLINK_SECRET is not set: using a random key, so resume tokens will not survive a restart or work across nodes',
    );
  }
  return createResumeTokens(config.secret ?? randomBytes(32), lifetimeMs === undefined ? {} : { lifetimeMs });
}

interface SignalingParts {
  config: Config;
  logger: Logger;
  resume: ResumeTokens;
  stores: Stores;
  metrics: Metrics;
  addressLimits: AddressLimits;
  redis: RedisLink | undefined;
  isShuttingDown: () => boolean;
  isClosing: () => boolean;
  /** When listen() began serving (listening.ts): what returning.ts compares tickets with. */
  servingSince: () => number | null;
  restartGraceMs: number | undefined;
  seatHoldMs: number | undefined;
}

/** What the signaling handlers are given of the app's parts (signaling.ts SignalingDeps). */
function signalingDepsFor(parts: SignalingParts): SignalingDeps {
  const { config, logger, resume, stores, metrics, addressLimits, redis, isShuttingDown, restartGraceMs } = parts;
  return {
    config,
    logger,
    resume,
    revocations: stores.revocations,
    ice: (peerId: string) => buildIceServers(config, peerId, Date.now()),
    isShuttingDown,
    isClosing: parts.isClosing,
    membership: stores.membership,
    ...(parts.seatHoldMs !== undefined && { seatHoldMs: parts.seatHoldMs }),
    returning: createReturning({
      issuedAt: resume.issuedAt,
      startedAt: parts.servingSince,
      ...(restartGraceMs !== undefined && { graceMs: restartGraceMs }),
    }),
    // One node, whose members die with it, and tickets that outlive it (returning.ts).
    ...(config.secret !== undefined &&
      redis === undefined && {
        newcomersWait: createNewcomersWait({
          startedAt: parts.servingSince,
          ...(restartGraceMs !== undefined && { graceMs: restartGraceMs }),
        }),
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
}
