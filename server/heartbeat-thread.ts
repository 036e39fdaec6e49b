// The node's heartbeat, on a thread of its own (heartbeat.ts starts it). It refreshes the
// node's `alive` key every interval with a connection of its own, so that the main thread's
// stalls (a storm's signals relayed in one long loop iteration, a long GC: 4–6 s measured at
// 10k sockets on two nodes) do not let the key expire and the other nodes take a busy node
// for dead. It stops refreshing when the main thread has not said it runs for
// `mainSilenceLimitMs`: a main thread wedged for good is dead, and its members are swept.
// A frozen process (SIGSTOP, a suspended VM) stops this thread too.
import { parentPort, workerData } from 'node:worker_threads';
import { createRedisConnection, type RedisConnection } from './cluster.ts';
import {
  type BeatCommands,
  type BeatResult,
  beatOnce,
  type HeartbeatConfig,
  monotonicNow,
  type ToHeartbeat,
} from './heartbeat.ts';

const config = workerData as HeartbeatConfig;
const port = parentPort;
if (!port) throw new Error('heartbeat-thread.ts runs as a worker (heartbeat.ts)');

const redis = createRedisConnection(config.target, { failFastWhenDown: true }) as unknown as RedisConnection &
  BeatCommands;
// Errors come back as a failed beat; the client reconnects by itself. A client whose first
// connect fails for good (a Cluster client does not retry its first slot discovery) ends
// this thread: heartbeat.ts starts another, and logs it.
redis.on('error', () => {});
redis.connect().catch(() => process.exit(1));

/** When the main thread last said it runs (as it sent it: a message read late is not news). */
let mainSaidAt = monotonicNow();
let beating = false;
const post = (result: BeatResult) => port.postMessage(result);

async function beat(): Promise<void> {
  if (beating) return;
  if (monotonicNow() - mainSaidAt > config.mainSilenceLimitMs) return post({ type: 'held' });
  beating = true;
  try {
    post(await beatOnce(redis, config.key, config.ttlMs));
  } finally {
    beating = false;
  }
}

setInterval(() => void beat(), config.intervalMs);
port.on('message', (message: ToHeartbeat) => {
  if (message.type === 'running') mainSaidAt = Math.max(mainSaidAt, message.at);
});
