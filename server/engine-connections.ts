// What each new connection keeps, and what guards it: its guard (guard.ts) is made with the
// Engine.IO connection, from the address of its first request, and that request and
// Socket.IO's handshake record are let go. Owns no state: the guards are guard.ts's.
import type { IncomingMessage } from 'node:http';
import { type CutReason, type EngineConnection, type GuardSettings, guardConnection } from './guard.ts';
import type { Metrics } from './metrics.ts';
import type { AddressLimits } from './rate-limit.ts';
import type { RoomServer } from './rooms.ts';

/** The one `handshake` every socket shares (see keepLittlePerSocket). */
const NO_HANDSHAKE = Object.freeze({});

export interface ConnectionGuarding {
  addressOf: (req: IncomingMessage) => string;
  addressLimits: AddressLimits;
  metrics: Metrics;
  guardSettings: GuardSettings;
}

/** Guards each Engine.IO connection from its start, and keeps of each socket only what is read. */
export function guardEachConnection(io: RoomServer, deps: ConnectionGuarding): void {
  const { addressOf, addressLimits, metrics, guardSettings } = deps;
  const onCut = (address: string, reason: CutReason): void => {
    metrics.connectionCut(reason);
    addressLimits.connect.penalize(address, guardSettings.cutPenaltyMs);
  };
  // Engine.IO keeps each session's first HTTP request (parser state, raw headers: about
  // 1 KB) for its whole life; all we need from it is the client's address, which the guard
  // keeps. Dropping the reference is Socket.IO's documented memory saving (socket.request is
  // then null, and socket.handshake.headers empty: nothing here reads them after this point).
  io.engine.on('connection', (connection: { request: IncomingMessage | null }) => {
    const address = connection.request ? addressOf(connection.request) : '';
    connection.request = null;
    // Made with the Engine.IO connection, so that it counts packets before any namespace.
    guardConnection(connection as unknown as EngineConnection, address, guardSettings, onCut);
  });
  keepLittlePerSocket(io);
}

/**
 * Socket.IO builds every socket a `handshake` (its headers, query, URL, auth object and
 * the time as a string) for the application to read. Nothing here reads it (the address
 * is kept by the guard), so every socket shares one empty record instead: ~0.3 KB a socket
 * (heap-profile.ts at 2,000 sockets), like Socket.IO's documented `request = null`.
 */
function keepLittlePerSocket(io: RoomServer): void {
  io.on('connection', (socket) => {
    (socket as { handshake: unknown }).handshake = NO_HANDSHAKE;
  });
}
