// A room split while Redis was away made whole again. Meanwhile each node admitted from its
// own members (membership-redis.ts), and what it announced reached its own sockets only: a
// member who joined on one node never heard of those who joined on another, nor they of it,
// and each half took itself for the whole room. Redis back, each node writes its members
// back (membership-write-back.ts) and then, here, makes the halves meet:
// - it announces its members of each room written back to the room, on every node, as a
//   join is announced (peer:joined);
// - it asks the other nodes (serverSideEmit 'rooms:written-back') to announce theirs, which
//   reach its own members the same way.
// Each goes once this node's adapter link is up again (every shard), which may come after the
// membership store's connection: sent before, it would be lost. Of two nodes, the one whose
// link came back last announces and asks when the other already hears it, and the other's
// answer reaches it: whatever the order, both halves meet. Every room written back is
// announced, also one whose members are all on this node (nobody new to tell them then): to
// know, a node would have to ask the others, and the one that asks first cannot know yet.
// A member already known to a page is announced again: the page knows that id, and a known
// id is a no-op there (client/mesh.ts peerJoined), no second "joined".
import { isRoomId, type PeerInfo } from '../protocol/signaling.ts';
import type { RedisLink } from './adapter.ts';
import type { Logger } from './logger.ts';
import { othersInRoom, type RoomServer } from './rooms.ts';

/** How often a write-back waiting for the adapter link looks again. */
const LINK_POLL_MS = 200;
/** Room ids per ask to the other nodes: one message stays small after an outage of many rooms. */
const ROOMS_PER_ASK = 1_000;

export interface RoomMendingDeps {
  io: RoomServer;
  link: Pick<RedisLink, 'state' | 'whole'>;
  /** This node's members of a room (the membership store's own view). */
  membersHere(roomId: string): PeerInfo[];
  log: Logger;
}

export interface RoomMending {
  /** This node's members of these rooms were written back to Redis: the rooms are to be made whole. */
  writtenBack(roomIds: readonly string[]): void;
  close(): void;
}

export function startRoomMending(deps: RoomMendingDeps): RoomMending {
  const { io, link, membersHere, log } = deps;
  /** Written back here, not announced yet: announced, and the other nodes asked for theirs. */
  const toAsk = new Set<string>();
  /** Asked by another node, not answered yet: announced only (an answer asks nothing back). */
  const toAnswer = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  /** This node's members of the room, to everyone else in it on every node; false if it has none. */
  const announceHere = (roomId: string): boolean => {
    const members = membersHere(roomId);
    for (const member of members) othersInRoom(io, roomId, member.id).emit('peer:joined', member);
    return members.length > 0;
  };

  /** Announces what waits once the link is up (sent before, it would be lost), else looks again in a while. */
  const flush = (): void => {
    timer = undefined;
    if (closed || toAsk.size + toAnswer.size === 0) return;
    if (link.state() !== 'up' || !link.whole()) {
      timer = setTimeout(flush, LINK_POLL_MS);
      timer.unref();
      return;
    }
    const asking = [...toAsk].filter(announceHere);
    for (const roomId of toAnswer) if (!toAsk.has(roomId)) announceHere(roomId);
    toAsk.clear();
    toAnswer.clear();
    for (let start = 0; start < asking.length; start += ROOMS_PER_ASK) {
      io.serverSideEmit('rooms:written-back', asking.slice(start, start + ROOMS_PER_ASK));
    }
    if (asking.length > 0)
      log.info({ rooms: asking.length }, 'membership: members written back, announced to their rooms');
  };
  const waiting = (): boolean => timer !== undefined;

  io.on('rooms:written-back', (roomIds: unknown) => {
    if (!Array.isArray(roomIds)) return;
    for (const roomId of roomIds) if (isRoomId(roomId)) toAnswer.add(roomId);
    if (!waiting()) flush();
  });

  return {
    writtenBack(roomIds) {
      for (const roomId of roomIds) toAsk.add(roomId);
      if (!waiting()) flush();
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
