// What a member in a room may ask besides leaving: relay a signal to another member of the
// room, rename itself, refresh its ICE credentials.
import { skeleton } from '../protocol/name-key.ts';
import { type IncomingSignal, parseOutgoingSignal, parseRenameRequest, type RenameAck } from '../protocol/signaling.ts';
import { type Handler, protocolError } from './connection.ts';
import type { Refusals } from './refusals.ts';
import { memberOf, othersInRoom, peerAddress, type RoomServer } from './rooms.ts';
import type { SignalingDeps } from './signaling.ts';

export function createMemberEvents(
  io: RoomServer,
  deps: Pick<SignalingDeps, 'membership' | 'metrics' | 'ice'>,
  { reject, allowed }: Refusals,
) {
  const { membership, metrics } = deps;

  const signal: Handler = (conn, args, ack) => {
    if (!allowed(conn, 'signal', ack)) return;
    const member = memberOf(conn.socket.data);
    if (!member) return reject(conn, 'signal', ack, protocolError('not_in_room', 'join a room before signaling'));
    if (args.length !== 1)
      return reject(conn, 'signal', ack, protocolError('bad_request', 'signal expects one payload and no ack'));
    const parsed = parseOutgoingSignal(args[0]);
    if (!parsed.ok) return reject(conn, 'signal', ack, parsed.error);
    const { to, description, candidate } = parsed.value;
    if (to === member.peerId) return; // to oneself: nothing to negotiate
    // Delivery by construction: the target address is built from the sender's own room, so
    // a signal can never reach a peer outside it; `from` is ours to stamp, never the client's.
    const delivered: IncomingSignal = { from: member.peerId };
    if (description) delivered.description = description;
    if (candidate) delivered.candidate = candidate;
    const address = peerAddress(member.roomId, to);
    // A peer id is held by one socket, on one node. On this node: delivered here, without a
    // round trip through Redis (some adapters deliver locally only after their publish).
    // Elsewhere (or nowhere): through the adapter, which reaches the node that holds it.
    const here = io.of('/').adapter.rooms.get(address);
    (here !== undefined && here.size > 0 ? io.local : io).to(address).emit('signal', delivered);
    metrics?.signalRelayed();
  };

  const rename: Handler = async (conn, args, ack) => {
    if (!allowed(conn, 'room:rename', ack)) return;
    if (args.length !== 2 || !ack) {
      return reject(conn, 'room:rename', ack, protocolError('bad_request', 'room:rename expects (request, ack)'));
    }
    // With the confusables, as a join's (join-request.ts).
    const parsed = parseRenameRequest(args[0], skeleton);
    if (!parsed.ok) return reject(conn, 'room:rename', ack, parsed.error);
    const { socket } = conn;
    const member = memberOf(socket.data);
    if (!member) return reject(conn, 'room:rename', ack, protocolError('not_in_room', 'join a room first'));
    const { name } = parsed.value;
    const renamed = await membership.rename(member.roomId, { peerId: member.peerId, name, socketId: socket.id });
    if (!renamed.ok) {
      if (renamed.code === 'not_in_room') {
        return reject(conn, 'room:rename', ack, protocolError('not_in_room', 'join a room first'));
      }
      return reject(conn, 'room:rename', ack, {
        code: 'name_taken',
        message: 'someone in this room already uses that name',
        suggestion: renamed.suggestion,
      });
    }
    if (memberOf(socket.data)?.peerId !== member.peerId) return; // left meanwhile
    socket.data.name = name;
    (ack as (response: RenameAck) => void)({ ok: true, name });
    othersInRoom(io, member.roomId, member.peerId).emit('peer:renamed', { id: member.peerId, name });
  };

  const iceRefresh: Handler = (conn, args, ack) => {
    if (!allowed(conn, 'ice:refresh', ack)) return;
    if (args.length !== 1 || !ack) {
      return reject(conn, 'ice:refresh', ack, protocolError('bad_request', 'ice:refresh expects (ack)'));
    }
    const member = memberOf(conn.socket.data);
    if (!member) return reject(conn, 'ice:refresh', ack, protocolError('not_in_room', 'join a room first'));
    const grant = deps.ice(member.peerId);
    (ack as (response: unknown) => void)({ ok: true, iceServers: grant.iceServers, iceExpiresAt: grant.iceExpiresAt });
  };

  return { signal, rename, iceRefresh };
}
