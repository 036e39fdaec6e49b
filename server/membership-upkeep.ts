// The Redis store's upkeep (membership-redis.ts), each heartbeat interval: come back from a
// sweep of this node (membership-sweep.ts), write back what is stale
// (membership-write-back.ts), and sweep the nodes whose `alive` key is gone, once this
// node's own beats say it may (membership-liveness.ts).
import type { PeerInfo } from '../protocol/signaling.ts';
import type { Logger } from './logger.ts';
import { peerInfo, type RoomTable } from './membership.ts';
import type { MembershipConnection } from './membership-connection.ts';
import { aliveKey, NODES_KEY } from './membership-keys.ts';
import type { Liveness } from './membership-liveness.ts';
import type { StaleRooms } from './membership-stale.ts';
import type { Sweeps } from './membership-sweep.ts';

export interface UpkeepDeps {
  connection: MembershipConnection;
  nodeId: string;
  /** The heartbeat interval: the upkeep's too. */
  heartbeatMs: number;
  liveness: Liveness;
  sweeps: Sweeps;
  /** The write-back of what is stale (membership-write-back.ts). */
  reconcile(): Promise<void>;
  stale: StaleRooms;
  /** This node's members: announced as back after a sweep of this node. */
  own: RoomTable;
  /** This node was swept while alive (it stalled); its members are written back: tell their rooms. */
  onBack(roomId: string, members: PeerInfo[]): void;
  log: Logger;
}

export interface Upkeep {
  /** One round now (the store's ready() runs one after its first beat); skipped while one runs. */
  maintain(): Promise<void>;
  stop(): void;
}

export function startUpkeep(deps: UpkeepDeps): Upkeep {
  const { connection, nodeId, liveness, sweeps, reconcile, stale, own, onBack, log } = deps;
  const { redis } = connection;
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
      log.debug({ err: error }, 'membership: upkeep failed');
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
  }, deps.heartbeatMs);
  timer.unref();

  return {
    maintain,
    stop: () => clearInterval(timer),
  };
}
