// The IPC messages between the signaling benchmark (orchestrator) and its bot processes.

import type { LoopReading } from './loop-watch.ts';
import type { SignalCounts } from './tally.ts';

export interface BotSpec {
  readonly roomId: string;
  /** Which server node this bot connects to, and its index (signals are counted per hop). */
  readonly url: string;
  readonly node: number;
  /** Members of its room besides itself: the exchange is complete when all were heard. */
  readonly expectPeers: number;
  /** Place in the global join order (joins are paced: startAt + order / rate). */
  readonly order: number;
}

export type ToBots =
  | { type: 'setup'; bots: BotSpec[] }
  | { type: 'connect'; concurrency: number }
  | { type: 'join'; startAt: number; rate: number }
  | { type: 'reset' }
  | { type: 'storm' }
  /** The round's stall timeout passed: what arrives from now on is late. */
  | { type: 'deadline' }
  | { type: 'stats' }
  | { type: 'count' }
  /** Signals between bots that kept their connection (none of `disconnected`). */
  | { type: 'between'; disconnected: string[] }
  | { type: 'close' };

export interface ProcessStats {
  /** process.cpuUsage(): user + system, microseconds. */
  readonly cpuMicros: number;
  readonly rss: number;
  readonly heapUsed: number;
  /** Its event loop's lateness and GC pauses since the previous stats request. */
  readonly loop: LoopReading;
}

export type FromBots =
  | { type: 'ready' }
  | { type: 'reset' }
  | { type: 'connected'; ok: number; failed: number; firstError: string | null }
  | { type: 'joined'; latenciesMs: number[]; errors: number; firstError: string | null }
  /** Every bot of the process heard every member: signals received by then. */
  | { type: 'exchanged'; signalsReceived: number }
  | {
      type: 'count';
      counts: SignalCounts;
      incomplete: number;
      firstIncomplete: string | null;
      pendingOffers: number;
      /** Peer ids of its bots whose connection closed without the bench asking. */
      disconnected: string[];
    }
  | { type: 'between'; sent: number; received: number }
  | { type: 'stats'; stats: ProcessStats };

export type ToServer =
  | { type: 'stats'; gc: boolean }
  /** A heap snapshot after a forced GC, written to `path` (heap-profile.ts). */
  | { type: 'snapshot'; path: string }
  | { type: 'close' };

export type FromServer =
  | { type: 'listening'; port: number }
  | { type: 'snapshot'; path: string }
  | { type: 'stats'; stats: ServerStats };

export interface ServerStats extends ProcessStats {
  readonly heapTotal: number;
  readonly external: number;
  readonly sockets: number;
  /** Signals the node accepted and relayed (roomlink_signals_relayed_total). */
  readonly signalsRelayed: number;
  /** Signals it refused (roomlink_rejected_events_total for 'signal'). */
  readonly signalsRefused: number;
  /** Connections its guard cut off, by reason (roomlink_connections_cut_total). */
  readonly connectionsCut: Record<string, number>;
  /** Admitted joins at or under each bound in seconds, cumulative (roomlink_join_duration_seconds). */
  readonly joinBuckets: Record<string, number>;
  /** Of those joins, the membership store's decision (roomlink_membership_admit_duration_seconds). */
  readonly admitBuckets: Record<string, number>;
}
