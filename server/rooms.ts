// Room membership, kept in Socket.IO rooms rather than in a Map of our own, so that the
// same code works across nodes once an adapter (Redis) is plugged in: a room's members are
// whatever io.in(roomAddress(roomId)).fetchSockets() returns, each described by its socket.data.
//
// Admission must hold the cap under concurrent joins, also across nodes. The order that
// does (measured, see MACHINE.md): JOIN FIRST, THEN read membership, THEN decide. Of two
// racing joins the one that reads last sees both, and ranking by (joinedAt, peerId) makes
// every reader agree on who came first; the loser leaves again. Reading before joining
// lets both see a free seat and both get in.
import type { Server, Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  InterServerEvents,
  PeerInfo,
  ServerToClientEvents,
  SocketData,
} from '../protocol/signaling.ts';

export type RoomServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RoomSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface Member {
  roomId: string;
  peerId: string;
  name: string;
  joinedAt: number;
  /** The join was decided in its favour (absent while it is being decided). */
  admitted?: boolean;
}

/** The socket's membership if socket.data describes one, else null. */
export function memberOf(data: Partial<SocketData> | undefined): Member | null {
  if (!data) return null;
  const { roomId, peerId, name, joinedAt } = data;
  if (roomId === undefined || peerId === undefined || name === undefined || joinedAt === undefined) {
    return null;
  }
  const member: Member = { roomId, peerId, name, joinedAt };
  if (data.admitted === true) member.admitted = true;
  return member;
}

/**
 * The Socket.IO room of one chat room. Socket.IO keeps every socket in a private room named
 * by its socket id, which uses the same alphabet as room ids: a bare room id chosen by a
 * client could name someone else's private room. The prefix puts chat rooms in a namespace
 * no socket id (no ':') and no peer address ('peer:') can fall into.
 */
export function roomAddress(roomId: string): string {
  return `room:${roomId}`;
}

/** The personal Socket.IO room of one peer: signals are delivered by emitting to it. */
export function peerAddress(roomId: string, peerId: string): string {
  return `peer:${roomId}:${peerId}`;
}

// ---------------------------------------------------------------------------------------
// Pure ranking logic (unit-tested without sockets).

/**
 * One entry per peer id, in admission order (joinedAt, then peerId). A peer id held by
 * several sockets (a resumed tab and the ghost of its old connection) keeps its earliest
 * joinedAt, so resuming never costs a peer its seat.
 */
export function rankMembers(members: readonly Member[]): Member[] {
  const byPeer = new Map<string, Member>();
  for (const m of members) {
    const seen = byPeer.get(m.peerId);
    if (!seen || m.joinedAt < seen.joinedAt) byPeer.set(m.peerId, m);
  }
  return [...byPeer.values()].sort(
    (a, b) => a.joinedAt - b.joinedAt || (a.peerId < b.peerId ? -1 : a.peerId > b.peerId ? 1 : 0),
  );
}

/** Whether peerId holds one of the first `cap` seats (false if it is not a member at all). */
export function isAdmitted(members: readonly Member[], peerId: string, cap: number): boolean {
  const rank = rankMembers(members).findIndex((m) => m.peerId === peerId);
  return rank >= 0 && rank < cap;
}

/**
 * The peers a newcomer is told about: the members ranked before it, decided or not (they
 * rank inside the cap, so they get in). Those ranked after it learn of it from its
 * peer:joined, as it learns of them from theirs. So of every pair exactly one side finds the
 * other in its join ack, and that side makes the first offer; the other waits for it. When
 * "admitted members" were listed instead, two concurrent joiners could each miss the other
 * in their acks, both wait, and the link started only on the client's 3 s fallback.
 */
export function peersBefore(
  members: readonly Member[],
  self: Pick<Member, 'peerId' | 'joinedAt'>,
  cap: number,
): PeerInfo[] {
  // A resumed peer is placed by this join, not by the connection it replaces (whose older
  // stamp keeps its seat for admission): everyone now in the room is before it.
  const current = members.filter((m) => m.peerId !== self.peerId || m.joinedAt === self.joinedAt);
  const ranked = rankMembers(current).slice(0, cap);
  const position = ranked.findIndex((m) => m.peerId === self.peerId);
  if (position < 0) return [];
  return ranked.slice(0, position).map((m) => ({ id: m.peerId, name: m.name }));
}

/** Whether any socket other than the one leaving still holds peerId (then: no peer:left). */
export function peerStillPresent(members: readonly Member[], peerId: string): boolean {
  return members.some((m) => m.peerId === peerId);
}

/**
 * Across nodes, stamps must follow real time closely: a join that starts after another
 * node's read of the room must rank after the reader. Milliseconds tie too often between
 * two nodes on one Redis (a round trip is well under one), so nodes stamp in microseconds
 * (a fractional ms) and bump a tie by one microsecond, not by a whole millisecond.
 */
export function createHiResJoinClock(): () => number {
  return createJoinClock(() => performance.timeOrigin + performance.now(), 0.001);
}

/**
 * A strictly increasing clock for joinedAt: two joins on this node in the same millisecond
 * still get distinct, ordered stamps, so ranking never falls back to the peer id for them.
 */
export function createJoinClock(now: () => number = Date.now, step = 1): () => number {
  let last = 0;
  return () => {
    last = Math.max(now(), last + step);
    return last;
  };
}

// ---------------------------------------------------------------------------------------
// Socket.IO side.

/** The members among some sockets of a room, read from their socket.data. */
export function membersOf(sockets: ReadonlyArray<{ data: Partial<SocketData> }>, roomId: string): Member[] {
  const members: Member[] = [];
  for (const s of sockets) {
    const m = memberOf(s.data);
    if (m && m.roomId === roomId) members.push(m);
  }
  return members;
}

/** Members of a room as every node sees them (cluster.ts bounds this across nodes). */
export type FetchMembers = (roomId: string) => Promise<Member[]>;

/** Leaves the room and the personal address; clears the membership on socket.data. */
export async function leaveRoom(socket: RoomSocket, member: Member): Promise<void> {
  await socket.leave(roomAddress(member.roomId));
  await socket.leave(peerAddress(member.roomId, member.peerId));
  delete socket.data.roomId;
  delete socket.data.peerId;
  delete socket.data.name;
  delete socket.data.joinedAt;
  delete socket.data.admitted;
}

export type Admission = { admitted: true; members: Member[] } | { admitted: false };

/**
 * Puts the socket in the room and decides, in that order (see the top of this file).
 * On refusal the socket is out of the room again and socket.data is cleared.
 */
export async function admit(
  fetchMembers: FetchMembers,
  socket: RoomSocket,
  member: Omit<Member, 'joinedAt'>,
  cap: number,
  stamp: () => number,
): Promise<Admission> {
  // Stamp, describe and join in one synchronous step: on this node, stamp order is then
  // join order, which is what makes the ranking agree with what each reader could see.
  const joined: Member = { ...member, joinedAt: stamp() };
  Object.assign(socket.data, joined);
  const joining = [socket.join(roomAddress(joined.roomId)), socket.join(peerAddress(joined.roomId, joined.peerId))];
  await Promise.all(joining);
  const members = await fetchMembers(joined.roomId);
  if (isAdmitted(members, joined.peerId, cap)) {
    // Synchronously after the read: a node answering another's read sees us either still
    // deciding or decided, never half-way.
    socket.data.admitted = true;
    return { admitted: true, members };
  }
  await leaveRoom(socket, joined);
  return { admitted: false };
}
