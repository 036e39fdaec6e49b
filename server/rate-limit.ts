// Token buckets for the events a client can repeat at will (LIMITED_EVENTS below)
// and for new connections. A bucket holds up to `burst` tokens and refills `perSecond` a
// second; each event takes one, an empty bucket refuses. One bucket per socket (lives and
// dies with the socket) and one per client address (shared by all of its sockets, so that
// opening many sockets does not multiply the allowance).
import type { ClientEvent } from '../protocol/signaling.ts';
import type { Config, Rate } from './config.ts';

/** Address buckets idle this long are full again and can be forgotten. */
const SWEEP_INTERVAL_MS = 60_000;
/** Sweep early when this many addresses are tracked (a scan from many addresses). */
const SWEEP_AT_SIZE = 50_000;
/** The most a key can owe (penalize): many connections cut at once do not lock it out for hours. */
const MAX_DEBT_MS = 60_000;

export type Clock = () => number;

export interface Bucket {
  /** Takes a token: true if the event may pass. */
  take(): boolean;
}

interface BucketState {
  tokens: number;
  at: number;
}

/** `tokens` after `elapsedMs` of refilling at `rate`, up to its burst; no rate: no limit. */
export function refilled(tokens: number, rate: Rate | null, elapsedMs: number): number {
  if (!rate) return Number.POSITIVE_INFINITY;
  return Math.min(rate.burst, tokens + (Math.max(0, elapsedMs) / 1000) * rate.perSecond);
}

/**
 * Whether a whole token is there to take. Refills added up in many small steps (budgets that
 * refill together on every take, below) can land a hair under a whole number where one step
 * would land on it: 0.9999999999999999 is a token.
 */
export function hasToken(tokens: number): boolean {
  return tokens >= 1 - 1e-9;
}

function refill(state: BucketState, rate: Rate, now: number): void {
  state.tokens = refilled(state.tokens, rate, now - state.at);
  // A clock that steps back (the wall clock, corrected) must not move the refill time back
  // with it: once it came forward again, the same seconds would refill the bucket twice.
  state.at = Math.max(state.at, now);
}

/**
 * A bucket as a class instance rather than a closure: a closure with its two contexts and
 * state object cost about 220 bytes where an instance costs about 80 (heap snapshot,
 * README). A socket's own budgets go further: their token counts are fields of the guard
 * and of the limiter (below), with no object per bucket.
 */
class TokenBucket implements Bucket, BucketState {
  tokens: number;
  at: number;
  constructor(
    private readonly rate: Rate,
    private readonly now: Clock,
  ) {
    this.tokens = rate.burst;
    this.at = now();
  }
  take(): boolean {
    refill(this, this.rate, this.now());
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const UNLIMITED: Bucket = { take: () => true };

/** A single bucket; a null rate never refuses. */
export function createBucket(rate: Rate | null, now: Clock = Date.now): Bucket {
  return rate ? new TokenBucket(rate, now) : UNLIMITED;
}

export interface KeyedLimiter {
  take(key: string): boolean;
  /**
   * Puts `key` in debt: nothing more passes for `ms` from now (at the refill rate), on top
   * of any debt it already has, up to MAX_DEBT_MS in all. No-op without a rate.
   */
  penalize(key: string, ms: number): void;
  /** How many keys are tracked (for tests). */
  size(): number;
}

/** One bucket per key (a client address), forgetting keys whose bucket has refilled. */
export function createKeyedLimiter(rate: Rate | null, now: Clock = Date.now): KeyedLimiter {
  const buckets = new Map<string, BucketState>();
  let lastSweep = now();
  const sweep = (limit: Rate, t: number) => {
    lastSweep = t;
    for (const [key, state] of buckets) {
      refill(state, limit, t);
      if (state.tokens >= limit.burst) buckets.delete(key);
    }
  };
  const current = (limit: Rate, key: string, t: number): BucketState => {
    if (t - lastSweep >= SWEEP_INTERVAL_MS || buckets.size >= SWEEP_AT_SIZE) sweep(limit, t);
    let state = buckets.get(key);
    if (!state) {
      state = { tokens: limit.burst, at: t };
      buckets.set(key, state);
    }
    refill(state, limit, t);
    return state;
  };
  return {
    take(key) {
      if (!rate) return true;
      const state = current(rate, key, now());
      if (state.tokens < 1) return false;
      state.tokens -= 1;
      return true;
    },
    penalize(key, ms) {
      if (!rate || ms <= 0) return;
      const state = current(rate, key, now());
      const owed = (ms / 1000) * rate.perSecond;
      const floor = -(MAX_DEBT_MS / 1000) * rate.perSecond;
      state.tokens = Math.max(floor, Math.min(state.tokens, 0) - owed);
    },
    size: () => buckets.size,
  };
}

/**
 * The events with token buckets of their own, and the settings that size them: declared
 * once here, and everything keyed by event (limiters, metric labels) is built from it.
 * Every other event (room:leave, unknown names) is still charged to the connection's
 * event budget (guard.ts). room:rename is charged to room:join's buckets.
 */
export const LIMITED_EVENTS = {
  'room:join': { socket: 'rateJoinSocket', ip: 'rateJoinIp' },
  signal: { socket: 'rateSignalSocket', ip: 'rateSignalIp' },
  'ice:refresh': { socket: 'rateIceSocket', ip: 'rateIceIp' },
} as const satisfies Partial<Record<ClientEvent, { socket: keyof Config; ip: keyof Config }>>;

export type LimitedEvent = keyof typeof LIMITED_EVENTS;
export type LimitScope = 'socket' | 'ip';

type EventRateKey = (typeof LIMITED_EVENTS)[LimitedEvent]['socket' | 'ip'];
export type RateSettings = Pick<Config, EventRateKey | 'rateConnectIp'>;

/** The address-wide limiters of one server, shared by all of its sockets. */
export interface AddressLimits {
  events: Record<LimitedEvent, KeyedLimiter>;
  connect: KeyedLimiter;
}

/** A record with one entry per limited event, made by `make`. */
function perEvent<T>(make: (event: LimitedEvent) => T): Record<LimitedEvent, T> {
  const entries = (Object.keys(LIMITED_EVENTS) as LimitedEvent[]).map((event) => [event, make(event)] as const);
  return Object.fromEntries(entries) as Record<LimitedEvent, T>;
}

export function createAddressLimits(settings: RateSettings, now: Clock = Date.now): AddressLimits {
  return {
    events: perEvent((event) => createKeyedLimiter(settings[LIMITED_EVENTS[event].ip], now)),
    connect: createKeyedLimiter(settings.rateConnectIp, now),
  };
}

/**
 * The limiter one socket consults: its own budgets first, then its address's. take()
 * returns the scope that refused, or null when the event may pass. A socket over its own
 * limit does not drain the address's bucket (its neighbours behind the same NAT keep
 * theirs).
 */
export class SocketLimiter {
  // The socket's three buckets are three token counts here, refilled together from one
  // clock reading (refilling a bucket more often gives the same tokens, up to rounding: the
  // refill is linear up to the burst; hasToken). Every joined socket holds a limiter, so each
  // bucket as an object of its own cost that object's header and fields; at 10k sockets that
  // showed in the heap per socket (README, memory). A new limited event does not compile
  // until takeOwn() has its case; it also needs its field and its line in the refill, which
  // nothing checks (the budgets test in test/hardening.test.ts refills each one).
  private joinTokens: number;
  private signalTokens: number;
  private iceTokens: number;
  private refilledAt: number;
  constructor(
    private readonly settings: RateSettings,
    private readonly address: string,
    private readonly shared: AddressLimits,
    private readonly now: Clock = Date.now,
  ) {
    this.joinTokens = this.rate('room:join')?.burst ?? Number.POSITIVE_INFINITY;
    this.signalTokens = this.rate('signal')?.burst ?? Number.POSITIVE_INFINITY;
    this.iceTokens = this.rate('ice:refresh')?.burst ?? Number.POSITIVE_INFINITY;
    this.refilledAt = now();
  }

  take(event: LimitedEvent): LimitScope | null {
    if (!this.takeOwn(event)) return 'socket';
    if (!this.shared.events[event].take(this.address)) return 'ip';
    return null;
  }

  private rate(event: LimitedEvent): Rate | null {
    return this.settings[LIMITED_EVENTS[event].socket];
  }

  private takeOwn(event: LimitedEvent): boolean {
    // A clock that steps back (the wall clock, corrected) must not refill the buckets twice
    // for the same stretch once it comes forward again.
    const t = Math.max(this.refilledAt, this.now());
    const elapsed = t - this.refilledAt;
    this.refilledAt = t;
    this.joinTokens = refilled(this.joinTokens, this.rate('room:join'), elapsed);
    this.signalTokens = refilled(this.signalTokens, this.rate('signal'), elapsed);
    this.iceTokens = refilled(this.iceTokens, this.rate('ice:refresh'), elapsed);
    switch (event) {
      case 'room:join':
        if (!hasToken(this.joinTokens)) return false;
        this.joinTokens -= 1;
        return true;
      case 'signal':
        if (!hasToken(this.signalTokens)) return false;
        this.signalTokens -= 1;
        return true;
      case 'ice:refresh':
        if (!hasToken(this.iceTokens)) return false;
        this.iceTokens -= 1;
        return true;
    }
  }
}

export function createSocketLimiter(
  settings: RateSettings,
  address: string,
  shared: AddressLimits,
  now: Clock = Date.now,
): SocketLimiter {
  return new SocketLimiter(settings, address, shared, now);
}
