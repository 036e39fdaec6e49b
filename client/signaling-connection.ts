// The connection's ups and downs. Connected (again), we join (again: with our resume ticket,
// our peer id back). Lost, the page is told we are reconnecting, unless the server closed it
// itself: shutting down (back at once), cut off for sending too much (back once it lets us),
// or, otherwise, because another tab took our place, for good.
import { parseCutNotice } from '../protocol/server-events.ts';
import type { SignalingJoin } from './signaling-join.ts';
import type { SignalingPage } from './signaling-page.ts';
import type { Refusals } from './signaling-refusals.ts';
import type { JoinRetry } from './signaling-retry.ts';
import type { SignalingRoom } from './signaling-room.ts';
import type { SignalingSocket } from './signaling-socket.ts';
import { mark } from './timeline.ts';

/** After the server says it is shutting down, wait this long before reconnecting. */
const SHUTDOWN_RECONNECT_MS = 300;
/** Added to a cut's wait, drawn at random: pages cut together (a server's false alarm) come back apart. */
const CUT_JITTER_MS = 1_000;

export interface ConnectionOptions {
  socket: SignalingSocket;
  /** The page closed the connection (Signaling.close). */
  left(): boolean;
  heard: SignalingPage['heard'];
  room: Pick<SignalingRoom, 'out'>;
  joining: Pick<SignalingJoin, 'join' | 'lost' | 'joinedOnce'>;
  refusals: Pick<Refusals, 'connected'>;
  retry: Pick<JoinRetry, 'cancel'>;
  malformed(event: string): void;
  /** A connection attempt failed (the first settles Signaling.firstAttempt). */
  attempted(): void;
}

export function watchConnection(options: ConnectionOptions): void {
  const { socket, left, heard, room, joining, refusals, retry, malformed, attempted } = options;
  let shuttingDown = false;
  /** The server said it is cutting this connection off: how long until we may connect again. */
  let cutRetryMs: number | null = null;

  socket.on('connect', () => {
    mark('socket-connected');
    shuttingDown = false;
    cutRetryMs = null;
    refusals.connected();
    retry.cancel(); // joined now instead
    if (!left()) joining.join();
  });
  socket.on('disconnect', (reason) => {
    // A join on its way is lost with the connection, and the next connection joins afresh.
    joining.lost();
    retry.cancel();
    heard((handlers) => {
      room.out();
      if (left()) return;
      if (reason === 'io server disconnect') {
        if (shuttingDown) {
          setTimeout(() => socket.connect(), SHUTDOWN_RECONNECT_MS);
          handlers.onStatus('reconnecting');
        } else if (cutRetryMs !== null) {
          // Cut off (server:cut came first): Socket.IO does not reconnect after a server's
          // disconnect, and the server refuses our address until the wait is over.
          setTimeout(() => !left() && socket.connect(), cutRetryMs + Math.random() * CUT_JITTER_MS);
          cutRetryMs = null;
          handlers.onStatus('cut');
        } else {
          // Otherwise the server disconnects a socket itself only when another tab resumed our id.
          handlers.onStatus('replaced');
        }
        return;
      }
      handlers.onStatus('reconnecting');
    });
  });
  socket.on('connect_error', () => {
    attempted();
    heard((handlers) => {
      if (!left() && joining.joinedOnce()) handlers.onStatus('reconnecting');
    });
  });
  socket.on('server:shutdown', () => {
    shuttingDown = true;
  });
  socket.on('server:cut', (raw) => {
    const notice = parseCutNotice(raw);
    if (notice === null) return malformed('server:cut');
    cutRetryMs = notice.retryAfterMs;
  });
}
