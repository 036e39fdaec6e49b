// The page's one Socket.IO connection, as it is opened: every transport, each request with
// its room's routing key, Socket.IO's own reconnections; and how long an answer may take.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/index.ts';
import { RECONNECT_DELAY_MAX_MS } from '../protocol/limits.ts';
import { routeKey } from './route-key.ts';

/** How long a join or ICE refresh may take before we treat the connection as broken. */
export const ACK_TIMEOUT_MS = 8_000;

export type SignalingSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects at once, to `url`, or to the page's own origin when absent (tests in Node give one). */
export function openSocket(roomId: string, url: string | undefined): SignalingSocket {
  const manager = {
    // WebSocket first, long-polling if the upgrade is refused (some proxies and tunnels),
    // and the other way round when long-polling is what is broken: try every transport.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: 250,
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
    randomizationFactor: 0.3,
    // Every request of the connection carries its room's routing key (route-key.ts), not
    // the room id: a proxy in front of several nodes sends a room's members to one node
    // (deploy/nginx.conf.template hashes it), where their signals stay on the node.
    query: { route: routeKey(roomId) },
  };
  return url === undefined ? io(manager) : io(url, manager);
}
