// How an event reaches its handler: through the socket's one middleware, which screens it
// and runs the handler so that nothing it throws escapes into the event loop. Also the
// socket's 'error' listener, for what Socket.IO itself reports.
import { type ClientEvent, isClientEvent } from '../protocol/signaling.ts';
import { type Ack, type Connection, type Handler, idsOf, protocolError } from './connection.ts';
import type { Refusals } from './refusals.ts';
import type { RoomSocket } from './rooms.ts';
import type { SignalingDeps } from './signaling.ts';

export function createDispatch(
  deps: Pick<SignalingDeps, 'logger'>,
  { reject }: Refusals,
  handlers: Readonly<Record<ClientEvent, Handler>>,
) {
  const { logger: log } = deps;

  // Every event goes through here, the socket's one middleware: drop what arrives after a
  // cut-off, refuse unknown names and anything over the connection's event budget, then run
  // the event's handler. Dispatched here, not by a listener per event name on each socket:
  // five more names in a socket's listener table made it 540 bytes instead of 250, at
  // every socket (README, "Memory per socket"). `next` is never called, so Socket.IO emits
  // nothing of its own.
  const screen = (conn: Connection, packet: unknown[]) => {
    if (conn.guard?.isCut()) return;
    const [event] = packet;
    const last = packet.at(-1);
    const ack = typeof last === 'function' ? (last as Ack) : undefined;
    // The unknown name is the client's free text: not something to copy into our logs.
    if (!isClientEvent(event)) return reject(conn, '(unknown)', ack, protocolError('bad_request', 'unknown event'));
    if (conn.guard && !conn.guard.takeEvent()) {
      return reject(conn, event, ack, protocolError('rate_limited', 'too many events on this connection; slow down'));
    }
    // Marked now, not when the handler runs: a disconnect read right after it (a client that
    // leaves and closes in one write) fires before the next tick, and run() then drops the leave.
    const { data } = conn.socket;
    if (event === 'room:leave' && packet.length === 1 && data.peerId !== undefined) data.leaving = data.peerId;
    // In the next tick, as Socket.IO dispatches its own listeners.
    process.nextTick(run, conn, event, packet.slice(1), ack);
  };

  /** Runs the event's handler so that neither a throw nor a rejected promise escapes. */
  const run = (conn: Connection, event: ClientEvent, args: unknown[], ack: Ack | undefined): void => {
    // As Socket.IO's own dispatch: what arrived just before a disconnect is dropped.
    if (!conn.socket.connected) return;
    const fail = (error: unknown) => {
      log.error({ ...idsOf(conn.socket), event, err: error }, 'handler failed');
      reject(conn, event, ack, protocolError('internal', 'internal server error'));
    };
    try {
      const result = handlers[event](conn, args, ack);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };

  // Socket.IO reports middleware errors and packets it cannot parse as 'error'; without a
  // listener Node's EventEmitter would throw it as an uncaught exception. (A client's own
  // 'error' event never gets here: the middleware refuses it as unknown.) Both are the
  // client's doing, so the message is enough: no stack. (Run with --enable-source-maps, as
  // the server once was, the first stack formatted parsed the bundle's source map, which
  // stalled every room for 0.5–1.4 s on the loaded machine then (0.23 s on an idle one), on
  // demand of any client sending one bad packet.)
  function onError(this: RoomSocket, error: unknown): void {
    if (error instanceof Error) log.debug({ ...idsOf(this), reason: error.message }, 'socket error');
  }

  return { screen, onError };
}
