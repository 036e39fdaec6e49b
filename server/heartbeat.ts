// Starts the node's heartbeat thread (heartbeat-thread.ts) and passes on what each beat
// found. The main thread tells the thread it runs once per interval; the thread beats on
// its own clock, so a stall here does not stop the beats (see heartbeat-thread.ts).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RedisTarget } from './cluster.ts';
import type { Logger } from './logger.ts';

export interface HeartbeatConfig {
  target: RedisTarget;
  /** The key refreshed each beat (SET … PX ttlMs GET). */
  key: string;
  ttlMs: number;
  intervalMs: number;
  /** The thread stops beating when the main thread has been silent this long. */
  mainSilenceLimitMs: number;
}

export type BeatResult =
  /** The key was written; `lapsed`: it had expired since the last beat (or never existed). */
  | { type: 'beat'; lapsed: boolean }
  /** The command failed (the shard failed over, or the connection broke meanwhile). */
  | { type: 'failed'; message: string }
  /** No connection: nothing was sent. */
  | { type: 'down' }
  /** The main thread has been silent too long: no beat (the node lets itself be swept). */
  | { type: 'held' };

export type ToHeartbeat = { type: 'running' } | { type: 'beat-now' };

export interface Heartbeat {
  /** Beats at once; resolves with the next result. */
  beatNow(): Promise<BeatResult>;
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
 * thread loads its TypeScript through tsx's require API.
 */
function newThread(config: HeartbeatConfig): Worker {
  if (!AS_TYPESCRIPT) return new Worker(THREAD_URL, { workerData: config });
  const file = JSON.stringify(fileURLToPath(THREAD_URL));
  const tsx = JSON.stringify(createRequire(import.meta.url).resolve('tsx/cjs/api'));
  return new Worker(`require(${tsx}).require(${file}, ${file});`, { eval: true, workerData: config });
}

export function startHeartbeat(
  config: HeartbeatConfig,
  onResult: (result: BeatResult) => void,
  logger: Logger,
): Heartbeat {
  let closed = false;
  let worker: Worker;
  let waiters: Array<(result: BeatResult) => void> = [];
  const send = (message: ToHeartbeat) => worker.postMessage(message);

  const start = () => {
    worker = newThread(config);
    worker.unref();
    worker.on('message', (result: BeatResult) => {
      if (closed) return;
      onResult(result);
      const waiting = waiters;
      waiters = [];
      for (const resolve of waiting) resolve(result);
    });
    worker.on('error', (error) => logger.error({ err: error }, 'membership: the heartbeat thread failed'));
    // A thread that died is started again (after a beat's interval, so that one that cannot
    // start does not spin): without it this node would be swept for dead.
    worker.on('exit', () => {
      if (!closed) setTimeout(start, config.intervalMs).unref();
    });
  };
  start();

  const running = setInterval(() => send({ type: 'running' }), config.intervalMs);
  running.unref();

  return {
    beatNow() {
      return new Promise((resolve) => {
        waiters.push(resolve);
        send({ type: 'beat-now' });
      });
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(running);
      for (const resolve of waiters) resolve({ type: 'down' });
      waiters = [];
      void worker.terminate();
    },
  };
}
