// Membership across nodes, in Redis: one Lua script per change, so the cap, the name check
// and the write are one atomic step whatever the number of nodes, and a join costs one
// round trip (plus one fire-and-forget SADD), never a question to every node.
//
// The keys and the scripts are membership-keys.ts's.
//
// A node that dies stops refreshing its `alive` key. Every node looks each second; the first
// to see a node's key gone takes a short lock, marks the node swept, removes its entries room
// by room and announces them as left (onGone). So a dead node's members are gone within
// NODE_TTL_MS + SWEEP_INTERVAL_MS.
//
// The heartbeat runs on a thread of its own (heartbeat.ts), so a main thread that is only
// busy (a storm's signals relayed in one long loop iteration, a long GC: 4-6 s measured at
// 10k sockets on two nodes, where the others used to take the node for dead mid-storm and
// its rooms heard every member leave and come back) keeps its key. The thread stops beating
// when the main thread has not run for MAIN_SILENCE_TTLS node TTLs: one stuck for good is
// dead. A node frozen whole (SIGSTOP, a suspended VM) or stuck that long looks dead from
// outside and is swept while its members may still be connected to it. Each heartbeat reads
// whether the key was there (heartbeat.ts's BEAT): an expired key means this node may have
// been taken for dead. It then waits for a sweep of it to end (the lock), and if it was swept
// (the mark) writes its members back and announces them as back (onBack: peer:joined,
// resumed) to the rooms that were told they left. The sweeper checks the node's key again
// once it holds the lock, so a node back before that is not swept, and one back after waits
// for the sweep to finish.
//
// A missing key means a dead node only if that node could have written it. Every `alive`
// key lives in one hash slot ({nodes}), so all heartbeats go to one shard, and a node
// sweeps others only once its own heartbeats have succeeded for a whole NODE_TTL_MS: the
// shard was up that long for everyone. Without that, a failover of the shard (a Cluster
// master killed, its replica promoted a few seconds later) or a Redis restart lets every
// key expire, and the first node back would remove the members of nodes that are alive
// and tell their rooms they left. After a heartbeat of its own failed, a node waits longer
// (RECOVERY_TTLS): the other nodes' clients find the promoted master each in their own
// time, and one still looking for it is alive, not dead.
//
// While Redis is away (or too slow) the node serves from its own members (the table below,
// which mirrors every entry this node holds): the cap and names then cover this node only.
// When Redis answers again, the node writes its members back (a restarted Redis is empty)
// and removes the entries it no longer holds; after a single command timed out, only in that
// room. An entry another node or socket took over meanwhile (a resume elsewhere) is not
// overwritten: this node's connection for it is cut instead.
import { randomBytes } from 'node:crypto';
import { nameKey } from '../protocol/name-key.ts';
import type { PeerInfo } from '../protocol/signaling.ts';
import type { RedisTarget } from './cluster.ts';
import type { Logger } from './logger.ts';
import {
  type AdmitResult,
  createRoomTable,
  type MembershipMode,
  type MembershipStore,
  type PeerHolder,
  peerInfo,
  type RenameResult,
} from './membership.ts';
import { openMembershipConnection } from './membership-connection.ts';
import { ADMIT, aliveKey, LEAVE, MEMBERS, membersKey, NODES_KEY, RENAME, roomsKey } from './membership-keys.ts';
import { HEARTBEAT_INTERVAL_MS, startLiveness } from './membership-liveness.ts';
import { admitArgs, nameTakenFrom, pairsToMembers } from './membership-records.ts';
import { createSharedResumeClaims } from './membership-resume-claims.ts';
import { createStaleRooms } from './membership-stale.ts';
import { createSweeps, NAME_HOLD_MS } from './membership-sweep.ts';
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
  /** Resolves once connected (or after timeoutMs); true if connected. */
  ready(timeoutMs: number): Promise<boolean>;
  /** Whether the heartbeat thread beats (before it does, and while it is restarted, this thread beats). */
  beatsOnItsThread(): boolean;
  /**
   * When this node last began the long window it waits after an outage or a lapse of its own
   * before taking another node for dead (null outside it): what a test counts from.
   */
  longWindowSince(): number | null;
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
  const reconcile = createWriteBack({ connection, nodeId, own, gate, stale, log, onReplaced: options.onReplaced });
  const sweeps = createSweeps({ connection, nodeId, nameHoldMs: options.nameHoldMs ?? NAME_HOLD_MS, onGone, log });

  const fallback = (roomId: string) => {
    stale.mark(roomId);
    options.onFallback?.();
  };

  const store: RedisMembership = {
    nodeId,
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
        ask(RENAME, roomId, [claim.peerId, claim.socketId, claim.name, nameKey(claim.name)]),
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
    async leave(roomId, peerId, socketId) {
      const mine = own.leave(roomId, peerId, socketId);
      if (mine && own.members(roomId).length === 0) void quietly('srem', roomId, redis.sRem(roomsKey(nodeId), roomId));
      const reply = await inTurn(roomId, () => ask(LEAVE, roomId, [peerId, socketId]));
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
    mode: (): MembershipMode => (redis.isReady && !stale.any() ? 'shared' : 'degraded'),
    async ready(waitMs) {
      const deadline = Date.now() + waitMs;
      while (!redis.isReady && Date.now() < deadline && !closed) await new Promise((r) => setTimeout(r, 10));
      if (redis.isReady) {
        // The heartbeat thread's connection comes up on its own: its first beat, then upkeep.
        // The first beat here: the heartbeat thread starts and connects in its own time.
        await liveness.beatHere();
        await maintain();
      }
      return redis.isReady;
    },
    async close() {
      closed = true;
      clearInterval(timer);
      liveness.close();
      connection.close();
    },
  };

  const liveness = startLiveness({
    target: options.target,
    connection,
    nodeId,
    heartbeatMs,
    stale,
    log,
    closed: () => closed,
  });
  /** It was swept: once its members are written back, their rooms hear they are back. */
  let swept = false;

  let maintaining = false;
  /** Each heartbeat interval: come back from a sweep, write back what is stale, sweep dead nodes. */
  const maintain = async (): Promise<void> => {
    if (maintaining || !connection.up() || !liveness.beating()) return;
    maintaining = true;
    try {
      await redis.sAdd(NODES_KEY, nodeId);
      if (liveness.lapsed()) {
        const found = await sweeps.ofThisNode();
        if (found === 'under way') return;
        if (found === 'swept') {
          swept = true;
          stale.mark();
        }
        liveness.lapseHandled();
      }
      if (stale.any()) await reconcile();
      if (swept) {
        // Every member it holds was removed and announced as left (a member that joined
        // since was announced as joined: once more is harmless, as for any resume).
        swept = false;
        let count = 0;
        for (const [roomId, claims] of own.entries()) {
          onBack(
            roomId,
            claims.map((claim) => peerInfo(claim.peerId, claim.name, claim.keys)),
          );
          count += claims.length;
        }
        log.warn({ members: count }, 'membership: this node was swept while alive; its members are back');
      }
      // Until then another node's key may be missing only because the shard was away, or
      // because that node's client is still finding the shard again after it was away.
      if (!liveness.steady()) return;
      // Ours and every other node's alive key in one read (one hash slot, {nodes}): read
      // apart, a loss of every key landing between two reads looked like another node lapsing
      // alone, and a live node was swept (the test that deletes the keys failed so once in a
      // full run under load). One round trip per upkeep, whatever the number of nodes.
      const others = (await redis.sMembers(NODES_KEY)).filter((other) => other !== nodeId);
      const [ours, ...theirs] = await redis.mGet([nodeId, ...others].map(aliveKey));
      if (!liveness.trustsOwnKey(ours)) return;
      for (const [index, other] of others.entries()) {
        if (theirs[index] === null) await sweeps.sweep(other);
      }
    } catch (error) {
      log.debug({ err: error instanceof Error ? { message: error.message } : undefined }, 'membership: upkeep failed');
    } finally {
      maintaining = false;
    }
  };
  // The upkeep runs here, on the main thread: it waits while this thread is busy, which
  // delays sweeps of other nodes and write-backs, never this node's own heartbeat. While the
  // thread is not reporting (starting, or started again after it died), this thread beats.
  const timer = setInterval(() => {
    if (!liveness.onItsThread()) void liveness.beatHere();
    void maintain();
  }, heartbeatMs);
  timer.unref();

  return store;
}
