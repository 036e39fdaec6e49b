// A join the store admitted (join.ts): seated on its connection, answered and announced to
// the room; or, when its connection went while the store decided, undone as a departure
// (departure.ts).
import type { JoinAck, PeerInfo } from '../protocol/signaling.ts';
import type { Joiner } from './admission.ts';
import type { Departure } from './departure.ts';
import { peerInfo } from './membership.ts';
import {
  disconnectAllAt,
  disconnectOthersAt,
  leaveRoom,
  othersInRoom,
  type RoomServer,
  type RoomSocket,
} from './rooms.ts';
import type { SignalingDeps } from './signaling.ts';
import { stopWaiting } from './waiting.ts';

/** What the store said of an admitted join: everyone admitted, and whether it was seated as returning. */
export interface Admitted {
  members: PeerInfo[];
  returning: boolean;
}

export function createSeating(
  io: RoomServer,
  deps: Pick<SignalingDeps, 'config' | 'logger' | 'membership' | 'metrics' | 'resume' | 'ice' | 'isClosing'>,
  { departed }: Departure,
) {
  const { logger: log, membership, metrics } = deps;

  /** Admitted, but its connection went while the store decided: undone. */
  const gone = async (socket: RoomSocket, { roomId, peerId, name, resumed }: Joiner): Promise<void> => {
    // Gone while the store decided; its disconnect handler found no member to remove.
    await leaveRoom(socket, roomId, peerId);
    // A resumed entry was taken from the connection before the reload: cut it, as the
    // join would have (seat, below). Left, it stayed in the room and at the peer's address,
    // hearing the room and relaying signals as that peer, until its ping timeout.
    if (resumed !== undefined) disconnectAllAt(io, roomId, peerId);
    // The room knew a resumed id all along, and a member admitted meanwhile found this
    // one in its list: without a peer:left they would keep a ghost (a resumed entry was
    // taken from the connection before the reload, whose own disconnect finds it gone and
    // stays quiet). Not in our own shutdown, as in onDisconnect: the client comes back
    // with its ticket.
    if (deps.isClosing()) await membership.leave(roomId, peerId, socket.id);
    else await departed(socket, { roomId, peerId, name }, 'disconnect');
  };

  /** The member on its connection, which waits for no seat any more. */
  const seat = (socket: RoomSocket, { roomId, peerId, name, resumed }: Joiner): void => {
    Object.assign(socket.data, { roomId, peerId, name });
    stopWaiting(socket);
    // The connection before a reload: the store gave its entry to us, so its disconnect
    // (on any node) finds nothing to remove and stays quiet.
    if (resumed !== undefined) disconnectOthersAt(io, socket, roomId, peerId);
  };

  const answer = (respond: (response: JoinAck) => void, { roomId, peerId, name }: Joiner, members: PeerInfo[]) => {
    const grant = deps.ice(peerId);
    respond({
      ok: true,
      self: { id: peerId, name },
      resume: deps.resume.issue(roomId, peerId),
      // Everyone admitted; of each pair the client's peer-id rule picks who offers.
      peers: members.filter((m) => m.id !== peerId),
      iceServers: grant.iceServers,
      iceExpiresAt: grant.iceExpiresAt,
      maxVideoSenders: deps.config.maxVideoSenders,
    });
  };

  /** Seated, answered, and announced to the others. */
  const seated = (
    socket: RoomSocket,
    respond: (response: JoinAck) => void,
    joiner: Joiner,
    { members, returning }: Admitted,
  ): void => {
    const { roomId, peerId, name, keys } = joiner;
    const resumed = joiner.resumed !== undefined;
    seat(socket, joiner);
    answer(respond, joiner, members);
    metrics?.joinDuration((performance.now() - joiner.startedAt) / 1000);
    // Also for a resumed id: the others may have dropped it meanwhile; a known id is a no-op.
    othersInRoom(io, roomId, peerId).emit('peer:joined', {
      ...peerInfo(peerId, name, keys),
      ...(resumed && { resumed: true as const }),
    });
    metrics?.join(resumed ? 'resumed' : 'joined');
    log.info({ socketId: socket.id, roomId, peerId, resumed, returning }, 'peer joined');
  };

  return { gone, seated };
}
