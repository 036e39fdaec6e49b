// Revoked resume tickets: a member who left with room:leave is gone for good, so every ticket
// for its peer id in that room stops working (a peer id is random and never handed out
// again). A revocation is kept as long as a ticket lives (resume.ts), after which the
// ticket's own expiry refuses it.
//
// One node: a Map. Several nodes: a Redis key per revocation as well,
//   roomlink:{roomId}:left:{peerId}   with an expiry of the ticket lifetime,
// so a leave on one node revokes the ticket on every node. This node's own revocations are
// always checked first; while Redis is away (or too slow) only those are known — the same
// degraded mode as the membership store's — and, as the membership store does with its
// members, the node writes them back when Redis is back (a restarted Redis is empty) and
// writes again the ones Redis did not confirm.
import { connectUntilUp, createRedisConnection, firstFailure, type RedisTarget } from './cluster.ts';
import { connectionErrors } from './log-burst.ts';
import type { Logger } from './logger.ts';
import { DeadlineError, deadline } from './timeout.ts';

/** A node keeps at most this many revocations in memory; past it, the oldest go first. */
const MAX_LOCAL_REVOCATIONS = 100_000;
const PREFIX = 'roomlink';
/** How often revocations Redis did not confirm are written again (while it answers). */
const WRITE_BACK_RETRY_MS = 5_000;

export interface TicketRevocations {
  /** Every ticket for this peer id in this room stops working. */
  revoke(roomId: string, peerId: string): Promise<void>;
  revoked(roomId: string, peerId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** This node's revocations, oldest first (one lifetime for all, so expiry order too). */
function createLocalRevocations(lifetimeMs: number) {
  const until = new Map<string, number>();
  const keyOf = (roomId: string, peerId: string) => `${roomId}\n${peerId}`;
  const prune = (now: number) => {
    for (const [key, expiry] of until) {
      if (expiry > now && until.size <= MAX_LOCAL_REVOCATIONS) break;
      until.delete(key);
    }
  };
  return {
    revoke(roomId: string, peerId: string, now = Date.now()): void {
      const key = keyOf(roomId, peerId);
      until.delete(key); // re-inserted at the end: the Map stays in expiry order
      until.set(key, now + lifetimeMs);
      prune(now);
    },
    revoked(roomId: string, peerId: string, now = Date.now()): boolean {
      const expiry = until.get(keyOf(roomId, peerId));
      return expiry !== undefined && expiry > now;
    },
    /** The revocations still in force, with the milliseconds each has left. */
    *live(now = Date.now()): Generator<{ roomId: string; peerId: string; leftMs: number }> {
      for (const [key, expiry] of until) {
        if (expiry <= now) continue;
        const [roomId = '', peerId = ''] = key.split('\n');
        yield { roomId, peerId, leftMs: expiry - now };
      }
    },
  };
}

export function createMemoryRevocations(lifetimeMs: number): TicketRevocations {
  const local = createLocalRevocations(lifetimeMs);
  return {
    revoke: async (roomId, peerId) => local.revoke(roomId, peerId),
    revoked: async (roomId, peerId) => local.revoked(roomId, peerId),
    close: async () => {},
  };
}

export interface RedisRevocationOptions {
  target: RedisTarget;
  logger: Logger;
  lifetimeMs: number;
  /** A command not answered within this is served from this node's revocations. */
  timeoutMs: number;
}

/** The commands used here, as both a Redis client and a Cluster client offer them. */
interface Commands {
  isReady: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  on(event: 'error' | 'ready', listener: (error: unknown) => void): unknown;
  set(key: string, value: string, options: { PX: number }): Promise<unknown>;
  exists(key: string): Promise<number>;
}

export function createRedisRevocations(options: RedisRevocationOptions): TicketRevocations {
  const { lifetimeMs, timeoutMs } = options;
  const log = options.logger.child({ component: 'resume-revocations' });
  const local = createLocalRevocations(lifetimeMs);
  const redis = createRedisConnection(options.target, { failFastWhenDown: true }) as unknown as Commands;
  const keyOf = (roomId: string, peerId: string) => `${PREFIX}:{${roomId}}:left:${peerId}`;
  let closed = false;
  const errors = connectionErrors(log, 'resume revocations: redis error');
  redis.on('error', (error) => errors.error(error));
  void connectUntilUp(redis, () => closed, firstFailure(log, 'resume revocations'));
  /** Revocations whose write Redis did not confirm: written again at the next upkeep. */
  let unconfirmed = false;
  /** Writes every revocation still in force, with what is left of its lifetime. */
  const writeBack = async (): Promise<void> => {
    unconfirmed = false;
    const writes: Promise<unknown>[] = [];
    for (const { roomId, peerId, leftMs } of local.live()) {
      writes.push(redis.set(keyOf(roomId, peerId), '1', { PX: Math.max(1, Math.round(leftMs)) }));
    }
    const results = await Promise.allSettled(writes);
    if (results.some((result) => result.status === 'rejected')) unconfirmed = true;
  };
  // Back after an outage (or first up): Redis may have lost or never had them.
  redis.on('ready', () => {
    errors.ready();
    if (!closed) void writeBack();
  });
  const upkeep = setInterval(() => {
    if (unconfirmed && !closed && redis.isReady) void writeBack();
  }, WRITE_BACK_RETRY_MS);
  upkeep.unref();

  /** The command's answer, or undefined when Redis cannot answer now. */
  const ask = async <T>(what: string, command: () => Promise<T>): Promise<T | undefined> => {
    if (closed || !redis.isReady) return undefined;
    try {
      return await deadline(command(), timeoutMs);
    } catch (error) {
      if (error instanceof DeadlineError) return undefined;
      log.warn({ what, err: error }, 'resume revocations: redis failed');
      return undefined;
    }
  };

  return {
    async revoke(roomId, peerId) {
      local.revoke(roomId, peerId);
      const written = await ask('set', () => redis.set(keyOf(roomId, peerId), '1', { PX: lifetimeMs }));
      if (written === undefined) unconfirmed = true;
    },
    async revoked(roomId, peerId) {
      if (local.revoked(roomId, peerId)) return true;
      return (await ask('exists', () => redis.exists(keyOf(roomId, peerId)))) === 1;
    },
    async close() {
      closed = true;
      clearInterval(upkeep);
      errors.close();
      try {
        redis.destroy();
      } catch {
        // already closed
      }
    },
  };
}
