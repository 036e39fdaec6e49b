// The node's heartbeat, on a thread of its own (heartbeat.ts starts it). It refreshes the
// node's `alive` key every interval with a connection of its own, so that the main thread's
// stalls (a storm's signals relayed in one long loop iteration, a long GC: 4–5 s measured at
// 10k sockets on two nodes) do not let the key expire and the other nodes take a busy node
// for dead. It stops refreshing when the main thread has not said it runs for
// `mainSilenceLimitMs`: a main thread wedged for good is dead, and its members are swept.
// A frozen process (SIGSTOP, a suspended VM) stops this thread too.
import { parentPort, workerData } from 'node:worker_threads';
import { createRedisConnection, type RedisConnection, type RedisTarget } from './cluster.ts';
import type { BeatResult, HeartbeatConfig, ToHeartbeat } from './heartbeat.ts';

interface Commands extends RedisConnection {
  set(key: string, value: string, options: { PX: number; GET: true }): Promise<string | null>;
}

const config = workerData as HeartbeatConfig;
const port = parentPort;
if (!port) throw new Error('heartbeat-thread.ts runs as a worker (heartbeat.ts)');

const redis = createRedisConnection(config.target satisfies RedisTarget, {
  failFastWhenDown: true,
}) as unknown as Commands;
// Errors come back as a failed beat; the client reconnects by itself.
redis.on('error', () => {});
redis.connect().catch(() => {});

let mainSaidAt = performance.now();
let beating = false;
const post = (result: BeatResult) => port.postMessage(result);

async function beat(): Promise<void> {
  if (beating) return;
  if (performance.now() - mainSaidAt > config.mainSilenceLimitMs) return post({ type: 'held' });
  if (!redis.isReady) return post({ type: 'down' });
  beating = true;
  try {
    const before = await redis.set(config.key, '1', { PX: config.ttlMs, GET: true });
    post({ type: 'beat', lapsed: before === null });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    beating = false;
  }
}

setInterval(() => void beat(), config.intervalMs);
port.on('message', (message: ToHeartbeat) => {
  if (message.type === 'running') mainSaidAt = performance.now();
  else if (message.type === 'beat-now') void beat();
});
