// One roomlink signaling node for the benchmark: the real server (createApp, configured
// from the environment exactly as server.ts is), in a process of its own so that its heap,
// RSS and CPU belong to it alone. It answers the orchestrator's IPC: stats (after a forced
// GC when asked: run with --expose-gc; with the node's signal counters) and close.
import { writeHeapSnapshot } from 'node:v8';
import { ADAPTER_ENGINES, type AdapterEngine } from '../../server/adapter.ts';
import { createApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config.ts';
import { watchLoop } from './loop-watch.ts';
import type { FromServer, ToServer } from './messages.ts';
import { signalCounters } from './server-counters.ts';

const reply = (message: FromServer): void => {
  process.send?.(message);
};

// No public STUN default: nothing in a benchmark reaches outside (STUN_URLS may still say).
const parsed = parseConfig({ STUN_URLS: 'none', ...process.env }, []);
if (parsed.kind !== 'config') {
  console.error(
    `bench server: invalid configuration: ${parsed.kind === 'invalid' ? parsed.errors.join('; ') : 'help'}`,
  );
  process.exit(1);
}
// Which Redis adapter to measure (the orchestrator compares them); the default otherwise.
const wanted = process.env['BENCH_ADAPTER'];
const adapterEngine = ADAPTER_ENGINES.find((engine) => engine === wanted);
// No restart grace (server/returning.ts newcomersWait): the bench's nodes are fresh, with no
// member to come back, and its bots join at once. With ROOMLINK_SECRET and no Redis, a node
// refuses joins without a ticket for its first 5 s, and every bot's join was refused
// (bench-smoke.test caught it).
const app = createApp(parsed.config, {
  restartGraceMs: 0,
  ...(adapterEngine ? { adapterEngine: adapterEngine as AdapterEngine } : {}),
});
const { port } = await app.listen();
reply({ type: 'listening', port });

const gc = (globalThis as { gc?: () => void }).gc;
// How late this node's event loop ran (its timers: the Redis heartbeat among them) and its GC
// pauses since the last stats request; a delay over a second is logged: a node that misses
// its heartbeat shows why among the warnings the bench prints.
const loop = watchLoop();
const LOOP_DELAY_WORTH_SAYING_MS = 1_000;
/** The window now open starts with a forced GC: its pause is the bench's, not the node's. */
let forcedGcInWindow = false;

process.on('message', async (raw) => {
  const message = raw as ToServer;
  if (message.type === 'stats') {
    const reading = loop.read();
    if (reading.loopMaxMs >= LOOP_DELAY_WORTH_SAYING_MS && !forcedGcInWindow) {
      console.log(
        JSON.stringify({ level: 40, maxMs: Math.round(reading.loopMaxMs), msg: 'event loop delayed over 1 s' }),
      );
    }
    forcedGcInWindow = message.gc;
    if (message.gc && gc) {
      gc();
      gc();
    }
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const signals = await signalCounters(app.metrics.registry);
    reply({
      type: 'stats',
      stats: {
        cpuMicros: cpu.user + cpu.system,
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
        external: memory.external,
        sockets: app.io.engine.clientsCount,
        signalsRelayed: signals.relayed,
        signalsRefused: signals.refused,
        connectionsCut: signals.cut,
        joinBuckets: signals.joinBuckets,
        admitBuckets: signals.admitBuckets,
        loop: reading,
      },
    });
  } else if (message.type === 'snapshot') {
    gc?.();
    gc?.();
    reply({ type: 'snapshot', path: writeHeapSnapshot(message.path) });
  } else if (message.type === 'close') {
    void app.close().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => void app.close().finally(() => process.exit(0)));
