// Where Redis may not hold what this node holds, to be written back (membership-write-back.ts):
// every room after an outage (a restarted Redis is empty), one room after a command in it
// timed out (it may have run late, or not at all). Per room, so that a timeout on a loaded
// node costs that room's few commands, not thousands.

/** What was stale when a write-back began: every room this node holds or held, or these. */
export interface StaleTaken {
  all: boolean;
  rooms: string[];
}

export interface StaleRooms {
  /** Redis may not hold this room as this node does; without a room, every room. */
  mark(roomId?: string): void;
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
  return {
    mark(roomId) {
      if (roomId === undefined) all = true;
      else rooms.add(roomId);
    },
    any: () => all || rooms.size > 0,
    has: (roomId) => all || rooms.has(roomId),
    take() {
      const taken = { all, rooms: [...rooms] };
      all = false;
      rooms.clear();
      return taken;
    },
  };
}
