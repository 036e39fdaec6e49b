// Prometheus metrics (prom-client), in a Registry of this server's own so that several
// servers in one process (tests) do not share counters. Labels are closed sets — event
// names we know, error codes, results — never anything a client chose (room ids, names).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ClientEvent, ErrorCode } from '../protocol/signaling.ts';
import type { CutReason } from './guard.ts';
import type { LimitedEvent, LimitScope } from './rate-limit.ts';
import { type RoomServer, roomAddress } from './rooms.ts';

const CHAT_ROOM_PREFIX = roomAddress('');

export type JoinResult = 'joined' | 'resumed' | ErrorCode;
/** An event label: one the contract declares, or '(unknown)' for any other name. */
export type KnownEvent = ClientEvent | '(unknown)';
export type ConnectionRefusal = 'origin' | 'rate_limited' | 'shutting_down';

/** Upper bounds of the join-duration buckets, in seconds (1 ms to 5 s). */
export const JOIN_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface Metrics {
  registry: Registry;
  join(result: JoinResult): void;
  /** How long an admitted join took here, from the join handler to its ack (seconds). */
  joinDuration(seconds: number): void;
  /** How long the membership store took to admit or refuse a join (seconds): on Redis, its round trip. */
  admitDuration(seconds: number): void;
  signalRelayed(): void;
  rejected(event: KnownEvent, code: ErrorCode): void;
  rateLimited(event: LimitedEvent | 'connect', scope: LimitScope): void;
  connectionRefused(reason: ConnectionRefusal): void;
  membershipFallback(): void;
  connectionCut(reason: CutReason): void;
}

export interface MetricsSources {
  io: RoomServer;
  /** 1 up, 0 down; undefined without Redis (the gauge then stays absent). */
  redisUp?: () => number;
}

export function createMetrics({ io, redisUp }: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  new Gauge({
    name: 'roomlink_connected_sockets',
    help: 'Socket.IO connections open on this node',
    registers,
    collect() {
      this.set(io.of('/').sockets.size);
    },
  });
  new Gauge({
    name: 'roomlink_rooms',
    help: 'Rooms with at least one member on this node',
    registers,
    collect() {
      const adapter = io.of('/').adapter;
      let rooms = 0;
      // The adapter's rooms also hold our per-peer addresses (peer:…) and the own-id room
      // of a socket that took over an earlier connection (rooms.ts); chat rooms are the ones
      // under roomAddress()'s prefix.
      for (const name of adapter.rooms.keys()) {
        if (name.startsWith(CHAT_ROOM_PREFIX)) rooms += 1;
      }
      this.set(rooms);
    },
  });
  if (redisUp) {
    new Gauge({
      name: 'roomlink_redis_up',
      help: '1 when this node is connected to Redis, 0 when not',
      registers,
      collect() {
        this.set(redisUp());
      },
    });
  }
  const joins = new Counter({
    name: 'roomlink_joins_total',
    help: 'room:join requests by result (joined, resumed, or the refusal code)',
    labelNames: ['result'] as const,
    registers,
  });
  // The server's share of a join's latency, from the join handler to its ack: what a client
  // measures adds the network, both event loops, and the time the request waits in this
  // node's socket before the handler runs (a busy loop's queue). Membership's round trip to
  // Redis is inside it.
  const joinDuration = new Histogram({
    name: 'roomlink_join_duration_seconds',
    help: 'Admitted room:join requests on this node, from the join handler to its ack',
    buckets: JOIN_DURATION_BUCKETS,
    registers,
  });
  // The part of a join spent in the membership store: with Redis, the admission script's
  // round trip (both event loops and Redis's queue included), the one wait of a join that
  // grows with load on other machines.
  const admitDuration = new Histogram({
    name: 'roomlink_membership_admit_duration_seconds',
    help: 'room:join admissions on this node: the membership store deciding (with Redis, its round trip)',
    buckets: JOIN_DURATION_BUCKETS,
    registers,
  });
  const signals = new Counter({
    name: 'roomlink_signals_relayed_total',
    help: 'Signals accepted and relayed to a peer',
    registers,
  });
  const rejected = new Counter({
    name: 'roomlink_rejected_events_total',
    help: 'Socket events refused, by event and error code',
    labelNames: ['event', 'code'] as const,
    registers,
  });
  const limited = new Counter({
    name: 'roomlink_rate_limited_total',
    help: 'Events and connections refused by a rate limit, by event and scope (socket or ip)',
    labelNames: ['event', 'scope'] as const,
    registers,
  });
  const refused = new Counter({
    name: 'roomlink_connections_refused_total',
    help: 'Socket.IO handshakes refused, by reason',
    labelNames: ['reason'] as const,
    registers,
  });
  const fallbacks = new Counter({
    name: 'roomlink_membership_fallbacks_total',
    help: "Room reads that fell back to this node's members (Redis down or another node too slow)",
    registers,
  });

  const cut = new Counter({
    name: 'roomlink_connections_cut_total',
    help: 'Connections the server cut off, by reason (packet_flood, refusals, slow_reader)',
    labelNames: ['reason'] as const,
    registers,
  });

  return {
    registry,
    join: (result) => joins.inc({ result }),
    joinDuration: (seconds) => joinDuration.observe(seconds),
    admitDuration: (seconds) => admitDuration.observe(seconds),
    signalRelayed: () => signals.inc(),
    rejected: (event, code) => rejected.inc({ event, code }),
    rateLimited: (event, scope) => limited.inc({ event, scope }),
    connectionRefused: (reason) => refused.inc({ reason }),
    membershipFallback: () => fallbacks.inc(),
    connectionCut: (reason) => cut.inc({ reason }),
  };
}
