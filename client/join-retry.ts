// A join the server refused for a reason that waiting can end (the room is full, we joined too
// often, the server is going away or failed) is sent again by itself, paced here: soon at
// first, then less and less often, never more than JOIN_RETRY_MAX_MS apart, each wait drawn at
// random between half of it and all of it, so that pages refused together (a full room that
// many open at once, a server restart) do not come back together. Part of the page's entry
// script (signaling-retry.ts, signaling-refusals.ts, signaling-join.ts): it imports nothing.
import type { ErrorCode } from '../protocol/index.ts';

/** The first wait after a refusal (before jitter). */
export const JOIN_RETRY_FIRST_MS = 2_000;
/** Each wait is this many times the one before it… */
export const JOIN_RETRY_GROWTH = 1.5;
/** …up to this (the server tells a page refused as full when a seat frees: room:seat-freed). */
export const JOIN_RETRY_MAX_MS = 15_000;
/**
 * A join asked for by hand ("Try again") waits this long after the last one sent: the server
 * takes one join a second from a connection (a burst of 10), and answers a connection that
 * earns refusals faster than five a second by cutting it off (server/rate-limit.ts, guard.ts).
 */
export const JOIN_RETRY_MIN_GAP_MS = 1_000;
/**
 * Told a seat freed (room:seat-freed), a page asks again after a wait drawn up to this, so
 * that several waiting pages do not land together; one gets the seat, the others are
 * refused again and wait again. Small next to a join's round trip plus the gap above.
 */
export const SEAT_FREED_JITTER_MS = 300;

/**
 * Refusals that waiting can end. The others (a name that is not one, a malformed request, a
 * join on a connection already in a room) would be refused again, word for word.
 */
const PASSING: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['room_full', 'rate_limited', 'shutting_down', 'internal']);

export function refusalPasses(code: ErrorCode): boolean {
  return PASSING.has(code);
}

/** A random draw as a share in [0, 1]: anything else (NaN too) counts as 0, the shortest wait. */
const shareOf = (random: number): number => (random >= 0 && random <= 1 ? random : 0);

/**
 * How long to wait before the next join, after `refusals` refusals in a row (1 for the first);
 * `random` in [0, 1). Never under half of JOIN_RETRY_FIRST_MS: one join a second at most.
 */
export function joinRetryDelay(refusals: number, random: number = Math.random()): number {
  const steps = Math.max(0, refusals - 1);
  const ceiling = Math.min(JOIN_RETRY_MAX_MS, JOIN_RETRY_FIRST_MS * JOIN_RETRY_GROWTH ** steps);
  return Math.round(ceiling * (0.5 + 0.5 * shareOf(random)));
}

/**
 * How long to wait before the join a freed seat asks for, `sinceLastJoinMs` after the last
 * join was sent; `random` in [0, 1). Never under JOIN_RETRY_MIN_GAP_MS after that join: a
 * room that churns cannot make its waiting pages ask more than one join a second each.
 */
export function seatFreedDelay(sinceLastJoinMs: number, random: number = Math.random()): number {
  return Math.round(Math.max(0, JOIN_RETRY_MIN_GAP_MS - sinceLastJoinMs) + SEAT_FREED_JITTER_MS * shareOf(random));
}
