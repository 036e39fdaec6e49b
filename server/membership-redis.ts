// Membership across nodes, in Redis: one Lua script per change, so the cap, the name check
// and the write are one atomic step whatever the number of nodes, and a join costs one
// round trip (plus one fire-and-forget SADD), never a question to every node.
//
// This file is the store itself: its options, its operations, and the parts it is made of,
// each in a file of its own:
// - membership-keys.ts: the keys and the Lua scripts; membership-records.ts: a member's
//   record as the scripts take and give it.
// - membership-connection.ts: the connection, and a room's script run through it, within
//   the command timeout or not at all.
// - membership-resume-claims.ts: taking a peer id back with a ticket, one join at a time.
// - membership-liveness.ts: this node's heartbeat (on a thread of its own, heartbeat.ts;
//   membership-thread-reports.ts reads the thread's results), and when a missing key of
//   another node's means that node is dead.
// - membership-sweep.ts: a dead node's members removed and announced as left (onGone), and
//   a node swept while alive finding out; its members are announced as back (onBack). A
//   node that shuts down says so there first (markShutDown), for the sweeper's log.
// - membership-stale.ts and membership-write-back.ts: what Redis may have lost, and its
//   write-back.
// - membership-upkeep.ts: each heartbeat interval, the write-back and the sweeps.
//
// While Redis is away (or too slow) the node serves from its own members (`own` below,
// which mirrors every entry this node holds): the cap and names then cover this node only,
// until the write-back.
import { randomBytes } from 'node:crypto';
import { nameKeys } from '../protocol/name-key.ts';
import type { PeerInfo } from '../protocol/signaling.ts';
import type { RedisTarget } from './cluster.ts';
import type { Logger } from './logger.ts';
import {
  type AdmitResult,
  createRoomTable,
  type MembershipMode,
  type MembershipStore,
  type PeerHolder,
  type RenameResult,
} from './membership.ts';
import { openMembershipConnection } from './membership-connection.ts';
import { ADMIT, aliveKey, LEAVE, MEMBERS, membersKey, RENAME, roomsKey, storedNameKeys } from './membership-keys.ts';
import { HEARTBEAT_INTERVAL_MS, startLiveness } from './membership-liveness.ts';
import { admitArgs, nameTakenFrom, pairsToMembers } from './membership-records.ts';
import { createSharedResumeClaims } from './membership-resume-claims.ts';
import { createStaleRooms } from './membership-stale.ts';
import { createSweeps, NAME_HOLD_MS } from './membership-sweep.ts';
import { startUpkeep } from './membership-upkeep.ts';
import { createWriteBack } from './membership-write-back.ts';
import { createRoomGate } from './room-gate.ts';
import { deadline } from './timeout.ts';

export interface RedisMembershipOptions {
  target: RedisTarget;
  logger: Logger;
  /** A command not answered within this is served from this node's members. */
  timeoutMs: number;
  /** Members of a dead node were removed: tell their rooms. */
  onGone(roomId: string, peerIds: string[]): void;
  /** This node was swept while alive (it stalled); its members are written back: tell their rooms. */
  onBack(roomId: string, members: PeerInfo[]): void;
  /**
   * A member of this node whose peer id another connection took over while this node was
   * away from Redis (a resume on another node), found by the write-back: its entry stays
   * with that connection, and this one must be cut as a replaced connection is. Its own
   * disconnect then finds nothing of its own to remove, and nobody hears it left.
   */
  onReplaced?(roomId: string, peerId: string, socketId: string): void;
  /**
   * This node's members of these rooms were written back after Redis was unreachable for them
   * (membership-write-back.ts): the rooms are to be made whole (room-mending.ts).
   */
  onWrittenBack?(roomIds: string[]): void;
  /** A decision was taken from this node's members only (metrics). */
  onFallback?(): void;
  /** Default: random. Tests pin it to play a node that died. */
  nodeId?: string;
  /** Default HEARTBEAT_INTERVAL_MS (the node TTL is three of them). */
  heartbeatMs?: number;
  /** How long a swept member's name is held for it (default NAME_HOLD_MS). */
  nameHoldMs?: number;
}

export interface RedisMembership extends MembershipStore {
  readonly nodeId: string;
  /** This node's members of the room, as this node holds them (whatever Redis says). */
  membersHere(roomId: string): PeerInfo[];
  /** Resolves once connected (or after timeoutMs); true if connected. */
  ready(timeoutMs: number): Promise<boolean>;
  /** Whether the heartbeat thread beats (before it does, and while it is restarted, this thread beats). */
  beatsOnItsThread(): boolean;
  /**
   * When this node last began the long window it waits after an outage or a lapse of its own
   * before taking another node for dead (null outside it): what a test counts from.
   */
  longWindowSince(): number | null;
  /**
   * This node stops on purpose (shutdown.ts): the node that sweeps it logs a shutdown, at info,
   * not a lapse, at warn (membership-sweep.ts). Call before close(), while its key is alive.
   * Resolves within timeoutMs, whatever Redis does; unsaid, the sweep logs a lapse.
   */
  markShutDown(): Promise<void>;
}

export function createRedisMembership(options: RedisMembershipOptions): RedisMembership {
  const { logger, timeoutMs, onGone, onBack } = options;
  const log = logger.child({ component: 'membership' });
  const nodeId = options.nodeId ?? randomBytes(8).toString('hex');
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS;
  /** This node's members: the mirror written back after an outage, and the fallback. */
  const own = createRoomTable();
  const gate = createRoomGate();
  /** A room's operation, after its write-back if one is under way (null: not in time). */
  const inTurn = <T>(roomId: string, operation: () => Promise<T>) => gate.inTurn(roomId, timeoutMs, operation);
  let closed = false;
  /** Where Redis may not hold what this node holds: written back by the upkeep. */
  const stale = createStaleRooms();
  const connection = openMembershipConnection({
    target: options.target,
    log,
    timeoutMs,
    stale,
    closed: () => closed,
  });
  const { redis, ask, quietly } = connection;
  const resumeClaims = createSharedResumeClaims(connection, timeoutMs);
  const reconcile = createWriteBack({
    connection,
    nodeId,
    own,
    gate,
    stale,
    log,
    onReplaced: options.onReplaced,
    onWrittenBack: options.onWrittenBack,
  });
  const sweeps = createSweeps({ connection, nodeId, nameHoldMs: options.nameHoldMs ?? NAME_HOLD_MS, onGone, log });
  const liveness = startLiveness({
    target: options.target,
    connection,
    nodeId,
    heartbeatMs,
    stale,
    log,
    closed: () => closed,
  });
  const upkeep = startUpkeep({ connection, nodeId, heartbeatMs, liveness, sweeps, reconcile, stale, own, onBack, log });

  const fallback = (roomId: string) => {
    // A failed ask marked the room already, saying why; a wait for the room's turn (its
    // write-back under way) that ran out is only late.
    stale.mark(roomId, 'late');
    options.onFallback?.();
  };

  return {
    nodeId,
    membersHere: (roomId) => own.members(roomId),
    beatsOnItsThread: () => liveness.onItsThread(),
    longWindowSince: () => liveness.longWindowSince(),
    async admit(roomId, claim, cap): Promise<AdmitResult> {
      const reply = await inTurn(roomId, () => ask(ADMIT, roomId, admitArgs(claim, nodeId, cap, false)));
      if (!Array.isArray(reply)) {
        fallback(roomId);
        return own.admit(roomId, claim, cap);
      }
      if (reply[0] === 'room_full') return { ok: false, code: 'room_full' };
      if (reply[0] === 'name_taken') return nameTakenFrom(reply, claim.name);
      own.put(roomId, claim);
      void quietly('sadd', roomId, redis.sAdd(roomsKey(nodeId), roomId));
      return { ok: true, members: pairsToMembers(reply[1]) };
    },
    async rename(roomId, claim): Promise<RenameResult> {
      const reply = await inTurn(roomId, () =>
        ask(RENAME, roomId, [claim.peerId, claim.socketId, claim.name, storedNameKeys(nameKeys(claim.name))]),
      );
      if (!Array.isArray(reply)) {
        fallback(roomId);
        return own.rename(roomId, claim);
      }
      if (reply[0] === 'not_in_room') return { ok: false, code: 'not_in_room' };
      if (reply[0] === 'name_taken') return nameTakenFrom(reply, claim.name);
      own.renamed(roomId, claim);
      return { ok: true };
    },
    async leave(roomId, peerId, socketId, holdMs = 0) {
      const mine = own.leave(roomId, peerId, socketId, holdMs);
      if (mine && own.members(roomId).length === 0) void quietly('srem', roomId, redis.sRem(roomsKey(nodeId), roomId));
      const reply = await inTurn(roomId, () => ask(LEAVE, roomId, [peerId, socketId, String(holdMs)]));
      if (typeof reply !== 'number') {
        fallback(roomId);
        return mine;
      }
      // Nobody holds it in Redis, but this socket held it here: Redis lost it (restarted, its
      // room not written back yet), and the member is gone all the same.
      return reply === 1 || (reply === -1 && mine);
    },
    ...resumeClaims,
    async members(roomId) {
      const reply = await ask(MEMBERS, roomId, []);
      return Array.isArray(reply) ? pairsToMembers(reply) : own.members(roomId);
    },
    async holder(roomId, peerId): Promise<PeerHolder | null> {
      // Redis's view is the room's only while it is in step with this node's.
      if (!connection.up() || stale.has(roomId)) return null;
      try {
        const record = await deadline(redis.hGet(membersKey(roomId), peerId), timeoutMs);
        if (record === null) return { at: 'none' };
        const [node = '', socketId = ''] = record.split('\t');
        if (node === nodeId) return { at: 'here', socketId };
        // A node that stopped beating (stalled, or dead and not yet swept) answers nothing.
        return { at: 'node', alive: (await deadline(redis.exists(aliveKey(node)), timeoutMs)) === 1 };
      } catch {
        return null;
      }
    },
    async markShutDown() {
      if (!connection.up()) return;
      try {
        await deadline(sweeps.markShutDown(), timeoutMs);
      } catch (error) {
        log.debug(
          { err: error instanceof Error ? { message: error.message } : undefined },
          'membership: shutdown unsaid',
        );
      }
    },
    mode: (): MembershipMode => (redis.isReady && !stale.any() ? 'shared' : 'degraded'),
    async ready(waitMs) {
      const deadline = Date.now() + waitMs;
      while (!redis.isReady && Date.now() < deadline && !closed) await new Promise((r) => setTimeout(r, 10));
      if (redis.isReady) {
        // The heartbeat thread's connection comes up on its own: its first beat, then upkeep.
        // The first beat here: the heartbeat thread starts and connects in its own time.
        await liveness.beatHere();
        await upkeep.maintain();
      }
      return redis.isReady;
    },
    async close() {
      closed = true;
      upkeep.stop();
      liveness.close();
      connection.close();
    },
  };
}
