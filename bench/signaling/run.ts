// The signaling benchmark: K bots in rooms of 6 against one or two real server nodes (each
// its own process), with the in-memory adapter or the Redis Streams adapter. Phases:
//   connect  every bot opens its WebSocket (no room yet)
//   join     joins paced at `joinRate`/s, each followed by the full exchange with its room;
//            join-ack latency is measured here, under the signaling load joins bring
//   storm    every room renegotiates at once: the relay's throughput in signals/s
// Heap is read after a forced GC in the server process: before any socket, with K idle
// sockets, and with K joined ones.
// Signals are counted exactly (tally.ts): after each round (finished, or stalled at its
// timeout) the bots keep listening until nothing moves, and lost = sent − received − refused.
import { randomBytes } from 'node:crypto';
import { buildServer } from '../../scripts/build-server.ts';
import { type AdapterEngine, SINGLE_REDIS_ENGINE } from '../../server/adapter.ts';
import { CLOSE_GRACE_MS } from '../../server/guard.ts';
import { summarize } from '../stats.ts';
import { type Child, startChild } from './child.ts';
import type { LoopReading } from './loop-watch.ts';
import type { BotSpec, FromBots, FromServer, ProcessStats, ServerStats, ToBots, ToServer } from './messages.ts';
import { type RedisServer, startRedis } from './redis.ts';
import { activityOf, addByKey, emptyCounts, lostOf, mergeCounts, type SignalCounts } from './tally.ts';

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
export async function startServerNode(
  env: NodeJS.ProcessEnv,
  label: string,
  onLine?: (line: string) => void,
): Promise<ServerChild> {
  bundled ??= buildServer('bench/signaling/server-node.ts', 'dist/bench-server-node.mjs');
  await bundled;
  return startChild<ToServer, FromServer>(SERVER_NODE_BUNDLE, env, label, onLine);
}
/** Connections each bot process opens at once. */
const CONNECT_CONCURRENCY = 50;
const SETTLE_MS = 500;
/** A round not finished this long after its last join (or the storm's start) has stalled. */
const STALL_TIMEOUT_MS = 30_000;
/**
 * Storms per configuration: one storm's rate swung by a fifth between runs an hour apart on
 * this machine, so each configuration storms this many times and reports the median round.
 */
export const STORM_ROUNDS = 3;
/** After a round, the bots listen on until nothing was sent or received for this long... */
const GRACE_QUIET_MS = 5_000;
/** ...or this long once every signal sent is accounted for (a duplicate may still come)... */
const GRACE_QUIET_ACCOUNTED_MS = 1_000;
/** ...but no longer than this after the round ended. */
const GRACE_CAP_MS = 60_000;
const GRACE_POLL_MS = 250;

/** One renegotiation storm: every room at once, from the bots' reset to the last signal. */
export interface StormRound {
  ms: number;
  signals: number;
  perSecond: number;
  incompleteBots: number;
  accounting: SignalAccounting;
}

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
  /**
   * Which node each bot reaches. 'spread' (the default): bot i goes to node i mod n, so every
   * room spans every node and most signals cross nodes, the worst case. 'room': a room's
   * members all reach one node, rooms spread over the nodes, as deploy/nginx.conf routes
   * them (it hashes the room's routing key every request carries), split exactly evenly
   * where nginx's hash splits them within ~10 %.
   */
  placement?: Placement;
}

export type Placement = 'spread' | 'room';

export interface SignalingResult {
  clients: number;
  nodes: number;
  adapter: 'memory' | AdapterEngine;
  placement: Placement;
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
    /**
     * The nodes' own share (roomlink_join_duration_seconds: join handler to ack, on the node; not the request's wait to be read): the
     * upper bound of the bucket that holds the 99th percentile (null past the last bound),
     * and the share of admitted joins done there within JOIN_P99_TARGET_MS; with the worst
     * node's event loop over the join phase.
     */
    server: {
      p99AtMostMs: number | null;
      withinTargetPct: number;
      /** Of it, the membership store's decision (with Redis, the admission's round trip): the p99's bucket bound. */
      admitP99AtMostMs: number | null;
    } & LoopReading;
    /** The worst bot process's loop over the join phase: the clock the join-acks are read on. */
    bots: LoopReading;
  };
  /** signals: received by the end of the round (every bot done, or the stall timeout). */
  exchange: { ms: number; signals: number; incompleteBots: number; accounting: SignalAccounting };
  /** The round with the median rate, and every round in order (STORM_ROUNDS of them). */
  storm: (StormRound & { rounds: StormRound[] }) | null;
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

/** One round's signals, counted by the bots, at the end of the grace. */
export interface SignalAccounting extends SignalCounts {
  /** sent − received (in time + late) − refused. */
  lost: number;
  /** Accepted and relayed by the server nodes in the round (their own counter). */
  relayed: number;
  /** Refused by the server nodes (their own counter; the bots count the 'error' events). */
  refusedByServer: number;
  /** Connections the nodes' guards cut off in the round, by reason. */
  cutByServer: Record<string, number>;
  /** How long the bots listened on after the round ended. */
  graceMs: number;
  /** Bots still missing something at the end of the grace. */
  incompleteAfterGrace: number;
  /**
   * Signals between bots that both kept their connection through the round: what is lost
   * here is lost by the relay, not with a connection that died (refusals are in `refused`).
   */
  betweenConnected: { sent: number; received: number };
}

type ServerChild = Child<ToServer, FromServer>;
type BotChild = Child<ToBots, FromBots>;

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

/**
 * The join-ack p99 the bench holds two nodes to (issue 10), ms. The nodes' own share within
 * it is read from the join histogram's bucket with this bound, so it must be one of
 * JOIN_DURATION_BUCKETS (server/metrics.ts; a test checks).
 */
export const JOIN_P99_TARGET_MS = 50;

/** The round with the median rate (the lower middle one of an even count, as summarize's). */
export function medianRound(rounds: readonly StormRound[]): StormRound {
  const sorted = [...rounds].sort((a, b) => a.perSecond - b.perSecond);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (median === undefined) throw new Error('no storm rounds');
  return median;
}

/** Where the nodes' own join durations put their 99th percentile, from the summed buckets. */
export function serverJoinShare(buckets: Record<string, number>): {
  p99AtMostMs: number | null;
  withinTargetPct: number;
} {
  const total = buckets['+Inf'] ?? 0;
  if (total === 0) return { p99AtMostMs: null, withinTargetPct: 0 };
  const bounds = Object.keys(buckets)
    .filter((le) => le !== '+Inf')
    .map(Number)
    .sort((a, b) => a - b);
  const p99 = bounds.find((le) => (buckets[String(le)] ?? 0) >= 0.99 * total);
  return {
    p99AtMostMs: p99 === undefined ? null : p99 * 1000,
    withinTargetPct: (100 * (buckets[String(JOIN_P99_TARGET_MS / 1000)] ?? 0)) / total,
  };
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
    signalsRelayed: sum.signalsRelayed + s.signalsRelayed,
    signalsRefused: sum.signalsRefused + s.signalsRefused,
    connectionsCut: addByKey(sum.connectionsCut, s.connectionsCut),
    joinBuckets: addByKey(sum.joinBuckets, s.joinBuckets),
    admitBuckets: addByKey(sum.admitBuckets, s.admitBuckets),
    loop: worstLoop(sum.loop, s.loop),
  }));
}

/** The bot processes' stats added up (their loops: the worst). */
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
    loop: worstLoop(sum.loop, s.loop),
  }));
}

/** Of two processes' loops, the worst of each figure. */
const worstLoop = (a: LoopReading, b: LoopReading): LoopReading => ({
  loopP99Ms: Math.max(a.loopP99Ms, b.loopP99Ms),
  loopMaxMs: Math.max(a.loopMaxMs, b.loopMaxMs),
  gcMaxMs: Math.max(a.gcMaxMs, b.gcMaxMs),
});

/** Bots in rooms of ROOM_SIZE (the last one may be smaller), spread over nodes and processes. */
function plan(clients: number, urls: readonly string[], procs: number, placement: Placement): BotSpec[][] {
  const rooms = Array.from({ length: Math.ceil(clients / ROOM_SIZE) }, roomId);
  const perProc: BotSpec[][] = Array.from({ length: procs }, () => []);
  for (let i = 0; i < clients; i++) {
    const room = Math.floor(i / ROOM_SIZE);
    const size = Math.min(ROOM_SIZE, clients - room * ROOM_SIZE);
    const node = (placement === 'room' ? room : i) % urls.length;
    perProc[i % procs]?.push({
      roomId: rooms[room] ?? '',
      url: urls[node] ?? '',
      node,
      expectPeers: size - 1,
      order: i,
    });
  }
  return perProc;
}

type Counted = Extract<FromBots, { type: 'count' }>;

async function countAll(bots: readonly BotChild[]): Promise<Counted[]> {
  return Promise.all(
    bots.map(async (bot) => {
      const reply = bot.next('count', 60_000);
      bot.send({ type: 'count' });
      return reply;
    }),
  );
}

interface RoundEnd {
  /** performance.now() when every bot was done, or at the stall timeout. */
  at: number;
  /** Signals received by then. */
  signals: number;
  /** Bots not done at the stall timeout (0 when the round finished). */
  incomplete: number;
}

interface OpenRound {
  /** Every bot process reported all its bots done, or the stall timeout passed. */
  ended: Promise<RoundEnd>;
  /** After the end: listens on until nothing moves (the grace), then adds up the counts. */
  settle(): Promise<SignalAccounting>;
}

/**
 * Opens a round before its first signal: at the stall timeout (timeoutMs from now) the bots
 * are told that what arrives from then on is late; the round is over for the timing at that
 * point or when every bot is done, and for the counting once the grace ends.
 */
function openRound(
  bots: readonly BotChild[],
  nodes: readonly ServerChild[],
  before: ServerStats,
  timeoutMs: number,
): OpenRound {
  const start = performance.now();
  const deadline = setTimeout(() => {
    for (const bot of bots) bot.send({ type: 'deadline' });
  }, timeoutMs);
  const ended = (async (): Promise<RoundEnd> => {
    const done = await Promise.all(
      bots.map((bot) =>
        bot.next('exchanged', timeoutMs).then(
          (m) => ({ signals: m.signalsReceived, at: performance.now() }),
          () => null,
        ),
      ),
    );
    let signals = done.reduce((sum, d) => sum + (d?.signals ?? 0), 0);
    if (!done.includes(null)) return { at: Math.max(...done.map((d) => d?.at ?? start)), signals, incomplete: 0 };
    // Stalled: the deadline has been sent (same timeout); what the stalled processes had then.
    const counted = await countAll(bots);
    let incomplete = 0;
    counted.forEach((c, p) => {
      if (done[p] === null) signals += c.counts.inTime;
      incomplete += c.incomplete;
    });
    const first = counted.find((c) => c.firstIncomplete !== null)?.firstIncomplete ?? '';
    console.warn(`    round stalled: ${incomplete} bots incomplete at the ${timeoutMs / 1000} s timeout; ${first}`);
    return { at: start + timeoutMs, signals, incomplete };
  })();
  return {
    ended,
    async settle() {
      await ended;
      const grace = await listenOn(bots);
      clearTimeout(deadline);
      const after = await serverStats(nodes, false);
      const between = await Promise.all(
        bots.map(async (bot) => {
          const reply = bot.next('between', 60_000);
          bot.send({ type: 'between', disconnected: grace.disconnected });
          return reply;
        }),
      );
      return {
        ...grace.counts,
        lost: lostOf(grace.counts),
        relayed: after.signalsRelayed - before.signalsRelayed,
        refusedByServer: after.signalsRefused - before.signalsRefused,
        cutByServer: subtractByKey(after.connectionsCut, before.connectionsCut),
        graceMs: grace.ms,
        incompleteAfterGrace: grace.incomplete,
        betweenConnected: {
          sent: between.reduce((sum, b) => sum + b.sent, 0),
          received: between.reduce((sum, b) => sum + b.received, 0),
        },
      };
    },
  };
}

/** Polls the bot processes until their counts stand still (see GRACE_*); returns the last. */
async function listenOn(
  bots: readonly BotChild[],
): Promise<{ counts: SignalCounts; incomplete: number; disconnected: string[]; ms: number }> {
  const start = performance.now();
  let activity = -1;
  let movedAt = start;
  for (;;) {
    const counted = await countAll(bots);
    const counts = counted.reduce((sum, c) => mergeCounts(sum, c.counts), emptyCounts());
    const incomplete = counted.reduce((sum, c) => sum + c.incomplete, 0);
    const pending = counted.reduce((sum, c) => sum + c.pendingOffers, 0);
    const now = performance.now();
    if (activityOf(counts) !== activity) {
      activity = activityOf(counts);
      movedAt = now;
    }
    const quietMs = lostOf(counts) === 0 ? GRACE_QUIET_ACCOUNTED_MS : GRACE_QUIET_MS;
    const settled = pending === 0 && now - movedAt >= quietMs;
    if (settled || now - start >= GRACE_CAP_MS) {
      return { counts, incomplete, disconnected: counted.flatMap((c) => c.disconnected), ms: now - start };
    }
    await sleep(GRACE_POLL_MS);
  }
}

const subtractByKey = (a: Record<string, number>, b: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(a).map(([key, n]) => [key, n - (b[key] ?? 0)]));

const cpuPct = (micros: number, ms: number): number => (ms > 0 ? (micros / 1000 / ms) * 100 : Number.NaN);
const kb = (bytes: number): number => bytes / 1024;
const mb = (bytes: number): number => bytes / 1024 / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a node logs at warn or above (LOG_LEVEL=warn), counted by message over the whole run:
 * a node taken for dead, Redis timeouts, connections cut, and its event-loop delay at the end.
 */
function createWarningCounter(): { onLine(line: string): void; lines(): string[] } {
  /** Per message: how many times (a burst's line counts what it stands for), and the largest `maxMs` one carried. */
  const seen = new Map<string, { count: number; maxMs: number | null }>();
  return {
    onLine(line) {
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      const { msg, maxMs, more, level } = (entry ?? {}) as {
        msg?: unknown;
        maxMs?: unknown;
        more?: unknown;
        level?: unknown;
      };
      if (typeof msg !== 'string') return;
      // Where the node listens is logged at info whatever LOG_LEVEL (server/logger.ts noticesOf).
      if (typeof level === 'number' && level < 40) return;
      const was = seen.get(msg) ?? { count: 0, maxMs: null };
      const ms = typeof maxMs === 'number' ? Math.max(maxMs, was.maxMs ?? 0) : was.maxMs;
      // A line that stands for a burst (server/log-burst.ts) says how many it counted.
      seen.set(msg, { count: was.count + (typeof more === 'number' ? more : 1), maxMs: ms });
    },
    lines: () =>
      [...seen].map(
        ([msg, { count, maxMs }]) =>
          `${msg}${count > 1 ? ` (×${count})` : ''}${maxMs === null ? '' : ` (longest ${maxMs} ms)`}`,
      ),
  };
}

export async function runSignaling(run: SignalingRun): Promise<SignalingResult> {
  const placement = run.placement ?? 'spread';
  let redis: RedisServer | null = null;
  const nodes: ServerChild[] = [];
  const bots: BotChild[] = [];
  const warnings: Array<ReturnType<typeof createWarningCounter>> = [];
  try {
    if (run.redis) redis = await startRedis();
    const env = serverEnv(redis?.url ?? null, run.engine);
    for (let n = 0; n < run.nodes; n++) {
      const counter = createWarningCounter();
      warnings.push(counter);
      nodes.push(await startServerNode(env, `server node ${n}`, counter.onLine));
    }
    const ports = await Promise.all(nodes.map(async (node) => (await node.next('listening', 120_000)).port));
    const urls = ports.map((port) => `http://127.0.0.1:${port}`);
    const base = await serverStats(nodes, true);

    const specs = plan(run.clients, urls, run.botProcs, placement);
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
    const exchangeRound = openRound(bots, nodes, serverBefore, joinSeconds * 1000 + STALL_TIMEOUT_MS);
    for (const bot of bots) bot.send({ type: 'join', startAt, rate: run.joinRate });
    const joined = await Promise.all(joinedReplies);
    const joinEnd = performance.now();
    const exchange = await exchangeRound.ended;
    const serverAfterJoin = await serverStats(nodes, false);
    const botsAfterJoin = await botStats(bots);
    const exchangeMs = exchange.at - joinStart;
    const exchangeAccounting = await exchangeRound.settle();
    const latencies = joined.flatMap((j) => j.latenciesMs);
    const lat = summarize(latencies);
    const joinErrors = joined.reduce((sum, j) => sum + j.errors, 0);

    // Storm: every room renegotiates at once. The heap with K joined sockets is read after
    // it: the forced GC that reading needs stops a node for seconds at 10k sockets on a
    // loaded machine, past its Redis heartbeat, and a storm right after it measured the
    // other node taking this one for dead and its return, not the relay.
    let storm: SignalingResult['storm'] = null;
    let stormCpu: { server: number; bots: number } | null = null;
    if (!run.quick) {
      const rounds: StormRound[] = [];
      const cpu = { server: 0, bots: 0, ms: 0 };
      for (let round = 0; round < STORM_ROUNDS; round++) {
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
        const stormRound = openRound(bots, nodes, serverBeforeStorm, STALL_TIMEOUT_MS);
        for (const bot of bots) bot.send({ type: 'storm' });
        const result = await stormRound.ended;
        const stormMs = result.at - stormStart;
        const serverAfterStorm = await serverStats(nodes, false);
        const botsAfterStorm = await botStats(bots);
        rounds.push({
          ms: stormMs,
          signals: result.signals,
          perSecond: result.signals / (stormMs / 1000),
          incompleteBots: result.incomplete,
          accounting: await stormRound.settle(),
        });
        cpu.server += serverAfterStorm.cpuMicros - serverBeforeStorm.cpuMicros;
        cpu.bots += botsAfterStorm.cpuMicros - botsBeforeStorm.cpuMicros;
        cpu.ms += stormMs;
      }
      storm = { ...medianRound(rounds), rounds };
      stormCpu = { server: cpuPct(cpu.server, cpu.ms), bots: cpuPct(cpu.bots, cpu.ms) };
    }

    await sleep(SETTLE_MS);
    const full = await serverStats(nodes, true);

    // The same server once every bot has gone: what it allocated once (code compiled on
    // first use, caches, grown tables) stays in this figure and leaves the per-socket one.
    for (const bot of bots) bot.send({ type: 'close' });
    let drained = await serverStats(nodes, true);
    const drainDeadline = performance.now() + 30_000;
    while (drained.sockets > 0 && performance.now() < drainDeadline) {
      await sleep(200);
      drained = await serverStats(nodes, true);
    }
    // Read again once what a closing connection may still arm (the guard's grace for a
    // WebSocket left open) is over: a connection held then would count against the
    // per-socket figure, as the 0.5 s timer every session armed until 2026-12-04 did.
    await sleep(CLOSE_GRACE_MS + SETTLE_MS);
    drained = await serverStats(nodes, true);

    const sockets = full.sockets;
    return {
      clients: run.clients,
      nodes: run.nodes,
      adapter: run.redis ? (run.engine ?? SINGLE_REDIS_ENGINE) : 'memory',
      placement,
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
        server: {
          ...serverJoinShare(serverAfterJoin.joinBuckets),
          admitP99AtMostMs: serverJoinShare(serverAfterJoin.admitBuckets).p99AtMostMs,
          ...serverAfterJoin.loop,
        },
        bots: botsAfterJoin.loop,
      },
      exchange: {
        ms: exchangeMs,
        signals: exchange.signals,
        incompleteBots: exchange.incomplete,
        accounting: exchangeAccounting,
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
    warnings.forEach((counter, n) => {
      for (const line of counter.lines()) console.log(`    server node ${n}: ${line}`);
    });
    const closures = redis?.outputBufferClosures() ?? 0;
    if (closures > 0) {
      console.log(
        `    redis cut ${closures} connection(s) off for their output buffer: what was published to them meanwhile is lost`,
      );
    }
    await redis?.stop();
  }
}
