// room:join: the membership store admits the member (the room's cap, its names), as a new
// peer or under the peer id its ticket takes back (resume-verdict.ts); then it is answered
// and announced to the room. One refused for a full room waits for a seat (waiting.ts).
import { nanoid } from 'nanoid';
import { PEER_ID_LENGTH } from '../protocol/limits.ts';
import { type Handler, protocolError } from './connection.ts';
import type { Departure } from './departure.ts';
import { createJoinChecks } from './join-request.ts';
import { type MemberClaim, peerInfo } from './membership.ts';
import type { Refusals } from './refusals.ts';
import type { ResumeVerdicts } from './resume-verdict.ts';
import { createResumptions, type Resumption } from './resumption.ts';
import {
  addressesOf,
  disconnectAllAt,
  disconnectOthersAt,
  enterRoom,
  leaveRoom,
  othersInRoom,
  type RoomServer,
} from './rooms.ts';
import type { SignalingDeps } from './signaling.ts';
import { stopWaiting, waitForSeat } from './waiting.ts';

export function createJoin(
  io: RoomServer,
  deps: Pick<
    SignalingDeps,
    'config' | 'logger' | 'membership' | 'metrics' | 'resume' | 'ice' | 'isShuttingDown' | 'returning' | 'subscribed'
  >,
  { reject, allowed }: Refusals,
  verdicts: ResumeVerdicts,
  { departed }: Departure,
): Handler {
  const { logger: log, membership, metrics } = deps;
  const checkedJoin = createJoinChecks(deps, { reject, allowed });
  const resumptionOf = createResumptions(deps, verdicts);

  const join: Handler = async (conn, args, ack) => {
    const startedAt = performance.now();
    // Charged before any check: a flood of malformed joins is a flood all the same.
    if (!allowed(conn, 'room:join', ack)) return;
    const checked = checkedJoin(conn, args, ack);
    if (checked === null) return;
    const { socket } = conn;
    const { request, respond } = checked;
    const { roomId, name, resume, keys } = request;
    const cap = deps.config.maxRoomSize;

    conn.joining = true;
    let resumption: Resumption | undefined;
    try {
      resumption = await resumptionOf(socket, roomId, resume);
      // The second of two joins with one ticket is told so, and how long the claim can
      // still stand: the page asks again meanwhile, keeping its ticket and name. (Told
      // name_taken with no suggestion, as it once was, a page whose claim was left behind by
      // a node that died mid-join renamed itself "Alice 2", "Alice 3"… and gave up.)
      if (resumption.busy) {
        return reject(conn, 'room:join', ack, {
          code: 'name_taken',
          message: 'another connection is taking this peer id back right now',
          retryAfterMs: resumption.endsWithinMs,
          resuming: true,
        });
      }
      const ticket = resumption.resumed;
      const resumed = ticket !== undefined;
      const peerId = resumed ? ticket.id : nanoid(PEER_ID_LENGTH);
      // In the Socket.IO rooms before the store decides: a member admitted right after us
      // announces itself to the room, and we must already be there to hear it.
      await enterRoom(socket, roomId, peerId);
      // ...and subscribed to them across nodes before the store admits us: from then on a
      // member joining on another node finds us in the member list and may signal us at
      // once. (Waited for alongside the admission, a signal published before this node's
      // subscription to our channel was in place went nowhere: the sharded adapter lost a
      // whole offer that way in the 10k benchmark.) Bounded by the cluster timeout.
      await deps.subscribed?.(addressesOf(roomId, peerId));
      const claim: MemberClaim = {
        peerId,
        name,
        socketId: socket.id,
        ...(keys ? { keys } : {}),
        ...(resumed && deps.returning?.(ticket) && { returning: true as const }),
      };
      const admitStartedAt = performance.now();
      const admission = await membership.admit(roomId, claim, cap);
      metrics?.admitDuration((performance.now() - admitStartedAt) / 1000);
      if (!admission.ok) {
        await leaveRoom(socket, roomId, peerId);
        if (admission.code === 'room_full') {
          log.info({ socketId: socket.id, roomId, peerId, cap }, 'join refused: room full');
          waitForSeat(socket, roomId);
          return reject(conn, 'room:join', ack, {
            ...protocolError('room_full', `this room already has ${cap} members`),
            maxRoomSize: cap,
          });
        }
        // Taken by our own earlier connection (a network change: the old one has not missed
        // its heartbeat yet, or its node did not answer): the same join, ticket and all, gets
        // the id and name back soon. The store says who holds the name: someone else's is
        // just taken, even while a node's silence kept us from our id.
        const { owner } = resumption;
        if (owner !== undefined && admission.code === 'name_taken' && admission.holder === owner.peerId) {
          return reject(conn, 'room:join', ack, {
            code: 'name_taken',
            message: 'your earlier connection still holds this name until it times out',
            suggestion: admission.suggestion,
            retryAfterMs: owner.retryAfterMs,
          });
        }
        return reject(conn, 'room:join', ack, {
          code: 'name_taken',
          message: 'someone in this room already uses that name',
          suggestion: admission.suggestion,
        });
      }
      if (!socket.connected) {
        // Gone while the store decided; its disconnect handler found no member to remove.
        await leaveRoom(socket, roomId, peerId);
        // A resumed entry was taken from the connection before the reload: cut it, as the
        // join would have (below). Left, it stayed in the room and at the peer's address,
        // hearing the room and relaying signals as that peer, until its ping timeout.
        if (resumed) disconnectAllAt(io, roomId, peerId);
        // The room knew a resumed id all along, and a member admitted meanwhile found this
        // one in its list: without a peer:left they would keep a ghost (a resumed entry was
        // taken from the connection before the reload, whose own disconnect finds it gone and
        // stays quiet). Not in our own shutdown, as in onDisconnect: the client comes back
        // with its ticket.
        if (deps.isShuttingDown()) await membership.leave(roomId, peerId, socket.id);
        else await departed(socket, { roomId, peerId, name }, 'disconnect');
        return;
      }
      Object.assign(socket.data, { roomId, peerId, name });
      stopWaiting(socket);
      // The connection before a reload: the store gave its entry to us, so its disconnect
      // (on any node) finds nothing to remove and stays quiet.
      if (resumed) disconnectOthersAt(io, socket, roomId, peerId);

      const grant = deps.ice(peerId);
      respond({
        ok: true,
        self: { id: peerId, name },
        resume: deps.resume.issue(roomId, peerId),
        // Everyone admitted; of each pair the client's peer-id rule picks who offers.
        peers: admission.members.filter((m) => m.id !== peerId),
        iceServers: grant.iceServers,
        iceExpiresAt: grant.iceExpiresAt,
        maxVideoSenders: deps.config.maxVideoSenders,
      });
      metrics?.joinDuration((performance.now() - startedAt) / 1000);
      // Also for a resumed id: the others may have dropped it meanwhile; a known id is a no-op.
      othersInRoom(io, roomId, peerId).emit('peer:joined', {
        ...peerInfo(peerId, name, keys),
        ...(resumed && { resumed: true as const }),
      });
      metrics?.join(resumed ? 'resumed' : 'joined');
      log.info({ socketId: socket.id, roomId, peerId, resumed, returning: claim.returning === true }, 'peer joined');
    } finally {
      conn.joining = false;
      resumption?.release();
    }
  };

  return join;
}
