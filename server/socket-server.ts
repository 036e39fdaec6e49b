// The Socket.IO server on the shared HTTP server, with its engine's options: payload size,
// heartbeat, transports, the WebSocket engine, who may connect (connection-gate.ts), CORS
// for allowlisted origins, and the Redis adapter when there is one. Owns no state of its own.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { MAX_SOCKET_PAYLOAD_BYTES } from '../protocol/limits.ts';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../protocol/signaling.ts';
import type { RedisLink } from './adapter.ts';
import type { Config } from './config.ts';
import type { RefusalOf } from './connection-gate.ts';
import type { RoomServer } from './rooms.ts';
import { GracefulWebSocketServer } from './websocket-server.ts';

export interface SocketServerSettings {
  allowedOrigins: Config['allowedOrigins'];
  /** Asked for each new connection (connection-gate.ts). */
  refusalOf: RefusalOf;
  /** Carries rooms between nodes; without it, Socket.IO's in-memory adapter. */
  redis: RedisLink | undefined;
  /** Engine.IO's heartbeat (default Socket.IO's 25 s / 20 s). */
  heartbeat: { pingIntervalMs: number; pingTimeoutMs: number } | undefined;
  /** How long a WebSocket has to complete an upgrade (default Engine.IO's 10 s). */
  upgradeTimeoutMs: number | undefined;
}

export function createSocketServer(httpServer: HttpServer, settings: SocketServerSettings): RoomServer {
  const { allowedOrigins, refusalOf, redis, heartbeat, upgradeTimeoutMs } = settings;
  return new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer, {
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    ...(heartbeat && {
      pingInterval: heartbeat.pingIntervalMs,
      pingTimeout: heartbeat.pingTimeoutMs,
    }),
    ...(upgradeTimeoutMs !== undefined && { upgradeTimeout: upgradeTimeoutMs }),
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
  });
}
