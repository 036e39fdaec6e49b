// A join refused for now (the room is full, …) is sent again by itself, after the wait
// join-retry.ts draws for the refusals in a row; sooner when the server says a seat freed
// while we wait outside a full room (room:seat-freed), or when the page asks for it ("Try
// again": retryNow), never faster than the server's pace.
import { parseSeatFreed } from '../protocol/server-events.ts';
import { JOIN_RETRY_MIN_GAP_MS, joinRetryDelay, seatFreedDelay } from './join-retry.ts';
import type { SignalingSocket } from './signaling-socket.ts';

export interface JoinRetryOptions {
  socket: SignalingSocket;
  roomId: string;
  /** The page closed the connection (Signaling.close). */
  left(): boolean;
  inRoom(): boolean;
  /** A join is on its way (from join() to its answer). */
  asking(): boolean;
  join(): void;
  malformed(event: string): void;
}

export interface JoinRetry {
  /** A join was sent now. */
  sent(): void;
  /** The server refused our join for now: the same join goes again after a wait, by itself. */
  refused(): void;
  /** In the room: the next refusal is the first in a row again. */
  joined(): void;
  /** No join waits any longer (one goes now, the connection went, or the page closed it). */
  cancel(): void;
  /** Signaling.retryNow. */
  retryNow(): boolean;
}

export function createJoinRetry({
  socket,
  roomId,
  left,
  inRoom,
  asking,
  join,
  malformed,
}: JoinRetryOptions): JoinRetry {
  /** When the last join was sent (Date.now()), for the pace of one asked for by hand. */
  let lastJoinAt = 0;
  /** Refusals that waiting can end, in a row, and the next join after one (join-retry.ts). */
  let refusals = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the retry timer fires (Date.now()), while it is set. */
  let retryAt = 0;
  /**
   * A seat freed while our join was on its way: the server may have refused it before the
   * seat freed, and then the join after the refusal goes as if told now.
   */
  let seatFreedMeanwhile = false;
  /** The next join was brought forward by retryNow(): asking again changes nothing. */
  let hurried = false;
  const cancelRetry = (): void => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    hurried = false;
  };
  const retryIn = (ms: number): void => {
    cancelRetry();
    retryAt = Date.now() + ms;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      hurried = false;
      if (!left() && !inRoom() && !asking() && socket.connected) join();
    }, ms);
  };

  // Waiting outside a full room: a seat has freed, so the join waiting on its backoff goes
  // now (jittered, and a second after the last join at the soonest), unless it goes sooner.
  socket.on('room:seat-freed', (raw) => {
    const notice = parseSeatFreed(raw);
    if (notice === null) return malformed('room:seat-freed');
    if (notice.roomId !== roomId || left() || inRoom()) return;
    if (asking()) seatFreedMeanwhile = true;
    if (asking() || retryTimer === undefined) return;
    const now = Date.now();
    const wait = seatFreedDelay(now - lastJoinAt);
    if (now + wait < retryAt) retryIn(wait);
  });

  return {
    sent() {
      lastJoinAt = Date.now();
      seatFreedMeanwhile = false;
    },
    refused() {
      refusals += 1;
      const wait = joinRetryDelay(refusals);
      retryIn(seatFreedMeanwhile ? Math.min(wait, seatFreedDelay(Date.now() - lastJoinAt)) : wait);
    },
    joined() {
      refusals = 0;
    },
    cancel: cancelRetry,
    retryNow() {
      if (left() || inRoom() || asking() || hurried || retryTimer === undefined || !socket.connected) return false;
      retryIn(Math.max(0, lastJoinAt + JOIN_RETRY_MIN_GAP_MS - Date.now()));
      hurried = true;
      return true;
    },
  };
}
