// A room on this node's Socket.IO side: the room itself (peer:joined, peer:left and
// peer:renamed are emitted to it) and one personal address per peer (signals are emitted
// to it, so a signal can only reach a peer of the sender's own room). Who is a member — the
// cap, the names, the member list — is the membership store's (membership.ts), not this.
//
// A socket is in no other room (but see disconnectOthersAt, and waiting.ts: a connection
// refused from a full room waits on its waiting list): Socket.IO puts each in a room
// named by its id, and every socket leaves it at once (leaveOwnRoom), because the personal
// address is what reaches a member, on any node, across reloads. That room cost 0.20 KB a socket (heap-profile.ts at
// 2,000 sockets). What Socket.IO builds on it is not used here: `socket.to()` and
// `socket.broadcast` (which leave out the sender by that room; we leave out its personal
// address instead; lint/no-socket-to.grit refuses them in server/), the methods of a RemoteSocket from fetchSockets() (emit, join,
// disconnect: its data and id are all we read), and connection state recovery (off here:
// with it on, every socket.emit goes through that room, and would be lost).
import type { Server, Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../protocol/signaling.ts';

export type RoomServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RoomSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface Member {
  roomId: string;
  peerId: string;
  name: string;
}

/** The socket's membership if socket.data describes one, else null. */
export function memberOf(data: Partial<SocketData> | undefined): Member | null {
  if (!data) return null;
  const { roomId, peerId, name } = data;
  if (roomId === undefined || peerId === undefined || name === undefined) return null;
  return { roomId, peerId, name };
}

/**
 * The Socket.IO room of one chat room. Socket.IO puts every socket in a private room named
 * by its socket id (left at once here, but kept by a socket that took over an earlier one),
 * which uses the same alphabet as room ids: a bare room id chosen by a client could name
 * someone else's private room. The prefix puts chat rooms in a namespace
 * no socket id (no ':') and no peer address ('peer:') can fall into.
 */
export function roomAddress(roomId: string): string {
  return `room:${roomId}`;
}

/** The personal Socket.IO room of one peer: signals are delivered by emitting to it. */
export function peerAddress(roomId: string, peerId: string): string {
  return `peer:${roomId}:${peerId}`;
}

/** The Socket.IO rooms a member is in: the room and its personal address. */
export function addressesOf(roomId: string, peerId: string): string[] {
  return [roomAddress(roomId), peerAddress(roomId, peerId)];
}

/** Joins the room and the personal address (before admission: see admission.ts). */
export async function enterRoom(socket: RoomSocket, roomId: string, peerId: string): Promise<void> {
  await socket.join(addressesOf(roomId, peerId));
}

/** Leaves the room and the personal address; clears the membership on socket.data. */
export async function leaveRoom(socket: RoomSocket, roomId: string, peerId: string): Promise<void> {
  await socket.leave(roomAddress(roomId));
  await socket.leave(peerAddress(roomId, peerId));
  delete socket.data.roomId;
  delete socket.data.peerId;
  delete socket.data.name;
}

/**
 * Everyone in the room but this peer (on every node): what `socket.to(room)` meant before
 * sockets left their own-id room, addressed by the peer's personal address instead.
 */
export function othersInRoom(io: RoomServer, roomId: string, peerId: string) {
  return io.to(roomAddress(roomId)).except(peerAddress(roomId, peerId));
}

/** Out of the room Socket.IO made for this socket's id (see above); called on connection. */
export function leaveOwnRoom(socket: RoomSocket): void {
  void socket.leave(socket.id);
}

/**
 * Disconnects every other connection at this peer's personal address, on every node: the
 * one before a reload, whose membership the store has just given to `socket`. `socket` is
 * left out by its own room, which it goes back into for good: the Redis adapter applies the
 * disconnect on this node too only when its request comes back from Redis, and reads
 * `except` then. (So a connection that took over an earlier one keeps that room's 0.20 KB;
 * most connections never do.)
 */
export function disconnectOthersAt(io: RoomServer, socket: RoomSocket, roomId: string, peerId: string): void {
  void socket.join(socket.id);
  const others = (server: RoomServer | RoomServer['local']) =>
    server.in(peerAddress(roomId, peerId)).except(socket.id).disconnectSockets(true);
  // This node's first, at once: the Redis adapter only publishes the request, and while
  // Redis is away it never comes back to this node either.
  others(io.local);
  others(io);
}

/**
 * Disconnects every connection at this peer's personal address, on every node: after a
 * resumed join whose own connection dropped while the store admitted it (it has left the
 * address), the connection before the reload, whose entry the store had given to it.
 */
export function disconnectAllAt(io: RoomServer, roomId: string, peerId: string): void {
  const address = peerAddress(roomId, peerId);
  // As disconnectOthersAt: this node's at once, the others' through the adapter.
  io.local.in(address).disconnectSockets(true);
  io.in(address).disconnectSockets(true);
}

/**
 * Disconnects this node's socket `socketId` if it is still this peer's: a connection whose
 * entry the store found held by another connection once this node could hear of it (after
 * a Redis outage), cut as disconnectOthersAt cuts the connection before a reload.
 */
export function disconnectReplaced(io: RoomServer, roomId: string, peerId: string, socketId: string): void {
  const socket = io.of('/').sockets.get(socketId);
  if (socket?.data.roomId === roomId && socket.data.peerId === peerId) socket.disconnect(true);
}
