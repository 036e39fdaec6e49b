// Pages refused from a full room wait outside it, each asking again on a growing backoff
// (client/join-retry.ts, up to 15 s apart): on its own, a seat freed after a long wait stayed
// empty for up to that long. So the refused connections of a room wait in a Socket.IO room
// of their own, its waiting list, and hear when a seat frees (a member left or was dropped,
// on any node: the broadcast goes through the adapter like peer:left). They ask at once,
// each after a small jitter and no sooner than a second after its last join (the page's
// pace, client/join-retry.ts): those who lose are refused again and wait again.
//
// A connection waits for one room at most: the one it was last refused from. It leaves the
// list once seated anywhere, and with its disconnect (Socket.IO empties a socket's rooms).
import type { RoomServer, RoomSocket } from './rooms.ts';

const PREFIX = 'waiting:';

/**
 * The waiting list of one chat room: like rooms.ts's roomAddress, a prefix no socket id (no ':'), no
 * chat room ('room:') and no peer address ('peer:') can fall into.
 */
export function waitingAddress(roomId: string): string {
  return `${PREFIX}${roomId}`;
}

// Neither waits for the adapter: a sharded one (un)subscribes with a round trip to Redis,
// which a join's answer need not wait for. A notice missed meanwhile costs only the wait the
// page would have waited anyway.

/** Off every waiting list but `keep` (seated now, or refused from another room). Most sockets are on none. */
export function stopWaiting(socket: RoomSocket, keep?: string): void {
  for (const room of socket.rooms) if (room.startsWith(PREFIX) && room !== keep) void socket.leave(room);
}

/**
 * On the waiting list of the room it was just refused from as full. Refused again, it stays
 * on it: left and entered again, a node's only waiter would unsubscribe and subscribe anew.
 */
export function waitForSeat(socket: RoomSocket, roomId: string): void {
  const address = waitingAddress(roomId);
  stopWaiting(socket, address);
  // Gone meanwhile: Socket.IO has emptied its rooms already, and a join now would never be
  // undone.
  if (socket.connected && !socket.rooms.has(address)) void socket.join(address);
}

/** Tells the room's waiting list, on every node, that a seat has freed. */
export function seatFreed(io: RoomServer, roomId: string): void {
  io.to(waitingAddress(roomId)).emit('room:seat-freed', { roomId });
}
