// The WebSocket server Engine.IO runs (its `wsEngine` option): ws, made as Engine.IO makes
// it, with one setting of its own. When the server closes a WebSocket politely (a session
// Engine.IO ended: a ping timeout, Socket.IO giving up on a client that never joined the
// namespace, an upgrade probe that failed), ws waits for the peer's close frame, reading and
// parsing whatever else it sends, for 30 s by default. A flooder simply never answers: found
// in the hostile bench, one flooded for the whole 30 s, unmetered (its session was over),
// while real joins slowed 6–14×. Here the wait is the guard's grace; then ws destroys the
// TCP socket. (This replaced a timer per ended session in the guard and a watch per upgrade
// in app.ts: ws's own timer is armed only by a close that is actually waiting.)
import { type ServerOptions, WebSocketServer } from 'ws';
import { CLOSE_GRACE_MS } from './guard.ts';

/** ws ≥ 8.21 reads `closeTimeout`; its type definitions do not list it yet. */
interface OptionsWithCloseTimeout extends ServerOptions {
  closeTimeout: number;
}

export class GracefulWebSocketServer extends WebSocketServer {
  constructor(options: ServerOptions) {
    const withTimeout: OptionsWithCloseTimeout = { ...options, closeTimeout: CLOSE_GRACE_MS };
    super(withTimeout);
  }
}
