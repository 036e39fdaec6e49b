// Where Redis may not hold what this node holds, to be written back (membership-write-back.ts):
// every room after an outage (a restarted Redis is empty), one room after a command in it
// failed (it may have run late, or not at all). Per room, so that a timeout on a loaded
// node costs that room's few commands, not thousands.
//
// A room's mark says why: 'late' (its command had no answer in time: Redis slow, the node
// busy) or 'unreachable' (it failed outright: on a Cluster, the shard that holds the room
// was down, or failing over). Both are written back; only an unreachable room is then made
// whole as after an outage (room-mending.ts): its joins were decided apart, and the shard
// down may have carried the room's channel too. A late one was still carried by the adapter,
// and mending it each time Redis was slow announced every member on every node again.

/** Why a room is stale: its command had no answer in time, or failed outright. */
export type StaleCause = 'late' | 'unreachable';

/** What was stale when a write-back began: every room this node holds or held, or these. */
export interface StaleTaken {
  all: boolean;
  rooms: string[];
  /** Of `rooms`, those marked 'unreachable'. */
  unreachable: string[];
}

export interface StaleRooms {
  /**
   * Redis may not hold this room as this node does; without a room, every room (as after an
   * outage). A room marked 'unreachable' stays so until taken, whatever marks follow.
   */
  mark(roomId?: string, cause?: StaleCause): void;
  /** Anything at all to write back. */
  any(): boolean;
  /** Whether this room is to be written back (every room is, after an outage). */
  has(roomId: string): boolean;
  /** What is to be written back now, no longer marked (mark it again if that fails). */
  take(): StaleTaken;
}

export function createStaleRooms(): StaleRooms {
  let all = false;
  const rooms = new Set<string>();
  const unreachable = new Set<string>();
  return {
    mark(roomId, cause = 'late') {
      if (roomId === undefined) {
        all = true;
        return;
      }
      rooms.add(roomId);
      if (cause === 'unreachable') unreachable.add(roomId);
    },
    any: () => all || rooms.size > 0,
    has: (roomId) => all || rooms.has(roomId),
    take() {
      const taken = { all, rooms: [...rooms], unreachable: [...unreachable] };
      all = false;
      rooms.clear();
      unreachable.clear();
      return taken;
    },
  };
}
