// This node's liveness, for the Redis store (membership-redis.ts): its `alive` key kept up,
// what each beat found, and whether this node may yet take another node's missing key for
// a dead node (the upkeep asks, membership-upkeep.ts).
//
// The heartbeat runs on a thread of its own (heartbeat.ts), so a main thread that is only
// busy (a storm's signals relayed in one long loop iteration, a long GC: 4-6 s measured at
// 10k sockets on two nodes, where the others used to take the node for dead mid-storm and
// its rooms heard every member leave and come back) keeps its key. The thread stops beating
// when the main thread has not run for MAIN_SILENCE_TTLS node TTLs: one stuck for good is
// dead. A node frozen whole (SIGSTOP, a suspended VM) or stuck that long looks dead from
// outside and is swept while its members may still be connected to it. Each heartbeat reads
// whether the key was there (heartbeat.ts's BEAT): an expired key means this node may have
// been taken for dead (lapsed), and the upkeep looks for a sweep of it (membership-sweep.ts).
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
import type { RedisTarget } from './cluster.ts';
import { type BeatResult, beatOnce, startHeartbeat } from './heartbeat.ts';
import type { Logger } from './logger.ts';
import type { MembershipConnection } from './membership-connection.ts';
import { aliveKey } from './membership-keys.ts';
import type { StaleRooms } from './membership-stale.ts';
import { createThreadReports } from './membership-thread-reports.ts';

export const HEARTBEAT_INTERVAL_MS = 1_000;
/** A node silent this long is dead: its members are removed. */
const NODE_TTL_MS = 3_000;
/**
 * After this node's own heartbeat failed (the shard failed over or restarted), how many
 * node TTLs its heartbeats must succeed before it takes a missing key for a dead node. The
 * nodes' Redis clients each find the shard again in their own time. With one TTL, a node
 * back first swept one whose connection came back 2.8 s later (test/membership.test.ts),
 * and the rooms heard its live members leave and come back.
 */
const RECOVERY_TTLS = 4;
/**
 * The heartbeat thread beats while the main thread has run within this many node TTLs (30 s
 * at the default TTL). A main thread busy for seconds (a storm, a GC on a starved machine)
 * is alive; one stuck for half a minute is not, and its members are removed.
 */
const MAIN_SILENCE_TTLS = 10;

export interface LivenessDeps {
  target: RedisTarget;
  connection: MembershipConnection;
  nodeId: string;
  /** The heartbeat interval (the node TTL is three of them). */
  heartbeatMs: number;
  stale: StaleRooms;
  log: Logger;
  /** The store was closed: what beats report no longer counts. */
  closed(): boolean;
}

export interface Liveness {
  /** Every beat since the last failure has succeeded, and one has: the upkeep may run. */
  beating(): boolean;
  /** Our beats have held long enough to take another node's missing key for a dead node. */
  steady(): boolean;
  /** Our key expired and the upkeep has not yet looked whether this node was swept. */
  lapsed(): boolean;
  /** The upkeep has looked (no sweep of this node under way): the lapse is dealt with. */
  lapseHandled(): void;
  /**
   * Our key as the upkeep read it, in the read that took the other nodes' keys: true when
   * their missing keys may be taken for dead nodes (ours is there, under the generation we
   * knew, and our beats have held the steady window, which from now on is the short one).
   */
  trustsOwnKey(ours: string | null | undefined): boolean;
  /** When the long window after an outage or a lapse of our own began (null outside it). */
  longWindowSince(): number | null;
  /** A beat from this thread, on the store's own connection (while the thread's are not live). */
  beatHere(): Promise<void>;
  /** Whether the heartbeat thread beats (before it does, and while it is restarted, this thread beats). */
  onItsThread(): boolean;
  close(): void;
}

export function startLiveness(deps: LivenessDeps): Liveness {
  const { connection, nodeId, heartbeatMs, stale, log, closed } = deps;
  const nodeTtlMs = (NODE_TTL_MS / HEARTBEAT_INTERVAL_MS) * heartbeatMs;
  const mainSilenceLimitMs = MAIN_SILENCE_TTLS * nodeTtlMs;

  /** Since when every heartbeat of this node has succeeded; null after one failed. */
  let beatingSince: number | null = null;
  /** A heartbeat of ours failed: the next steady window must be RECOVERY_TTLS long. */
  let recovering = false;
  /** This node wrote its key at least once: an expired key since means it was taken for dead. */
  let beatenOnce = false;
  /** Its key expired: until the sweep (if any) is over, it does not write its members back. */
  let lapsed = false;
  /**
   * Our key's generation as last reported by a beat or read by the upkeep: another one read
   * means the key lapsed and was written anew, whether or not that beat's report has come.
   */
  let ownGeneration: string | null = null;
  /**
   * Others' keys may be missing for the reason ours was (Redis lost its keys, or we stalled):
   * no sweep until our beats have held for the longer steady window, counted from now.
   */
  const waitLong = (): void => {
    beatingSince = Date.now();
    recovering = true;
  };

  /**
   * Our key expired: we stalled, or Redis lost its keys (a restart) between two beats without
   * a failure seen here. Either way others' keys may be missing for the same reason.
   */
  const lapse = (): void => {
    if (!beatenOnce || lapsed) return;
    lapsed = true;
    waitLong();
    log.warn({ nodeTtlMs }, 'membership: this node missed its heartbeat; another node may have removed its members');
  };
  /**
   * Our key as a beat or the upkeep found it. Under a generation other than the last one we
   * knew, it lapsed and a beat wrote it anew: whichever beat it was (the heartbeat thread's,
   * whose report may come after this thread's own reads, or this thread's), it is a lapse.
   */
  const sawGeneration = (generation: string, lapsedHere: boolean): void => {
    const rewritten = lapsedHere || (ownGeneration !== null && generation !== ownGeneration);
    ownGeneration = generation;
    if (rewritten) lapse();
  };

  /** What a beat found (this thread's own, or a successful one of the heartbeat thread). */
  const heard = (result: BeatResult): void => {
    if (closed()) return;
    if (result.type === 'beat') {
      sawGeneration(result.generation, result.lapsed);
      beatenOnce = true;
      beatingSince ??= Date.now();
      return;
    }
    beatingSince = null;
    // Not at start: before its first heartbeat a node has no outage to recover from.
    recovering = beatenOnce;
    if (result.type === 'failed') {
      // The shard that holds the heartbeats failed: a failover or a restart may have lost
      // writes anywhere, so everything is written back once it answers again.
      stale.mark();
      log.debug({ err: { message: result.message } }, 'membership: heartbeat failed');
    }
  };
  let beatingHere = false;
  const beatHere = async (): Promise<void> => {
    if (beatingHere || closed()) return;
    beatingHere = true;
    try {
      heard(await beatOnce(connection.redis, aliveKey(nodeId), nodeTtlMs));
    } finally {
      beatingHere = false;
    }
  };
  const heartbeat = startHeartbeat(
    { target: deps.target, key: aliveKey(nodeId), ttlMs: nodeTtlMs, intervalMs: heartbeatMs, mainSilenceLimitMs },
    createThreadReports({ heard, log, mainSilenceLimitMs, closed }),
    log,
  );

  const steady = (): boolean =>
    beatingSince !== null && Date.now() - beatingSince >= (recovering ? RECOVERY_TTLS : 1) * nodeTtlMs;

  return {
    beating: () => beatingSince !== null,
    steady,
    lapsed: () => lapsed,
    lapseHandled() {
      lapsed = false;
    },
    trustsOwnKey(ours) {
      // Our own key is there whenever our beats succeed. Missing, Redis lost its keys since
      // our last beat (a FLUSHALL, a restart from a snapshot in which they had expired) without
      // a failure seen here, and the others' keys are missing for the same reason: the long
      // window, from now. (Our next beat would find the lapse too, but this upkeep may run
      // first: it did in about half the runs of the test that deletes the keys.)
      if (ours === null || ours === undefined) {
        waitLong();
        return false;
      }
      // There under a generation we have not heard of: it was lost the same way, and a beat
      // has written it anew whose report (a message from the heartbeat thread) this thread
      // has not read yet. Taken for our steady key, it made the others' missing keys look
      // like dead nodes, and a live node was swept (a clean clone's run, once).
      const known = ownGeneration;
      sawGeneration(ours, false);
      if (known !== ownGeneration) return false;
      // A lapse heard while this upkeep waited on Redis (a beat of this thread's found our key
      // written anew) counts too: that beat took the new generation first.
      if (!steady()) return false;
      recovering = false;
      return true;
    },
    longWindowSince: () => (recovering ? beatingSince : null),
    beatHere,
    onItsThread: () => heartbeat.live(),
    close: () => heartbeat.close(),
  };
}
