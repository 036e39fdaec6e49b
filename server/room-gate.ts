// Per room, the order between a node's Redis operations on it (admissions, renames, leaves)
// and its write-back of the room after an outage (membership-write-back.ts). The
// operations run side by side as always; a write-back runs alone: it starts once the
// operations in flight are answered, and the ones that come meanwhile wait for its end. So
// what it writes is the room as it is, and nothing it writes overtakes or undoes an answer.
// (A readers–writer lock per room, the writer first.)
import { setTimeout as sleep } from 'node:timers/promises';

export interface RoomGate {
  /**
   * Runs an operation on the room, once any write-back of it under way has ended. Null
   * when that write-back has not ended within `waitMs` (a stalled Redis): the caller treats
   * it as Redis not answering in time.
   */
  inTurn<T>(roomId: string, waitMs: number, operation: () => Promise<T>): Promise<T | null>;
  /** Runs a write-back of the room alone (see above). */
  alone<T>(roomId: string, writeBack: () => Promise<T>): Promise<T>;
}

interface Traffic {
  inFlight: number;
  /** The write-back waiting for the operations in flight to be answered. */
  drained: (() => void) | null;
  /** The write-back under way, if any. */
  writing: Promise<void> | null;
}

export function createRoomGate(): RoomGate {
  const rooms = new Map<string, Traffic>();
  const trafficOf = (roomId: string): Traffic => {
    let traffic = rooms.get(roomId);
    if (!traffic) {
      traffic = { inFlight: 0, drained: null, writing: null };
      rooms.set(roomId, traffic);
    }
    return traffic;
  };
  const settle = (roomId: string, traffic: Traffic): void => {
    if (traffic.inFlight > 0) return;
    traffic.drained?.();
    traffic.drained = null;
    if (traffic.writing === null) rooms.delete(roomId);
  };
  /** Whether `writing` ended before `giveUpAt` (performance.now()). */
  const endsBefore = async (writing: Promise<void>, giveUpAt: number): Promise<boolean> => {
    const left = giveUpAt - performance.now();
    if (left <= 0) return false;
    const timer = new AbortController();
    const ended = await Promise.race([
      writing.then(() => true),
      sleep(left, false, { signal: timer.signal }).catch(() => true),
    ]);
    timer.abort();
    return ended;
  };

  return {
    async inTurn(roomId, waitMs, operation) {
      const giveUpAt = performance.now() + waitMs;
      // Checked again after every wait, and nothing awaited between the last check and
      // counting this operation in: a write-back cannot start in between and miss it.
      for (let writing = rooms.get(roomId)?.writing; writing; writing = rooms.get(roomId)?.writing) {
        if (!(await endsBefore(writing, giveUpAt))) return null;
      }
      const traffic = trafficOf(roomId);
      traffic.inFlight++;
      try {
        return await operation();
      } finally {
        traffic.inFlight--;
        settle(roomId, traffic);
      }
    },
    async alone(roomId, writeBack) {
      for (let writing = rooms.get(roomId)?.writing; writing; writing = rooms.get(roomId)?.writing) await writing;
      const traffic = trafficOf(roomId);
      let ended = (): void => {};
      traffic.writing = new Promise<void>((resolve) => {
        ended = resolve;
      });
      try {
        if (traffic.inFlight > 0) {
          await new Promise<void>((resolve) => {
            traffic.drained = resolve;
          });
        }
        return await writeBack();
      } finally {
        traffic.writing = null;
        ended();
        settle(roomId, traffic);
      }
    },
  };
}
