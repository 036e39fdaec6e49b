// Starts the node's heartbeat thread (heartbeat-thread.ts) and passes on what each beat
// found. The main thread tells the thread it runs once per interval; the thread beats on
// its own clock, so a stall here does not stop the beats (see heartbeat-thread.ts).
//
// Until the thread's beats succeed (it loads its code and connects in its own time: up to
// 3 s seen under tsx on a loaded machine, longer than a node TTL) and whenever they stop
// succeeding (it died and is being started again; its connection is still finding a Cluster
// shard's new master), the main thread beats itself with `beatOnce`
// (membership-liveness.ts) on its own connection, so the key never waits on the thread.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RedisTarget } from './cluster.ts';
import type { Logger } from './logger.ts';

export interface HeartbeatConfig {
  target: RedisTarget;
  /** The key refreshed each beat (BEAT: its expiry pushed back, or the key written anew). */
  key: string;
  ttlMs: number;
  intervalMs: number;
  /** The thread stops beating when the main thread has been silent this long. */
  mainSilenceLimitMs: number;
}

export type BeatResult =
  /**
   * The key is there for another TTL. `lapsed`: it had expired since the last beat (or never
   * existed) and this beat wrote it anew, under a new `generation` (its value, which beats
   * that find it there keep).
   */
  | { type: 'beat'; lapsed: boolean; generation: string }
  /** The command failed (the shard failed over, or the connection broke meanwhile). */
  | { type: 'failed'; message: string }
  /** No connection: nothing was sent. */
  | { type: 'down' }
  /** The main thread has been silent too long: no beat (the node lets itself be swept). */
  | { type: 'held' };

/** `at`: when the main thread sent it (monotonicNow: the threads' performance.now() origins differ). */
export type ToHeartbeat = { type: 'running'; at: number };

/** A clock shared by both threads that the wall clock's steps do not move. */
export const monotonicNow = (): number => performance.timeOrigin + performance.now();

/** What a beat needs of a Redis connection. */
export interface BeatCommands {
  readonly isReady: boolean;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * One beat, atomic: a key that is there keeps its value (its generation) and gets another
 * TTL; a missing one is written with the generation given. The reply says which, and the
 * generation the key now holds. A node's upkeep (membership-upkeep.ts) reads its own key's
 * generation: a new one means the key lapsed and was written anew, even before the beat
 * that did it has been reported (the heartbeat thread's report is a message that the main
 * thread may read after its next read of Redis).
 */
const BEAT = `local generation = redis.call('GET', KEYS[1])
if generation then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {0, generation}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1, ARGV[1]}`;

/** One beat: refreshes the key and says whether it had lapsed. */
export async function beatOnce(redis: BeatCommands, key: string, ttlMs: number): Promise<BeatResult> {
  if (!redis.isReady) return { type: 'down' };
  try {
    const reply = await redis.eval(BEAT, {
      keys: [key],
      arguments: [randomBytes(9).toString('base64url'), String(ttlMs)],
    });
    if (!Array.isArray(reply) || typeof reply[1] !== 'string') throw new Error('unexpected reply to a beat');
    return { type: 'beat', lapsed: reply[0] === 1, generation: reply[1] };
  } catch (error) {
    return { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

export interface Heartbeat {
  /** The thread's beats have succeeded within the last interval and a half. */
  live(): boolean;
  close(): void;
}

// Run as TypeScript under tsx (tests, development); beside a bundle, the thread's own bundle
// (build-server.ts writes dist/server.heartbeat.mjs with dist/server.mjs).
const AS_TYPESCRIPT = import.meta.url.endsWith('.ts');
const THREAD_URL = AS_TYPESCRIPT
  ? new URL('./heartbeat-thread.ts', import.meta.url)
  : new URL(import.meta.url.replace(/\.mjs$/, '.heartbeat.mjs'));

/**
 * A worker does not inherit the main thread's module hooks (Node 20), so under tsx the
 * thread's TypeScript is bundled, once per process, into a plain module in .tmp/ (named by
 * its content, so processes share it and a change makes a new one), which a worker loads as
 * it loads the built one. Loading the TypeScript through tsx in each worker cost ~1.4 CPU-s
 * a thread, with tsx's own hooks thread (the unit phase starts ~110, on two busy cores), and
 * tsx's `require` API namespaces what it compiles, so its disk cache never hit and grew by
 * an entry a file a thread.
 */
function newThread(config: HeartbeatConfig): Worker {
  if (!AS_TYPESCRIPT) return new Worker(THREAD_URL, { workerData: config });
  // Without this process's flags: a worker inherits them, and `--import tsx` loaded tsx and
  // started its module-hooks thread for each (0.7 CPU-s more a thread) to load plain JavaScript.
  return new Worker(bundledThread(), { workerData: config, execArgv: [] });
}

let bundledThreadUrl: URL | undefined;
function bundledThread(): URL {
  if (bundledThreadUrl !== undefined) return bundledThreadUrl;
  // Loaded here only: esbuild is a build tool, and the server's bundle never takes this path.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const [output] = esbuild.buildSync({
    entryPoints: [fileURLToPath(THREAD_URL)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies stay imports, found in node_modules from .tmp/ as from the sources.
    packages: 'external',
    sourcemap: 'inline',
    write: false,
    logLevel: 'warning',
  }).outputFiles;
  if (output === undefined) throw new Error('esbuild wrote no heartbeat thread');
  const name = createHash('sha256').update(output.contents).digest('hex').slice(0, 16);
  const dir = new URL('../.tmp/heartbeat-thread/', import.meta.url);
  const url = new URL(`${name}.mjs`, dir);
  if (!existsSync(url)) {
    mkdirSync(dir, { recursive: true });
    // Written whole, then named: another process may be loading the same file.
    const partial = new URL(`${name}.${process.pid}.partial`, dir);
    writeFileSync(partial, output.contents);
    renameSync(partial, url);
  }
  bundledThreadUrl = url;
  return url;
}

export function startHeartbeat(
  config: HeartbeatConfig,
  onResult: (result: BeatResult) => void,
  logger: Logger,
): Heartbeat {
  let closed = false;
  let worker: Worker | undefined;
  let restart: NodeJS.Timeout | undefined;
  /** When the thread last beat. */
  let beatAt = Number.NEGATIVE_INFINITY;

  const start = () => {
    if (closed) return;
    const thread = newThread(config);
    worker = thread;
    thread.unref();
    thread.on('message', (result: BeatResult) => {
      if (closed) return;
      if (result.type === 'beat') beatAt = performance.now();
      onResult(result);
    });
    thread.on('error', (error) => logger.error({ err: error }, 'membership: the heartbeat thread failed'));
    // A thread that died is started again (after a beat's interval, so that one that cannot
    // start does not spin); the main thread beats meanwhile (live() is false).
    thread.on('exit', (code) => {
      if (closed) return;
      logger.warn({ code }, 'membership: the heartbeat thread stopped; starting it again');
      restart = setTimeout(start, config.intervalMs);
      restart.unref();
    });
  };
  start();

  const running = setInterval(
    () => worker?.postMessage({ type: 'running', at: monotonicNow() } satisfies ToHeartbeat),
    config.intervalMs,
  );
  running.unref();

  return {
    // Less than two intervals: the main thread's beat must land before a TTL (three) passes.
    live: () => performance.now() - beatAt < 1.5 * config.intervalMs,
    close() {
      if (closed) return;
      closed = true;
      clearInterval(running);
      clearTimeout(restart);
      void worker?.terminate();
    },
  };
}
