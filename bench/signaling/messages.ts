// The IPC messages between the signaling benchmark (orchestrator) and its bot processes.

export interface BotSpec {
  readonly roomId: string;
  /** Which server node this bot connects to. */
  readonly url: string;
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
  | { type: 'stats' }
  | { type: 'progress' }
  | { type: 'close' };

export interface ProcessStats {
  /** process.cpuUsage(): user + system, microseconds. */
  readonly cpuMicros: number;
  readonly rss: number;
  readonly heapUsed: number;
}

export type FromBots =
  | { type: 'ready' }
  | { type: 'reset' }
  | { type: 'connected'; ok: number; failed: number; firstError: string | null }
  | { type: 'joined'; latenciesMs: number[]; errors: number; firstError: string | null }
  | { type: 'exchanged'; signalsReceived: number; incomplete: number }
  | { type: 'progress'; signalsReceived: number; incomplete: number; firstIncomplete: string | null }
  | { type: 'stats'; stats: ProcessStats };

export type ToServer =
  | { type: 'stats'; gc: boolean }
  /** A heap snapshot after a forced GC, written to `path` (heap-profile.ts). */
  | { type: 'snapshot'; path: string }
  | { type: 'close' };

export type FromServer =
  | { type: 'listening'; port: number }
  | { type: 'snapshot'; path: string }
  | { type: 'stats'; stats: ProcessStats & { heapTotal: number; external: number; sockets: number } };
