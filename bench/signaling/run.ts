// The signaling benchmark: K bots in rooms of 6 against one or two real server nodes (each
// its own process), with the in-memory adapter or the Redis Streams adapter. Phases:
//   connect  every bot opens its WebSocket (no room yet)
//   join     joins paced at `joinRate`/s, each followed by the full exchange with its room;
//            join-ack latency is measured here, under the signaling load joins bring
//   storm    every room renegotiates at once: the relay's throughput in signals/s
// Heap is read after a forced GC in the server process: before any socket, with K idle
// sockets, and with K joined ones.
import { randomBytes } from 'node:crypto';
import { buildServer } from '../../scripts/build-server.ts';
import { type AdapterEngine, DEFAULT_ADAPTER_ENGINE } from '../../server/adapter.ts';
import { summarize } from '../stats.ts';
import { type Child, startChild } from './child.ts';
import type { BotSpec, FromBots, FromServer, ProcessStats, ToBots, ToServer } from './messages.ts';
import { type RedisServer, startRedis } from './redis.ts';
import { CANDIDATES_PER_PEER } from './sdp.ts';

export const ROOM_SIZE = 6;
/**
 * The server node runs from an esbuild bundle made like `npm start`'s dist/server.mjs, not
 * through tsx: tsx compiles with keepNames, whose __name() gives every named closure a
 * dictionary of properties (~256 bytes each, measured), and the server keeps several per
 * socket — a heap figure production would not have.
 */
const SERVER_NODE_BUNDLE = '../../dist/bench-server-node.mjs';
let bundled: Promise<void> | undefined;

/** A server node in its own process (bundled once per run). */
export async function startServerNode(env: NodeJS.ProcessEnv, label: string): Promise<ServerChild> {
  bundled ??= buildServer('bench/signaling/server-node.ts', 'dist/bench-server-node.mjs');
  await bundled;
  return startChild<ToServer, FromServer>(SERVER_NODE_BUNDLE, env, label);
}
/** Connections each bot process opens at once. */
const CONNECT_CONCURRENCY = 50;
const SETTLE_MS = 500;
/** A round not finished this long after its last join (or the storm's start) has stalled. */
const STALL_TIMEOUT_MS = 30_000;

export interface SignalingRun {
  clients: number;
  nodes: number;
  botProcs: number;
  joinRate: number;
  /** Join and exchange only (no storm, fewer GC reads): for the smoke test. */
  quick?: boolean;
  redis: boolean;
  /** With Redis: the adapter to measure (default: the server's default). */
  engine?: AdapterEngine;
}

export interface SignalingResult {
  clients: number;
  nodes: number;
  adapter: 'memory' | AdapterEngine;
  redisVersion: string | null;
  botProcs: number;
  connect: { ms: number; ok: number; failed: number; firstError: string | null };
  join: {
    rate: number;
    achievedRate: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    errors: number;
    firstError: string | null;
  };
  /** lostSignals: signals owed to bots that never arrived (expected minus received, at least 0). */
  exchange: { ms: number; signals: number; expectedSignals: number; lostSignals: number; incompleteBots: number };
  storm: {
    ms: number;
    signals: number;
    expectedSignals: number;
    lostSignals: number;
    perSecond: number;
    incompleteBots: number;
  } | null;
  server: {
    baseHeapMB: number;
    heapPerIdleSocketKB: number;
    /** (heap with K joined sockets − heap of the empty server before any socket) / K. */
    heapPerJoinedSocketKB: number;
    /** The same minus the server after every socket left (one-off allocations excluded). */
    heapPerJoinedSocketWarmKB: number;
    /** Sockets still open when the drained heap was read (0 unless they never closed). */
    drainedSockets: number;
    rssPerJoinedSocketKB: number;
    rssMB: number;
    sockets: number;
    cpuJoinPct: number;
    cpuStormPct: number | null;
  };
  bots: { cpuJoinPct: number; cpuStormPct: number | null };
}

type ServerChild = Child<ToServer, FromServer>;
type BotChild = Child<ToBots, FromBots>;
type ServerStats = Extract<FromServer, { type: 'stats' }>['stats'];

const roomId = (): string => randomBytes(16).toString('base64url').slice(0, 21);

export function serverEnv(redisUrl: string | null, engine: AdapterEngine | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ROOMLINK_SECRET: 'bench-secret-not-for-production',
    // Every bot comes from 127.0.0.1: per-address limits would measure themselves. The
    // per-socket limits stay as configured by default.
    JOIN_RATE_IP: 'off',
    SIGNAL_RATE_IP: 'off',
    CONNECT_RATE_IP: 'off',
    ICE_REFRESH_RATE_IP: 'off',
    WIRE_LOG: '',
  };
  delete env['REDIS_URL'];
  delete env['REDIS_CLUSTER_NODES'];
  delete env['BENCH_ADAPTER'];
  if (redisUrl !== null) env['REDIS_URL'] = redisUrl;
  if (engine !== undefined) env['BENCH_ADAPTER'] = engine;
  return env;
}

async function serverStats(nodes: readonly ServerChild[], gc: boolean): Promise<ServerStats> {
  const all = await Promise.all(
    nodes.map(async (node) => {
      const reply = node.next('stats');
      node.send({ type: 'stats', gc });
      return (await reply).stats;
    }),
  );
  return all.reduce((sum, s) => ({
    cpuMicros: sum.cpuMicros + s.cpuMicros,
    rss: sum.rss + s.rss,
    heapUsed: sum.heapUsed + s.heapUsed,
    heapTotal: sum.heapTotal + s.heapTotal,
    external: sum.external + s.external,
    sockets: sum.sockets + s.sockets,
  }));
}

async function botStats(bots: readonly BotChild[]): Promise<ProcessStats> {
  const all = await Promise.all(
    bots.map(async (bot) => {
      const reply = bot.next('stats');
      bot.send({ type: 'stats' });
      return (await reply).stats;
    }),
  );
  return all.reduce((sum, s) => ({
    cpuMicros: sum.cpuMicros + s.cpuMicros,
    rss: sum.rss + s.rss,
    heapUsed: sum.heapUsed + s.heapUsed,
  }));
}

/** Bots in rooms of ROOM_SIZE (the last one may be smaller), spread over nodes and processes. */
function plan(clients: number, urls: readonly string[], procs: number): BotSpec[][] {
  const rooms = Array.from({ length: Math.ceil(clients / ROOM_SIZE) }, roomId);
  const perProc: BotSpec[][] = Array.from({ length: procs }, () => []);
  for (let i = 0; i < clients; i++) {
    const room = Math.floor(i / ROOM_SIZE);
    const size = Math.min(ROOM_SIZE, clients - room * ROOM_SIZE);
    perProc[i % procs]?.push({
      roomId: rooms[room] ?? '',
      url: urls[i % urls.length] ?? '',
      expectPeers: size - 1,
      order: i,
    });
  }
  return perProc;
}

/** Signals one full exchange carries without glare: every member sends each other one description and candidates. */
function expectedSignals(clients: number): number {
  let total = 0;
  for (let start = 0; start < clients; start += ROOM_SIZE) {
    const size = Math.min(ROOM_SIZE, clients - start);
    total += size * (size - 1) * (1 + CANDIDATES_PER_PEER);
  }
  return total;
}

/** Waits for every bot process to finish the round; one that stalls reports its progress instead. */
async function allExchanged(
  bots: readonly BotChild[],
  timeoutMs: number,
): Promise<{ signals: number; incomplete: number; at: number }> {
  const results = await Promise.all(
    bots.map((bot) =>
      bot.next('exchanged', timeoutMs).then(
        (m) => ({ ...m, at: performance.now() }),
        async () => {
          const at = performance.now();
          const reply = bot.next('progress', 60_000);
          bot.send({ type: 'progress' });
          const progress = await reply;
          console.warn(
            `    exchange stalled: ${progress.incomplete} bots incomplete; ${progress.firstIncomplete ?? ''}`,
          );
          return { signalsReceived: progress.signalsReceived, incomplete: progress.incomplete, at };
        },
      ),
    ),
  );
  return {
    signals: results.reduce((sum, r) => sum + r.signalsReceived, 0),
    incomplete: results.reduce((sum, r) => sum + r.incomplete, 0),
    at: Math.max(...results.map((r) => r.at)),
  };
}

const cpuPct = (micros: number, ms: number): number => (ms > 0 ? (micros / 1000 / ms) * 100 : Number.NaN);
const kb = (bytes: number): number => bytes / 1024;
const mb = (bytes: number): number => bytes / 1024 / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSignaling(run: SignalingRun): Promise<SignalingResult> {
  let redis: RedisServer | null = null;
  const nodes: ServerChild[] = [];
  const bots: BotChild[] = [];
  try {
    if (run.redis) redis = await startRedis();
    const env = serverEnv(redis?.url ?? null, run.engine);
    for (let n = 0; n < run.nodes; n++) nodes.push(await startServerNode(env, `server node ${n}`));
    const ports = await Promise.all(nodes.map(async (node) => (await node.next('listening', 120_000)).port));
    const urls = ports.map((port) => `http://127.0.0.1:${port}`);
    const base = await serverStats(nodes, true);

    const specs = plan(run.clients, urls, run.botProcs);
    for (let p = 0; p < run.botProcs; p++)
      bots.push(startChild<ToBots, FromBots>('./bot-worker.ts', process.env, `bot process ${p}`));
    await Promise.all(
      bots.map(async (bot, p) => {
        const ready = bot.next('ready', 30_000);
        bot.send({ type: 'setup', bots: specs[p] ?? [] });
        await ready;
      }),
    );

    // Connect.
    const connectStart = performance.now();
    const connected = await Promise.all(
      bots.map(async (bot) => {
        const reply = bot.next('connected', 300_000);
        bot.send({ type: 'connect', concurrency: CONNECT_CONCURRENCY });
        return reply;
      }),
    );
    const connectMs = performance.now() - connectStart;
    await sleep(SETTLE_MS);
    const idle = await serverStats(nodes, !run.quick);

    // Join (paced), each followed by its room's exchange.
    const joinSeconds = run.clients / run.joinRate;
    const serverBefore = await serverStats(nodes, false);
    const botsBefore = await botStats(bots);
    const startAt = Date.now() + 200;
    const joinStart = performance.now() + 200;
    const joinedReplies = bots.map((bot) => bot.next('joined', joinSeconds * 1000 + 60_000));
    const exchanged = allExchanged(bots, joinSeconds * 1000 + STALL_TIMEOUT_MS);
    for (const bot of bots) bot.send({ type: 'join', startAt, rate: run.joinRate });
    const joined = await Promise.all(joinedReplies);
    const joinEnd = performance.now();
    const exchange = await exchanged;
    const serverAfterJoin = await serverStats(nodes, false);
    const botsAfterJoin = await botStats(bots);
    const exchangeMs = exchange.at - joinStart;
    const latencies = joined.flatMap((j) => j.latenciesMs);
    const lat = summarize(latencies);
    const joinErrors = joined.reduce((sum, j) => sum + j.errors, 0);

    await sleep(SETTLE_MS);
    const full = await serverStats(nodes, true);

    // Storm: every room renegotiates at once.
    let storm: SignalingResult['storm'] = null;
    let stormCpu: { server: number; bots: number } | null = null;
    if (!run.quick) {
      await Promise.all(
        bots.map(async (bot) => {
          const reply = bot.next('reset');
          bot.send({ type: 'reset' });
          await reply;
        }),
      );
      const serverBeforeStorm = await serverStats(nodes, false);
      const botsBeforeStorm = await botStats(bots);
      const stormStart = performance.now();
      const stormDone = allExchanged(bots, STALL_TIMEOUT_MS);
      for (const bot of bots) bot.send({ type: 'storm' });
      const result = await stormDone;
      const stormMs = result.at - stormStart;
      const serverAfterStorm = await serverStats(nodes, false);
      const botsAfterStorm = await botStats(bots);
      storm = {
        ms: stormMs,
        signals: result.signals,
        expectedSignals: expectedSignals(run.clients),
        lostSignals: Math.max(0, expectedSignals(run.clients) - result.signals),
        perSecond: result.signals / (stormMs / 1000),
        incompleteBots: result.incomplete,
      };
      stormCpu = {
        server: cpuPct(serverAfterStorm.cpuMicros - serverBeforeStorm.cpuMicros, stormMs),
        bots: cpuPct(botsAfterStorm.cpuMicros - botsBeforeStorm.cpuMicros, stormMs),
      };
    }

    // The same server once every bot has gone: what it allocated once (code compiled on
    // first use, caches, grown tables) stays in this figure and leaves the per-socket one.
    for (const bot of bots) bot.send({ type: 'close' });
    let drained = await serverStats(nodes, true);
    const drainDeadline = performance.now() + 30_000;
    while (drained.sockets > 0 && performance.now() < drainDeadline) {
      await sleep(200);
      drained = await serverStats(nodes, true);
    }

    const sockets = full.sockets;
    return {
      clients: run.clients,
      nodes: run.nodes,
      adapter: run.redis ? (run.engine ?? DEFAULT_ADAPTER_ENGINE) : 'memory',
      redisVersion: redis?.version ?? null,
      botProcs: run.botProcs,
      connect: {
        ms: connectMs,
        ok: connected.reduce((sum, c) => sum + c.ok, 0),
        failed: connected.reduce((sum, c) => sum + c.failed, 0),
        firstError: connected.find((c) => c.firstError !== null)?.firstError ?? null,
      },
      join: {
        rate: run.joinRate,
        achievedRate: latencies.length / ((joinEnd - joinStart) / 1000),
        p50Ms: lat.p50,
        p99Ms: lat.p99,
        maxMs: lat.max,
        errors: joinErrors,
        firstError: joined.find((j) => j.firstError !== null)?.firstError ?? null,
      },
      exchange: {
        ms: exchangeMs,
        signals: exchange.signals,
        expectedSignals: expectedSignals(run.clients),
        lostSignals: Math.max(0, expectedSignals(run.clients) - exchange.signals),
        incompleteBots: exchange.incomplete,
      },
      storm,
      server: {
        baseHeapMB: mb(base.heapUsed),
        heapPerIdleSocketKB: kb((idle.heapUsed - base.heapUsed) / Math.max(1, idle.sockets)),
        heapPerJoinedSocketKB: kb((full.heapUsed - base.heapUsed) / Math.max(1, sockets)),
        heapPerJoinedSocketWarmKB: kb((full.heapUsed - drained.heapUsed) / Math.max(1, sockets)),
        drainedSockets: drained.sockets,
        rssPerJoinedSocketKB: kb((full.rss - base.rss) / Math.max(1, sockets)),
        rssMB: mb(full.rss),
        sockets,
        cpuJoinPct: cpuPct(serverAfterJoin.cpuMicros - serverBefore.cpuMicros, exchangeMs),
        cpuStormPct: stormCpu?.server ?? null,
      },
      bots: {
        cpuJoinPct: cpuPct(botsAfterJoin.cpuMicros - botsBefore.cpuMicros, exchangeMs),
        cpuStormPct: stormCpu?.bots ?? null,
      },
    };
  } finally {
    for (const bot of bots) bot.send({ type: 'close' });
    await Promise.all(bots.map((bot) => bot.stop(3_000)));
    for (const node of nodes) node.send({ type: 'close' });
    await Promise.all(nodes.map((node) => node.stop(8_000)));
    const closures = redis?.outputBufferClosures() ?? 0;
    if (closures > 0) {
      console.log(
        `    redis cut ${closures} connection(s) off for their output buffer: what was published to them meanwhile is lost`,
      );
    }
    await redis?.stop();
  }
}
