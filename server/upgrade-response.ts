// What Engine.IO leaves on a WebSocket's TCP socket for the connection's life, and we drop.
//
// Engine.IO hands each WebSocket upgrade to its middlewares (`io.engine.use`) with a stand-in
// response, and so that a middleware may wait for that response's 'close', it re-emits the
// TCP socket's 'close' through a once-listener. That listener keeps the response, and the
// response the upgrade request (its raw headers, parsed headers, stream state), until the
// connection ends: 1.9 KB of heap per socket, measured (bench/signaling/heap-profile.ts at
// 2,000 sockets: 12.8 KB a socket with it, 10.9 KB without). This server registers no
// Engine.IO middleware, so nothing listens on that response; the listener is dropped as soon
// as Engine.IO has taken the upgrade. (Socket.IO's documented saving, `request = null` on
// the Engine.IO connection, frees the request only for long-polling sessions because of it.)
import type { Duplex } from 'node:stream';

type Listener = (...args: unknown[]) => void;

/** The socket's 'close' listeners now, to tell afterwards which ones Engine.IO added. */
export function closeListeners(socket: Duplex): readonly Listener[] {
  return socket.rawListeners('close') as Listener[];
}

/**
 * Drops the response's re-emitting listener from a socket Engine.IO has just taken for an
 * upgrade (`before`: its 'close' listeners before Engine.IO saw it). That listener is the
 * first 'close' listener Engine.IO's upgrade adds (the response is made before anything else
 * looks at the request), registered with once(); ws's own comes after it and is a plain one.
 * Anything else is left alone, so a change in Engine.IO costs memory, never a listener
 * that matters (test/connection-memory.test.ts catches either).
 */
export function dropUpgradeResponseListener(socket: Duplex, before: readonly Listener[]): void {
  const added = (socket.rawListeners('close') as Listener[]).filter((listener) => !before.includes(listener));
  const first = added[0] as (Listener & { listener?: unknown }) | undefined;
  if (first !== undefined && typeof first.listener === 'function') socket.removeListener('close', first);
}
