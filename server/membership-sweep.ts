// A dead node's members removed, for the Redis store (membership-redis.ts). A node that dies
// stops refreshing its `alive` key (membership-liveness.ts). Every node looks each second
// (membership-upkeep.ts); the first to see a node's key gone takes a short lock, marks the
// node swept, removes its entries room by room and announces them as left (onGone). So a
// dead node's members are gone within NODE_TTL_MS + HEARTBEAT_INTERVAL_MS.
//
// The other side: a node taken for dead while it was only stalled finds, once its key has
// lapsed, whether a sweep of it is under way (the lock: it waits for its end) and whether
// it was swept (the mark: it writes its members back and announces them as back, onBack:
// peer:joined, resumed, to the rooms that were told they left). The sweeper checks the
// node's key again once it holds the lock, so a node back before that is not swept, and one
// back after waits for the sweep to finish.
//
// A node that stops on purpose (SIGTERM or SIGINT: shutdown.ts) is swept the same way, as late
// (its members' pages resume their ids on other nodes meanwhile; what is left of it goes with
// the sweep), but says so first (markShutDown): the sweeper then logs a shutdown at info, and
// keeps warn for a node whose heartbeat lapsed without notice (it crashed, was killed or
// stalled), which an operator could not tell from a rolling restart before.
import type { Logger } from './logger.ts';
import type { MembershipConnection } from './membership-connection.ts';
import { aliveKey, NODES_KEY, roomsKey, SWEEP, shutDownKey, sweepLockKey, sweptKey } from './membership-keys.ts';
import { stringSet } from './membership-records.ts';

/** One node sweeps a dead one; the lock outlives a sweep's worst case. */
const SWEEP_LOCK_MS = 10_000;
/** A node frozen longer than this comes back to rooms that forgot it anyway: its clients have reconnected. */
const SWEPT_MARK_MS = 24 * 60 * 60 * 1_000;
/**
 * A node that shut down is swept within seconds while another node runs; with none left, by
 * the first to start, when it has beaten for a node TTL. A day covers any such gap.
 */
const SHUT_DOWN_MARK_MS = 24 * 60 * 60 * 1_000;
/**
 * How long a member swept with its node (it died, or stalled past its TTL) keeps its name
 * from others: past Socket.IO's ping interval and timeout (25 s + 20 s), by which its page
 * has noticed and come back with its ticket (its id, so its name), or its node is back and
 * has written it back. Freed at once, the name went to whoever joined in the gap, and the
 * member came back to "Dave 2", or, its node back from a stall, the room had two "Dave"s.
 */
export const NAME_HOLD_MS = 60_000;

/** What a node whose key lapsed finds: a sweep of it still running, its mark, or neither. */
export type SweepOfThisNode = 'under way' | 'swept' | 'not swept';

export interface Sweeps {
  /** Removes a dead node's members, once across all nodes (the lock), and tells their rooms. */
  sweep(dead: string): Promise<void>;
  /** After this node's key lapsed: was it swept? The mark is taken when it was. */
  ofThisNode(): Promise<SweepOfThisNode>;
  /** This node stops on purpose: whoever sweeps it logs a shutdown, not a lapse. */
  markShutDown(): Promise<void>;
}

export interface SweepDeps {
  connection: MembershipConnection;
  nodeId: string;
  /** How long a swept member's name is held for it. */
  nameHoldMs: number;
  /** Members of a dead node were removed: tell their rooms. */
  onGone(roomId: string, peerIds: string[]): void;
  log: Logger;
}

export function createSweeps(deps: SweepDeps): Sweeps {
  const { connection, nodeId, nameHoldMs, onGone, log } = deps;
  const { redis, run } = connection;

  return {
    async sweep(dead) {
      if ((await redis.set(sweepLockKey(dead), nodeId, { PX: SWEEP_LOCK_MS, NX: true })) === null) return;
      // Back between our look and the lock: it only stalled, and it has not reconciled (it
      // waits for no lock it has seen). Leave it.
      if ((await redis.exists(aliveKey(dead))) === 1) {
        await redis.del(sweepLockKey(dead));
        return;
      }
      // Marked first: if it comes back mid-sweep, it waits for the lock, then finds the mark.
      await redis.set(sweptKey(dead), nodeId, { PX: SWEPT_MARK_MS });
      const rooms = await redis.sMembers(roomsKey(dead));
      for (const roomId of rooms) {
        const removed = await run(SWEEP, roomId, [dead, String(nameHoldMs)]);
        const ids = [...stringSet(removed)];
        if (ids.length > 0) onGone(roomId, ids);
      }
      await redis.del(roomsKey(dead));
      await redis.sRem(NODES_KEY, dead);
      // Taken once the sweep is done: one cut short leaves it to the one that finishes.
      const shutDown = (await redis.getDel(shutDownKey(dead))) !== null;
      await redis.del(sweepLockKey(dead));
      const said = { dead, rooms: rooms.length };
      if (shutDown) log.info(said, 'membership: removed the members of a node that shut down');
      else log.warn(said, 'membership: removed the members of a node that stopped without notice');
    },
    async ofThisNode() {
      // A sweep of this node under way would remove what it writes back: wait for its end.
      if ((await redis.exists(sweepLockKey(nodeId))) === 1) return 'under way';
      return (await redis.getDel(sweptKey(nodeId))) !== null ? 'swept' : 'not swept';
    },
    async markShutDown() {
      await redis.set(shutDownKey(nodeId), '1', { PX: SHUT_DOWN_MARK_MS });
    },
  };
}
