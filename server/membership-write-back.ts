// The Redis store's write-back (membership-redis.ts). While Redis is away (or too slow) the
// node serves from its own members; when Redis answers again, the node writes its members
// back (a restarted Redis is empty) and removes the entries it no longer holds; after a
// single command failed, only in that room (membership-stale.ts says which). An entry
// another node or socket took over meanwhile (a resume elsewhere) is not overwritten: this
// node's connection for it is cut instead. The upkeep (membership-upkeep.ts) runs it. The
// rooms written back after Redis was unreachable for them are then made whole
// (room-mending.ts): members who joined on different nodes meanwhile never heard of each other.
import type { Logger } from './logger.ts';
import type { RoomTable } from './membership.ts';
import type { MembershipConnection } from './membership-connection.ts';
import { ADMIT, roomsKey, SWEEP } from './membership-keys.ts';
import { admitArgs } from './membership-records.ts';
import type { StaleRooms } from './membership-stale.ts';
import type { RoomGate } from './room-gate.ts';

export interface WriteBackDeps {
  connection: MembershipConnection;
  nodeId: string;
  /** This node's members: what is written back. */
  own: RoomTable;
  /** The room's order between the store's operations and its write-back. */
  gate: RoomGate;
  stale: StaleRooms;
  log: Logger;
  /** A member taken over elsewhere meanwhile: its connection here is to be cut. */
  onReplaced: ((roomId: string, peerId: string, socketId: string) => void) | undefined;
  /**
   * These rooms were written back after Redis was unreachable for them (those this node
   * still has members in, and the others): every room after an outage, a room whose command
   * failed outright (on a Cluster, its shard was down or failing over). Their halves are to
   * meet (room-mending.ts). Not after one room's command only timed out: then the adapter
   * still carried its joins to the other nodes, and mending there announced every member of
   * the room on every node again, each time Redis was slow (membership-stale.ts).
   */
  onWrittenBack: ((roomIds: string[]) => void) | undefined;
}

/** Writes back what may be stale: every room this node holds or held, or the rooms marked. */
export function createWriteBack(deps: WriteBackDeps): () => Promise<void> {
  const { connection, nodeId, own, stale, log, onReplaced, onWrittenBack } = deps;
  const { redis, run } = connection;
  const writingBack = deps.gate.alone;

  /**
   * Writes this node's members of one room back and drops the entries it no longer holds
   * there, with the room to itself (writingBack): what it writes is the room as it is once
   * the room's admissions, renames and leaves in flight are answered, and those that come
   * meanwhile wait for it. Otherwise a member who left during the write-back would be
   * written back for good (its leave finding nothing to remove yet), and one admitted just
   * before the room's sweep would be swept from Redis while it stays here. An entry that
   * another node or socket holds now is left to it (ADMIT's 'held'): this node's connection
   * was replaced while it could not hear of it, and is cut (onReplaced). Overwritten, the
   * replaced connection stayed, and its timeout later removed the live member and told the
   * room it left.
   */
  const reconcileRoom = (roomId: string): Promise<void> =>
    writingBack(roomId, async () => {
      const claims = own.claims(roomId);
      // Entries this node no longer holds: their members left, their names are free.
      await run(SWEEP, roomId, [nodeId, '0', ...claims.map((c) => c.socketId)]);
      for (const claim of claims) {
        const reply = await run(ADMIT, roomId, admitArgs(claim, nodeId, 0, true));
        if (!Array.isArray(reply) || reply[0] !== 'held') continue;
        // Taken over elsewhere meanwhile: no longer ours, here either (nor written back
        // again, nor counted while Redis is away), and its connection is cut.
        own.leave(roomId, claim.peerId, claim.socketId);
        onReplaced?.(roomId, claim.peerId, claim.socketId);
      }
      if (own.members(roomId).length > 0) await redis.sAdd(roomsKey(nodeId), roomId);
      else await redis.sRem(roomsKey(nodeId), roomId);
    });

  return async (): Promise<void> => {
    const { all, rooms: marked, unreachable } = stale.take();
    const cut = new Set(unreachable);
    const written: string[] = [];
    try {
      const rooms = all ? new Set([...own.entries().keys(), ...(await redis.sMembers(roomsKey(nodeId)))]) : marked;
      for (const roomId of rooms) {
        await reconcileRoom(roomId);
        written.push(roomId);
      }
    } catch (error) {
      // Whatever was not written back is written at the next heartbeat, for the same reason.
      if (all) stale.mark();
      for (const roomId of marked) stale.mark(roomId, cut.has(roomId) ? 'unreachable' : 'late');
      throw error;
    } finally {
      const toMend = all ? written : written.filter((roomId) => cut.has(roomId));
      if (toMend.length > 0) onWrittenBack?.(toMend);
    }
    if (all) log.info('membership: shared across nodes (this node’s members written to redis)');
  };
}
