// The signaling parts: K bots against one in-memory node (signaling), and against Redis —
// one node with the Redis adapter (the adapter's cost at the same K), and at the largest K
// the three adapters side by side on two nodes (sharded pub/sub, classic pub/sub, Streams),
// then the default one on three nodes, every room spread over every node; then the default
// on two nodes with each room on one node, as deploy/nginx.conf routes them.

import { ADAPTER_ENGINES, SINGLE_REDIS_ENGINE } from '../../server/adapter.ts';
import { fmt, fmtRatio, type Row, row, verdict } from '../report/rows.ts';
import { openFileNote } from '../signaling/child.ts';
import {
  JOIN_P99_TARGET_MS,
  ROOM_SIZE,
  runSignaling,
  type SignalAccounting,
  type SignalingResult,
  STORM_ROUNDS,
} from '../signaling/run.ts';
import { addByKey, mergeCounts } from '../signaling/tally.ts';
import type { PartResult } from './types.ts';

const HEAP_TARGET_KB = 10;
const HEAP_TARGET_CLIENTS = 10_000;
/** Several nodes must relay a storm at least this fraction of one node's rate (same run). */
const STORM_RATIO_TARGET = 0.8;

export interface SignalingOptions {
  clients: readonly number[];
  joinRate: number;
  botProcs: number;
  quick: boolean;
}

const log = (text: string): void => console.log(`  ${text}`);

/** sent / in time / late / refused / duplicates / lost, as the rows give them. */
function accountingText(a: SignalAccounting): string {
  const n = (value: number) => value.toLocaleString('en-US');
  return `${n(a.sent)} / ${n(a.inTime)} / ${n(a.late)} / ${n(a.refused)} / ${n(a.duplicates)} / ${n(a.lost)}`;
}

/** The log's detail: what the rows leave out, for finding where a lost signal went. */
function accountingDetail(a: SignalAccounting): string {
  const hops = Object.entries(a.hops)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([hop, c]) => `${hop} ${c.sent - c.received}`)
    .join(', ');
  return (
    `sent/in time/late/refused/dup/lost ${accountingText(a)}; relayed by the nodes ${a.relayed}, refused by them ${a.refusedByServer};` +
    ` stray ${a.stray}, untagged ${a.untagged}; disconnected ${JSON.stringify(a.disconnects)}, cut by the nodes ${JSON.stringify(a.cutByServer)};` +
    ` unreceived per hop (from>to node) ${hops}; between bots that kept their connection ${a.betweenConnected.sent - a.betweenConnected.received} unreceived of ${a.betweenConnected.sent};` +
    ` grace ${fmt(a.graceMs / 1000, 's', 1)}, ${a.incompleteAfterGrace} bots incomplete after it`
  );
}

/** The bucket bound that holds the nodes' own 99th percentile (the histogram's resolution). */
const bucketBound = (p99AtMostMs: number | null): string =>
  p99AtMostMs === null ? 'over 5 s' : `≤ ${fmt(p99AtMostMs, 'ms', 1)}`;
const serverP99 = (r: SignalingResult): string => bucketBound(r.join.server.p99AtMostMs);

function describe(r: SignalingResult): string {
  return (
    `K=${r.clients} ${r.nodes} node(s) ${r.adapter}${r.placement === 'room' ? ' rooms routed' : ''}: connect ${r.connect.ok}/${r.clients}, join p50 ${fmt(r.join.p50Ms, 'ms')} p99 ${fmt(r.join.p99Ms, 'ms')} (on the nodes: p99 ${serverP99(r)}, admission ${bucketBound(r.join.server.admitP99AtMostMs)})` +
    ` (${r.join.errors} errors), exchange ${r.exchange.incompleteBots} bots incomplete [${accountingDetail(r.exchange.accounting)}],` +
    ` storm ${fmt(r.storm?.perSecond, 'signals/s', 0)} (${r.storm?.incompleteBots ?? '–'} bots incomplete) [${r.storm ? accountingDetail(r.storm.accounting) : '–'}],` +
    ` heap/socket ${fmt(r.server.heapPerJoinedSocketWarmKB, 'KB')} warm ${fmt(r.server.heapPerJoinedSocketKB, 'KB')} cold, server CPU join ${fmt(r.server.cpuJoinPct, '%', 0)} storm ${fmt(r.server.cpuStormPct, '%', 0)}`
  );
}

async function measure(run: Parameters<typeof runSignaling>[0]): Promise<SignalingResult> {
  const result = await runSignaling(run);
  log(describe(result));
  return result;
}

const ENGINE_LABEL = { sharded: 'Redis sharded pub/sub', pubsub: 'Redis pub/sub', streams: 'Redis Streams' } as const;

function label(r: SignalingResult): string {
  const routed = r.nodes > 1 && r.placement === 'room' ? ', each room on one node (as nginx routes)' : '';
  return `K=${r.clients.toLocaleString('en-US')}${r.nodes > 1 ? `, ${r.nodes} nodes` : ''}, ${r.adapter === 'memory' ? 'in-memory' : ENGINE_LABEL[r.adapter]}${routed}`;
}

/** Two rounds in a row together (the join exchange, then each storm: the row's figures). */
function sumAccounting(a: SignalAccounting, b: SignalAccounting): SignalAccounting {
  const merged = mergeCounts(a, b);
  // A signal of the earlier round that arrived only in the later one (a stray there) was
  // counted lost by the earlier: over both rounds it is late.
  return {
    ...merged,
    late: merged.late + b.stray,
    stray: a.stray,
    lost: a.lost + b.lost - b.stray,
    relayed: a.relayed + b.relayed,
    refusedByServer: a.refusedByServer + b.refusedByServer,
    cutByServer: addByKey(a.cutByServer, b.cutByServer),
    graceMs: a.graceMs + b.graceMs,
    incompleteAfterGrace: a.incompleteAfterGrace + b.incompleteAfterGrace,
    betweenConnected: {
      sent: a.betweenConnected.sent + b.betweenConnected.sent,
      received: a.betweenConnected.received + b.betweenConnected.received,
    },
  };
}

export function rowsFor(part: string, r: SignalingResult, base: SignalingResult | undefined, joinRate: number): Row[] {
  const vs = (a: number | null | undefined, b: number | null | undefined) =>
    base && a != null && b != null ? fmtRatio(a, b) : '';
  const heapJudged = r.nodes === 1 && r.clients >= HEAP_TARGET_CLIENTS;
  const complete = r.connect.failed === 0 && r.join.errors === 0 && r.exchange.incompleteBots === 0;
  const stormRatio = base?.storm && r.storm ? r.storm.perSecond / base.storm.perSecond : null;
  const storms = r.storm?.rounds ?? [];
  const signals = storms.reduce((sum, round) => sumAccounting(sum, round.accounting), r.exchange.accounting);
  const stormIncomplete = storms.reduce((sum, round) => sum + round.incompleteBots, 0);
  const incomplete = r.exchange.incompleteBots + stormIncomplete;
  const stalledNever = storms.reduce((sum, round) => sum + round.accounting.incompleteAfterGrace, 0);
  return [
    row(
      part,
      `${label(r)}: join-ack p50 / p99 at ${joinRate}/s${r.exchange.incompleteBots > 0 ? ` (exchange incomplete for ${r.exchange.incompleteBots} bots)` : ''}`,
      {
        app: `${fmt(r.join.p50Ms, 'ms')} / ${fmt(r.join.p99Ms, 'ms')}`,
        ratio: vs(r.join.p99Ms, base?.join.p99Ms),
        target: `p99 ≤ ${JOIN_P99_TARGET_MS} ms`,
        result: verdict(complete && r.join.p99Ms <= JOIN_P99_TARGET_MS),
      },
    ),
    row(
      part,
      `${label(r)}: the nodes' own share of a join (join handler to ack, on the node): p99; admitted within ${JOIN_P99_TARGET_MS} ms; of it, the membership store's decision${r.adapter === 'memory' ? '' : ' (the Redis round trip)'}: p99; the worst node's event loop lateness over the join phase, p99 / max; its longest GC pause`,
      {
        app: `${serverP99(r)}; ${fmt(r.join.server.withinTargetPct, '%', 1)}; ${bucketBound(r.join.server.admitP99AtMostMs)}; ${fmt(r.join.server.loopP99Ms, 'ms', 0)} / ${fmt(r.join.server.loopMaxMs, 'ms', 0)}; ${fmt(r.join.server.gcMaxMs, 'ms', 0)}`,
      },
    ),
    row(
      part,
      `${label(r)}: the clocks the join-acks are read on: the worst bot process's event loop lateness over the join phase, p99 / max; its longest GC pause`,
      {
        app: `${fmt(r.join.bots.loopP99Ms, 'ms', 0)} / ${fmt(r.join.bots.loopMaxMs, 'ms', 0)}; ${fmt(r.join.bots.gcMaxMs, 'ms', 0)}`,
      },
    ),
    row(
      part,
      `${label(r)}: signals relayed (storm), the median of ${storms.length || STORM_ROUNDS} storms and each in order${stormIncomplete > 0 ? `, stalled: ${stormIncomplete} bots not done at 30 s, ${stalledNever} never` : ''}`,
      {
        app: r.storm
          ? `${fmt(r.storm.perSecond, '/s', 0)} (${r.storm.signals.toLocaleString('en-US')} in ${fmt(r.storm.ms / 1000, 's', 1)}${r.storm.incompleteBots > 0 ? ' until the 30 s stall timeout' : ''}; ${storms.map((round) => fmt(round.perSecond, '', 0)).join(', ')})`
          : '–',
        ratio: vs(r.storm?.perSecond, base?.storm?.perSecond),
        target: r.nodes > 1 && stormRatio !== null ? `≥ ${STORM_RATIO_TARGET * 100} % of 1 node` : '',
        result: r.nodes > 1 && stormRatio !== null ? verdict(stormRatio >= STORM_RATIO_TARGET) : '',
      },
    ),
    row(
      part,
      `${label(r)}: signals sent / in time / late / refused / duplicates / lost (join + storms); bots incomplete`,
      {
        app: `${accountingText(signals)}; ${incomplete} incomplete`,
        target: '0 lost, 0 duplicates, 0 incomplete',
        result: verdict(signals.lost === 0 && signals.duplicates === 0 && incomplete === 0),
      },
    ),
    row(part, `${label(r)}: heap (warm / cold empty server) / RSS per joined socket`, {
      app: `${fmt(r.server.heapPerJoinedSocketWarmKB, 'KB', 1)} / ${fmt(r.server.heapPerJoinedSocketKB, 'KB', 1)} / ${fmt(r.server.rssPerJoinedSocketKB, 'KB', 1)}`,
      ratio: vs(r.server.heapPerJoinedSocketWarmKB, base?.server.heapPerJoinedSocketWarmKB),
      target: heapJudged ? `heap ≤ ${HEAP_TARGET_KB} KB` : '',
      // Below zero, the server held less after every bot left than with them joined minus
      // the empty server: other state (a GC, the adapter's own) moved more than the sockets
      // held, so there is no per-socket figure to judge.
      result: heapJudged
        ? verdict(
            r.server.heapPerJoinedSocketWarmKB < 0
              ? null
              : r.server.heapPerJoinedSocketWarmKB <= HEAP_TARGET_KB &&
                  r.server.sockets >= r.clients &&
                  r.server.drainedSockets === 0,
          )
        : '',
    }),
    row(part, `${label(r)}: server CPU join / storm (bots)`, {
      app: `${fmt(r.server.cpuJoinPct, '%', 0)} / ${fmt(r.server.cpuStormPct, '%', 0)} (${fmt(r.bots.cpuJoinPct, '%', 0)} / ${fmt(r.bots.cpuStormPct, '%', 0)})`,
    }),
  ];
}

const SIGNALS_NOTE =
  "signals are counted one by one: each carries its sender's sequence number; bots count what they send, the distinct signals they receive (in time: before the round's 30 s stall timeout; late: after it, while they listen on until nothing moves for 5 s, or 1 s once all are accounted for, at most 60 s), refusals (the server's error events) and duplicates; lost = sent − received − refused, the join exchange and every storm added up (a signal of one round that arrives only in the next counts as late). A bot is incomplete when it had not heard its whole room by the stall timeout.";

const commonNotes = (options: SignalingOptions): string[] => [
  `signaling: bots are socket.io-client over WebSocket (no long-polling), in rooms of ${ROOM_SIZE}; per pair one offer, one answer and 3 candidates each way (SDP ~1.5 KB); ${options.botProcs} bot processes on the same machine as the server(s).`,
  `signaling: ${openFileNote()}.`,
  'signaling: per-address rate limits are off (every bot shares 127.0.0.1); per-socket limits are the defaults; LOG_LEVEL=warn.',
  'signaling: heap is heapUsed after a forced GC in the server process with K joined sockets, minus the same once every bot has left (warm: what the server allocates once, on first use, is not counted per socket) and minus the same before any socket (cold), divided by K; the target judges the warm figure. The server node runs from an esbuild bundle made like `npm start`\'s (no tsx, whose keepNames costs ~256 bytes per named closure). "ratio" compares with the in-memory single node at the same K.',
  `signaling: ${SIGNALS_NOTE}`,
  'signaling: storm = every room renegotiates at once (all bots send at the same moment); CPU is % of one core over the phase (server; bots in brackets).',
];

export async function runSignalingPart(options: SignalingOptions): Promise<PartResult & { data: SignalingResult[] }> {
  const data: SignalingResult[] = [];
  for (const clients of options.clients) {
    data.push(
      await measure({
        clients,
        nodes: 1,
        redis: false,
        joinRate: options.joinRate,
        botProcs: options.botProcs,
        quick: options.quick,
      }),
    );
  }
  return {
    part: 'signaling',
    rows: data.flatMap((r) => rowsFor('signaling', r, undefined, options.joinRate)),
    data,
    notes: commonNotes(options),
  };
}

export async function runRedisPart(
  options: SignalingOptions,
  memory: readonly SignalingResult[],
): Promise<PartResult & { data: SignalingResult[] }> {
  const data: SignalingResult[] = [];
  const baselines = [...memory];
  const largest = Math.max(...options.clients);
  for (const clients of options.clients) {
    const run = { clients, redis: true, joinRate: options.joinRate, botProcs: options.botProcs, quick: options.quick };
    // The ratios (storm ≥ 80 % of one node) compare with an in-memory node of the same run:
    // measured here when the signaling part did not run.
    if (!baselines.some((m) => m.clients === clients)) {
      const baseline = await measure({ ...run, redis: false, nodes: 1 });
      baselines.push(baseline);
      data.push(baseline);
    }
    if (clients !== largest) {
      data.push(await measure({ ...run, nodes: 2 }));
      continue;
    }
    // One node with Redis: the adapter's own cost against the in-memory node.
    data.push(await measure({ ...run, nodes: 1 }));
    // The engines side by side on two nodes, then the default on three: every room over
    // every node, the worst case.
    for (const engine of ADAPTER_ENGINES) data.push(await measure({ ...run, nodes: 2, engine }));
    data.push(await measure({ ...run, nodes: 3, engine: SINGLE_REDIS_ENGINE }));
    // Two nodes behind deploy/nginx.conf, which sends each room to one node.
    data.push(await measure({ ...run, nodes: 2, engine: SINGLE_REDIS_ENGINE, placement: 'room' }));
  }
  const rows = data.flatMap((r) =>
    rowsFor(
      'redis',
      r,
      r.adapter === 'memory' ? undefined : baselines.find((m) => m.clients === r.clients),
      options.joinRate,
    ),
  );
  return {
    part: 'redis',
    rows,
    data,
    notes: [
      `redis: a fresh redis-server per run on a free loopback port (no persistence), stopped after; the server nodes use REDIS_URL; the adapter is named in each row (default: ${ENGINE_LABEL[SINGLE_REDIS_ENGINE]}); with n nodes, bot i connects to node i mod n, so every room spans every node, except in the row that says each room is on one node: there a room's bots all reach node (room index mod n), as deploy/nginx.conf routes by the room's routing key (an exactly even split, where nginx's hash is within ~10 %).`,
      `redis: ${SIGNALS_NOTE}`,
      'redis: membership (cap, names, member list) is one Lua script per join on the same Redis in every row.',
    ],
  };
}
