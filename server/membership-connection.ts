// The Redis store's connection (membership-redis.ts), and the ways a room's script goes
// through it: `run` (EVALSHA, the script loaded again where Redis lacks it), `ask` (within
// the command timeout, or null: the store then serves from this node's members) and
// `quietly` (a write whose failure only marks its room for the write-back). Every error,
// and every connection made again, marks Redis stale (membership-stale.ts); a room's failed
// command marks its room, saying why (staleCause).
import { createHash } from 'node:crypto';
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  DisconnectsClientError,
  MaxCommandRedirectionsError,
  ReconnectStrategyError,
  RootNodesUnavailableError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
} from '@redis/client';
import { connectUntilUp, createRedisConnection, firstFailure, type RedisTarget } from './cluster.ts';
import { burstLog, connectionErrors } from './log-burst.ts';
import type { Logger } from './logger.ts';
import { awayKey, membersKey, namesKey } from './membership-keys.ts';
import type { StaleCause, StaleRooms } from './membership-stale.ts';
import { deadline } from './timeout.ts';

/** "Served locally" warnings after the first of a burst are counted and logged this often. */
const SERVED_LOCALLY_LOG_WINDOW_MS = 5_000;

interface EvalArgs {
  keys: string[];
  arguments: string[];
}

/** The commands used by the store, as both a Redis client and a Cluster client offer them. */
export interface Commands {
  isReady: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  on(event: 'error' | 'ready', listener: (error?: unknown) => void): unknown;
  evalSha(sha: string, args: EvalArgs): Promise<unknown>;
  eval(script: string, args: EvalArgs): Promise<unknown>;
  sAdd(key: string, member: string): Promise<unknown>;
  sRem(key: string, member: string): Promise<unknown>;
  sMembers(key: string): Promise<string[]>;
  set(key: string, value: string, options: { PX: number; NX?: true; GET?: true }): Promise<string | null>;
  getDel(key: string): Promise<string | null>;
  hGet(key: string, field: string): Promise<string | null>;
  exists(key: string): Promise<number>;
  mGet(keys: string[]): Promise<Array<string | null>>;
  del(key: string): Promise<unknown>;
}

export interface MembershipConnectionOptions {
  target: RedisTarget;
  log: Logger;
  /** A command not answered within this is served from this node's members. */
  timeoutMs: number;
  stale: StaleRooms;
  /** The store was closed: stop connecting, ask nothing more. */
  closed(): boolean;
}

export interface MembershipConnection {
  /** The commands themselves, for what is not a room's script. */
  readonly redis: Commands;
  /** Not closed, and connected: Redis may be asked. */
  up(): boolean;
  /** A room's script (KEYS: its members, names and away keys), loaded again on a NOSCRIPT. */
  run(script: string, roomId: string, args: string[]): Promise<unknown>;
  /** Redis's answer, or null when it cannot be had now (then: serve locally, reconcile later). */
  ask(script: string, roomId: string, args: string[]): Promise<unknown[] | number | null>;
  /** A write left to run: failed, it marks its room stale and is logged at debug level. */
  quietly(what: string, roomId: string, promise: Promise<unknown>): Promise<unknown>;
  /** Logs what the served-locally burst still counts, and drops the connection. */
  close(): void;
}

const sha1 = (script: string): string => createHash('sha1').update(script).digest('hex');

/** node-redis's errors for a connection down, dropped or not to be had, by their messages (a few cross as plain Errors). */
const CONNECTION_LOST = new Set(
  [
    new ClientClosedError(),
    new ClientOfflineError(),
    new SocketClosedUnexpectedlyError(),
    new DisconnectsClientError(),
    new ConnectionTimeoutError(),
    new SocketTimeoutError(0),
    new RootNodesUnavailableError(),
    new MaxCommandRedirectionsError(),
  ].map((error) => error.message.replace(/\d+/g, '')),
);
/** Redis's replies for a shard that cannot serve the key now: a Cluster failing over, a node loading or a replica. */
const SHARD_UNAVAILABLE = /^(?:CLUSTERDOWN|TRYAGAIN|MOVED|ASK|READONLY|LOADING|MASTERDOWN)\b/;
/** A socket's own errors (Node's codes) for a node not reached. */
const UNREACHED = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Why a room's command failed, as its stale mark says it (membership-stale.ts). 'unreachable'
 * only when the room's shard could not be reached: the connection down ('The client is
 * offline'), dropped mid-command, not to be had (node-redis's reconnect strategy gave up),
 * a Cluster refusing while a shard fails over (CLUSTERDOWN, TRYAGAIN, MOVED/ASK past its
 * redirections), a socket refused or reset. Anything else is 'late': no answer in time (our
 * deadline, node-redis's command timeout, BUSY), and an error of the command itself (a
 * script's, an OOM): 'unreachable' mends the room, announcing every member to every node,
 * and until 2026-12-08 a script failing again in one room did so on every heartbeat.
 */
export function staleCause(error: unknown): StaleCause {
  if (!(error instanceof Error)) return 'late';
  if (error instanceof ReconnectStrategyError) return 'unreachable';
  if (CONNECTION_LOST.has(error.message.replace(/\d+/g, ''))) return 'unreachable';
  if (SHARD_UNAVAILABLE.test(error.message)) return 'unreachable';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && UNREACHED.has(code) ? 'unreachable' : 'late';
}

export function openMembershipConnection(options: MembershipConnectionOptions): MembershipConnection {
  const { log, timeoutMs, stale, closed } = options;
  const redis = createRedisConnection(options.target, { failFastWhenDown: true }) as unknown as Commands;
  const shas = new Map<string, string>();
  /** Many at once when a node loses many clients together: one line, then a count per window. */
  const servedLocally = burstLog(log, 'membership: served locally', SERVED_LOCALLY_LOG_WINDOW_MS);
  const errors = connectionErrors(log, 'membership: redis error');

  redis.on('error', (error) => {
    errors.error(error);
    stale.mark();
  });
  redis.on('ready', () => {
    errors.ready();
    stale.mark();
  });
  void connectUntilUp(redis, closed, firstFailure(log, 'membership'));

  /** EVALSHA, loading the script on a NOSCRIPT (a restarted Redis, another Cluster shard). */
  const run = async (script: string, roomId: string, args: string[]): Promise<unknown> => {
    let sha = shas.get(script);
    if (sha === undefined) {
      sha = sha1(script);
      shas.set(script, sha);
    }
    const call = { keys: [membersKey(roomId), namesKey(roomId), awayKey(roomId)], arguments: args };
    try {
      return await redis.evalSha(sha, call);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(script, call);
    }
  };

  return {
    redis,
    up: () => !closed() && redis.isReady,
    run,
    async ask(script, roomId, args) {
      if (closed()) return null;
      if (!redis.isReady) {
        stale.mark(roomId, 'unreachable');
        return null;
      }
      try {
        const reply = await deadline(run(script, roomId, args), timeoutMs);
        return Array.isArray(reply) || typeof reply === 'number' ? reply : null;
      } catch (error) {
        stale.mark(roomId, staleCause(error));
        servedLocally.warn({ roomId, err: error });
        return null;
      }
    },
    quietly: (what, roomId, promise) =>
      promise.catch((error: unknown) => {
        stale.mark(roomId, staleCause(error));
        log.debug({ what, err: error }, 'membership: failed');
      }),
    close() {
      servedLocally.close();
      errors.close();
      try {
        redis.destroy();
      } catch {
        // already closed
      }
    },
  };
}
