// A room split while Redis was away made whole again. Meanwhile each node admitted from its
// own members (membership-redis.ts), and what it announced reached its own sockets only: a
// member who joined on one node never heard of those who joined on another, nor they of it,
// and each half took itself for the whole room. Redis back, each node writes its members
// back (membership-write-back.ts) and then, here, makes the halves meet:
// - it announces its members of each room written back to the room, on every node, as a
//   join is announced (peer:joined);
// - it asks the other nodes (serverSideEmit 'rooms:written-back') to announce theirs, which
//   reach its own members the same way.
// Each goes once this node's adapter link is whole again (every shard, every subscription),
// which may come after the membership store's connection: sent before, it would be lost. Of
// two nodes, the one whose link came back last announces and asks when the other already
// hears it, and the other's answer reaches it: whatever the order, both halves meet. Every
// room written back is announced, also one whose members are all on this node (nobody new
// to tell them then): to know, a node would have to ask the others, and the one that asks
// first cannot know yet. A member already known to a page is announced again: the page
// knows that id, and a known id is a no-op there (client/mesh.ts peerJoined), no second
// "joined".
//
// The ask waits for an answer from every node alive (the adapter counts the nodes that hear
// it); a node answers once it has announced its members. Unanswered (lost in a second
// failover right after the first, or a node whose link is not whole yet), it is made again,
// with this node's own announcement, once the link is whole, up to ASKS_PER_ROOM times in
// all: until 2026-12-08 it went once, and a lost ask left the halves apart for good.
//
// A node answers with a name of its own (one per process), so the asker knows who answered.
// In a rolling upgrade the nodes from before answers were asked for never answer, and each
// ask waited its 5 s and was made again, ASKS_PER_ROOM announcement storms for every room,
// and ended in a warning that halves may stay apart, though those nodes had announced. So
// an ask that every node that answered the one before answered too is not made again: the
// nodes that did not answer did not answer that one either (an older version, likely, which
// announces all the same). The first ask a node makes has no ask before it: made again once.
import { randomUUID } from 'node:crypto';
import { isRoomId, type PeerInfo } from '../protocol/signaling.ts';
import type { RedisLink } from './adapter.ts';
import type { Logger } from './logger.ts';
import { othersInRoom, type RoomServer } from './rooms.ts';

/** How often a write-back waiting for the adapter link looks again. */
const LINK_POLL_MS = 200;
/** Room ids per ask to the other nodes: one message stays small after an outage of many rooms. */
const ROOMS_PER_ASK = 1_000;
/** How many times a room written back is announced and asked for, at most, until every node answers. */
export const ASKS_PER_ROOM = 5;
/** After an ask not answered by every node, the wait before the next (which also waits for the link). */
const ASK_AGAIN_MS = 1_000;
/**
 * Past this an ask counts as unanswered whatever the adapter said: the adapters wait 5 s for
 * every node's answer, and the classic one says nothing at all when it could not count the
 * nodes (its own error is swallowed).
 */
const ANSWER_TIMEOUT_MS = 6_000;

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
  /** Written back here, not announced yet, and how many asks each has had: announced, and the other nodes asked for theirs. */
  const toAsk = new Map<string, number>();
  /** Asked by another node, not answered yet: announced only (an answer asks nothing back). */
  const toAnswer = new Set<string>();
  /** The other nodes' asks, answered once their rooms are announced. */
  const answers: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  /** This node's name in its answers. */
  const self = randomUUID();
  /** The nodes that answered the last ask whose answers came (by name); undefined before the first. */
  let lastAnswerers: ReadonlySet<string> | undefined;

  /** This node's members of the room, to everyone else in it on every node; false if it has none. */
  const announceHere = (roomId: string): boolean => {
    const members = membersHere(roomId);
    for (const member of members) othersInRoom(io, roomId, member.id).emit('peer:joined', member);
    return members.length > 0;
  };

  const flushIn = (ms: number): void => {
    timer = setTimeout(flush, ms);
    timer.unref();
  };
  /** Asks the other nodes for these rooms; those not answered by every node are asked again later. */
  const ask = (rooms: ReadonlyArray<readonly [string, number]>): void => {
    askOtherNodes(
      io,
      rooms.map(([roomId]) => roomId),
      (answered, responses) => {
        if (closed) return;
        const answerers = responses === undefined ? undefined : namesIn(responses);
        const before = lastAnswerers;
        if (answerers !== undefined) lastAnswerers = answerers;
        if (answered) return;
        if (answerers !== undefined && before !== undefined && [...before].every((node) => answerers.has(node))) {
          log.info(
            { rooms: rooms.length, answered: answerers.size },
            'membership: rooms written back and announced; the nodes that did not answer did not answer the ask before either (an older version?): not asked again',
          );
          return;
        }
        const again = rooms.filter(([, asks]) => asks + 1 < ASKS_PER_ROOM);
        if (again.length < rooms.length) {
          log.warn(
            { rooms: rooms.length - again.length, asks: ASKS_PER_ROOM },
            'membership: rooms written back, not every node answered; their halves may stay apart until members rejoin',
          );
        }
        for (const [roomId, asks] of again) toAsk.set(roomId, Math.max(asks + 1, toAsk.get(roomId) ?? 0));
        if (again.length > 0 && !waiting()) flushIn(ASK_AGAIN_MS);
      },
    );
  };

  /** Announces what waits once the link is whole (sent before, it would be lost), else looks again in a while. */
  const flush = (): void => {
    timer = undefined;
    if (closed || toAsk.size + toAnswer.size + answers.length === 0) return;
    if (link.state() !== 'up' || !link.whole()) {
      flushIn(LINK_POLL_MS);
      return;
    }
    const asking = [...toAsk].filter(([roomId]) => announceHere(roomId));
    for (const roomId of toAnswer) if (!toAsk.has(roomId)) announceHere(roomId);
    toAsk.clear();
    toAnswer.clear();
    for (const answer of answers.splice(0)) answer();
    for (let start = 0; start < asking.length; start += ROOMS_PER_ASK) ask(asking.slice(start, start + ROOMS_PER_ASK));
    if (asking.length > 0)
      log.info({ rooms: asking.length }, 'membership: members written back, announced to their rooms');
  };
  const waiting = (): boolean => timer !== undefined;

  io.on('rooms:written-back', (roomIds: unknown, answer?: unknown) => {
    if (!Array.isArray(roomIds)) return;
    for (const roomId of roomIds) if (isRoomId(roomId)) toAnswer.add(roomId);
    // A node from before answers were asked for sends none.
    if (typeof answer === 'function') answers.push(() => answer(self));
    if (!waiting()) flush();
  });

  return {
    writtenBack(roomIds) {
      for (const roomId of roomIds) toAsk.set(roomId, 0);
      if (!waiting()) flush();
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/** The nodes' names among their answers (a node of 2026-12-08 answered `true`: not named). */
function namesIn(responses: readonly unknown[]): Set<string> {
  return new Set(responses.filter((response): response is string => typeof response === 'string'));
}

/**
 * Asks every other node to announce its members of these rooms; `done(true)` once each node
 * alive answered, `done(false)` if one did not in time or the ask could not go out (the count
 * of nodes fails while a shard is down), with the answers that came when the adapter gave
 * them (not when the ask failed, nor past ANSWER_TIMEOUT_MS). Through the adapter itself:
 * the namespace's serverSideEmit drops the promise that fails then, and it would reject
 * unhandled.
 */
function askOtherNodes(
  io: RoomServer,
  roomIds: string[],
  done: (answered: boolean, responses: readonly unknown[] | undefined) => void,
): void {
  let said = false;
  const say = (answered: boolean, responses?: readonly unknown[]): void => {
    if (said) return;
    said = true;
    clearTimeout(timeout);
    done(answered, responses);
  };
  const timeout = setTimeout(() => say(false), ANSWER_TIMEOUT_MS);
  timeout.unref();
  const asked: unknown = io
    .of('/')
    .adapter.serverSideEmit([
      'rooms:written-back',
      roomIds,
      (error: unknown, responses: unknown) =>
        say(error === null || error === undefined, Array.isArray(responses) ? responses : undefined),
    ]);
  if (asked instanceof Promise) asked.catch(() => say(false));
}
