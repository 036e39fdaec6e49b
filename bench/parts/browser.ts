// The browser parts (mesh, latency, burst, leave): each figure for roomlink and for the bare
// baseline, runs interleaved (app, bare, app, bare, …) so that load from elsewhere on the
// machine falls on both alike.
import { availableParallelism } from 'node:os';
import type { BrowserBenchEnv } from '../browser/env.ts';
import { type LeaveKind, type LeaveResult, measureLeaveOnce, summarizeLeave } from '../browser/leave.ts';
import { type MeshRun, measureMeshOnce } from '../browser/mesh.ts';
import {
  type LatencyResult,
  type MessagingResult,
  measureDrawingBareLatency,
  measureMessaging,
  measurePinnedLatency,
} from '../browser/messaging.ts';
import type { Flavor } from '../browser/room.ts';
import { formatSteps } from '../browser/steps.ts';
import { fmt, fmtRatio, type Row, row, verdict } from '../report/rows.ts';
import { type Summary, summarize } from '../stats.ts';
import type { PartResult } from './types.ts';

/** Room sizes with a mesh target (issue 8: rooms of two and of eight, each ≤ 1.5× bare). */
const MESH_TARGET_SIZES: readonly number[] = [2, 8];
const MESH_TARGET_RATIO = 1.5;

export interface MeshSize {
  n: number;
  app: { runs: MeshRun[]; summary: Summary; deliveries: number };
  bare: { runs: MeshRun[]; summary: Summary; deliveries: number };
  expectedDeliveries: number;
}

const log = (text: string): void => console.log(`  ${text}`);

export async function runMeshPart(
  env: BrowserBenchEnv,
  sizes: readonly number[],
  runs: number,
): Promise<PartResult & { data: MeshSize[] }> {
  const data: MeshSize[] = [];
  for (const n of sizes) {
    const collected: Record<Flavor, MeshRun[]> = { app: [], bare: [] };
    for (let run = 0; run < runs; run++) {
      for (const flavor of ['app', 'bare'] as const) {
        const result = await measureMeshOnce(env, flavor, n);
        collected[flavor].push(result);
        log(
          `mesh N=${n} run ${run + 1}/${runs} ${flavor}: ${fmt(result.ms, 'ms')} (${result.deliveries}/${n * (n - 1)} deliveries), machine CPU ${fmt(result.cpuMs, 'ms', 0)}`,
        );
        if (result.steps) log(`  steps (ms from navigation, median page): ${formatSteps(result.steps)}`);
      }
    }
    const side = (list: MeshRun[]) => ({
      runs: list,
      summary: summarize(list.filter((r) => Number.isFinite(r.ms)).map((r) => r.ms)),
      deliveries: list.reduce((sum, r) => sum + r.deliveries, 0),
    });
    data.push({ n, app: side(collected.app), bare: side(collected.bare), expectedDeliveries: runs * n * (n - 1) });
  }
  const rows: Row[] = [];
  for (const size of data) {
    const judged = MESH_TARGET_SIZES.includes(size.n);
    const ratio = size.app.summary.median / size.bare.summary.median;
    rows.push(
      row('mesh', `mesh_ms(${size.n}) median / max`, {
        app: `${fmt(size.app.summary.median, 'ms', 0)} / ${fmt(size.app.summary.max, 'ms', 0)}`,
        bare: `${fmt(size.bare.summary.median, 'ms', 0)} / ${fmt(size.bare.summary.max, 'ms', 0)}`,
        ratio: fmtRatio(size.app.summary.median, size.bare.summary.median),
        target: judged ? `≤ ${MESH_TARGET_RATIO}× bare` : '',
        result: judged
          ? verdict(
              Number.isFinite(ratio)
                ? ratio <= MESH_TARGET_RATIO && size.app.deliveries === size.expectedDeliveries
                : false,
            )
          : '',
      }),
      cpuRow(size),
      row('mesh', `deliveries N=${size.n} (${runs} runs)`, {
        app: `${size.app.deliveries}/${size.expectedDeliveries}`,
        bare: `${size.bare.deliveries}/${size.expectedDeliveries}`,
        target: 'all',
        result: verdict(size.app.deliveries === size.expectedDeliveries),
      }),
    );
  }
  return { part: 'mesh', rows, data, notes: [] };
}

/** What a mesh run cost the machine: steadier than its time on a saturated machine. */
function cpuRow(size: MeshSize): Row {
  const app = summarize(size.app.runs.map((r) => r.cpuMs)).median;
  const bare = summarize(size.bare.runs.map((r) => r.cpuMs)).median;
  return row('mesh', `machine CPU, navigation → last delivery, N=${size.n}, median`, {
    app: fmt(app, 'ms', 0),
    bare: fmt(bare, 'ms', 0),
    ratio: fmtRatio(app, bare),
  });
}

export interface MessagingData {
  app: MessagingResult;
  bare: MessagingResult;
}

/**
 * Latency rounds: one run of 200 lines swings by a third from run to run on this machine
 * (load from the parts before it, the two browsers' scheduling), so each flavor runs
 * `rounds` times, alternating, and the p50 is the median of the rounds' p50s.
 */
export async function runMessagingParts(
  env: BrowserBenchEnv,
  options: { latency: number | null; burst: number | null; rounds: number },
): Promise<{ latency: PartResult | null; burst: PartResult | null; data: MessagingData }> {
  const rounds = Math.max(1, options.latency === null ? 1 : options.rounds);
  const appRounds: MessagingResult[] = [];
  const bareRounds: MessagingResult[] = [];
  /** The bare page that puts each line on the page: context for the ratio, not its baseline. */
  const drawingRounds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // The burst (one room of its own) goes once, with the last round.
    const these = { latency: options.latency, burst: round === rounds - 1 ? options.burst : null };
    const app = await measureMessaging(env, 'app', these);
    appRounds.push(app);
    const bare = await measureMessaging(env, 'bare', these);
    bareRounds.push(bare);
    if (options.latency !== null)
      drawingRounds.push((await measureDrawingBareLatency(env, options.latency)).summary.p50);
    log(
      `messaging round ${round + 1}/${rounds}: latency p50 app ${fmt(app.latency?.summary.p50, 'ms')}, bare ${fmt(bare.latency?.summary.p50, 'ms')}, bare drawing ${fmt(drawingRounds.at(-1), 'ms')}` +
        (these.burst === null
          ? ''
          : `; burst app ${fmt(app.burst?.perSecond, 'msg/s')}, bare ${fmt(bare.burst?.perSecond, 'msg/s')}`),
    );
  }
  // The same rounds with each browser on a core of its own (pin.ts), on a machine that has two.
  const pinned: Record<Flavor, number[]> = { app: [], bare: [] };
  if (options.latency !== null && availableParallelism() >= 2) {
    for (let round = 0; round < rounds; round++) {
      for (const flavor of round % 2 === 0 ? (['app', 'bare'] as const) : (['bare', 'app'] as const)) {
        pinned[flavor].push((await measurePinnedLatency(env, flavor, options.latency)).summary.p50);
      }
      log(
        `latency round ${round + 1}/${rounds}, each browser on a core of its own: p50 app ${fmt(pinned.app.at(-1), 'ms')}, bare ${fmt(pinned.bare.at(-1), 'ms')}`,
      );
    }
  }
  const app: MessagingResult = { latency: pooled(appRounds), burst: appRounds.at(-1)?.burst ?? null };
  const bare: MessagingResult = { latency: pooled(bareRounds), burst: bareRounds.at(-1)?.burst ?? null };
  const data = { app, bare };

  let latency: PartResult | null = null;
  if (app.latency && bare.latency) {
    const a = app.latency;
    const b = bare.latency;
    const p50 = (r: MessagingResult[]) => summarize(r.flatMap((x) => (x.latency ? [x.latency.summary.p50] : []))).p50;
    const appP50 = p50(appRounds);
    const bareP50 = p50(bareRounds);
    const pinnedP50 = { app: summarize(pinned.app).p50, bare: summarize(pinned.bare).p50 };
    const drawingP50 = summarize(drawingRounds).p50;
    const roundP50s = (r: MessagingResult[]) => r.map((x) => x.latency?.summary.p50 ?? Number.NaN);
    const perRound = (r: MessagingResult[]) =>
      roundP50s(r)
        .map((p) => fmt(p, ''))
        .join(', ');
    latency = {
      part: 'latency',
      data: {
        app: { ...a },
        bare: { ...b },
        roundP50s: { app: roundP50s(appRounds), bare: roundP50s(bareRounds), bareDrawing: drawingRounds },
        pinnedRoundP50s: pinned,
      },
      notes: [
        `latency: ${rounds} round(s) of ${options.latency} lines 10 ms apart per flavor, alternating; p50 is the median of the rounds' p50s (nearest rank: the lower middle one of an even count; app ${perRound(appRounds)} ms; bare ${perRound(bareRounds)} ms), p99 over all lines.${
          pinned.app.length > 0
            ? ` Then as many rounds with each user's browser pinned to a core of its own (taskset), as two people's machines are, the two browsers no longer taking CPU from each other (app ${pinned.app.map((p) => fmt(p, '')).join(', ')} ms; bare ${pinned.bare.map((p) => fmt(p, '')).join(', ')} ms); the servers are not pinned.`
            : ''
        } The bare page drawing each line is the same bare page putting every line on the page (a list item, scrolled to on the next frame; bench/pages/bare.ts, draw=1), a round after each pair (${drawingRounds.map((p) => fmt(p, '')).join(', ')} ms): what showing a line costs any page, beside the target's bare page, which draws nothing.`,
      ],
      rows: [
        row('latency', `p50, median of ${rounds} rounds (${a.received}/${a.sent} msgs)`, {
          app: fmt(appP50, 'ms'),
          bare: fmt(bareP50, 'ms'),
          ratio: fmtRatio(appP50, bareP50),
          target: '≤ 2× bare',
          result: verdict(appP50 <= 2 * bareP50 && a.received === a.sent),
        }),
        ...(pinned.app.length > 0
          ? [
              row('latency', `p50, each browser on a core of its own, median of ${rounds} rounds`, {
                app: fmt(pinnedP50.app, 'ms'),
                bare: fmt(pinnedP50.bare, 'ms'),
                ratio: fmtRatio(pinnedP50.app, pinnedP50.bare),
              }),
            ]
          : []),
        row('latency', `p50, against the bare page drawing each line, median of ${rounds} rounds`, {
          app: fmt(appP50, 'ms'),
          bare: fmt(drawingP50, 'ms'),
          ratio: fmtRatio(appP50, drawingP50),
        }),
        row('latency', 'p99, all rounds', {
          app: fmt(a.summary.p99, 'ms'),
          bare: fmt(b.summary.p99, 'ms'),
          ratio: fmtRatio(a.summary.p99, b.summary.p99),
          target: '≤ 5 ms',
          result: verdict(a.summary.p99 <= 5 && a.received === a.sent),
        }),
      ],
    };
  }

  let burst: PartResult | null = null;
  if (app.burst && bare.burst) {
    const a = app.burst;
    const b = bare.burst;
    burst = {
      part: 'burst',
      data: { app: a, bare: b },
      notes: [],
      rows: [
        row('burst', `${a.sent} msgs: rate`, {
          app: fmt(a.perSecond, 'msg/s', 0),
          bare: fmt(b.perSecond, 'msg/s', 0),
          ratio: fmtRatio(a.perSecond, b.perSecond),
          target: '≥ 2,000 msg/s',
          result: verdict(a.perSecond >= 2000),
        }),
        row('burst', 'sender loop (submit × N)', {
          app: fmt(a.sendLoopMs, 'ms'),
          bare: fmt(b.sendLoopMs, 'ms'),
          ratio: fmtRatio(a.sendLoopMs, b.sendLoopMs),
        }),
        row('burst', 'lost', { app: String(a.lost), bare: String(b.lost), target: '0', result: verdict(a.lost === 0) }),
        row('burst', 'out of order', {
          app: String(a.outOfOrder),
          bare: String(b.outOfOrder),
          target: '0',
          result: verdict(a.outOfOrder === 0),
        }),
        row('burst', 'sender muted or cut by the receiver', {
          app: a.problems.length > 0 ? a.problems.join(', ') : 'no',
          target: 'no',
          result: verdict(a.problems.length === 0),
        }),
      ],
    };
  }
  return { latency, burst, data };
}

const LEAVE_TARGET_MS: Record<LeaveKind, number> = { closed: 200, frozen: 5000 };

export async function runLeavePart(env: BrowserBenchEnv, runs: number): Promise<PartResult> {
  const results: LeaveResult[] = [];
  for (const kind of ['closed', 'frozen'] as const) {
    const collected: Record<Flavor, number[]> = { app: [], bare: [] };
    for (let run = 0; run < runs; run++) {
      for (const flavor of ['app', 'bare'] as const) {
        const ms = await measureLeaveOnce(env, flavor, kind).catch((error: unknown) => {
          log(`leave ${kind} ${flavor}: ${error instanceof Error ? error.message : String(error)}`);
          return Number.NaN;
        });
        collected[flavor].push(ms);
        log(`leave ${kind} run ${run + 1}/${runs} ${flavor}: ${fmt(ms, 'ms')}`);
      }
    }
    results.push(summarizeLeave('app', kind, collected.app), summarizeLeave('bare', kind, collected.bare));
  }
  const rows: Row[] = [];
  for (const kind of ['closed', 'frozen'] as const) {
    const a = results.find((r) => r.flavor === 'app' && r.kind === kind);
    const b = results.find((r) => r.flavor === 'bare' && r.kind === kind);
    if (!a || !b) continue;
    const target = LEAVE_TARGET_MS[kind];
    rows.push(
      row(
        'leave',
        `${kind === 'closed' ? 'tab closed' : 'user frozen'}: median / max${a.undetected > 0 ? ` (${a.undetected} undetected)` : ''}`,
        {
          app: `${fmt(a.summary.median, 'ms', 0)} / ${fmt(a.summary.max, 'ms', 0)}`,
          bare: `${fmt(b.summary.median, 'ms', 0)} / ${fmt(b.summary.max, 'ms', 0)}`,
          ratio: fmtRatio(a.summary.median, b.summary.median),
          target: `≤ ${target.toLocaleString('en-US')} ms (max)`,
          result: verdict(a.undetected === 0 && a.summary.max <= target),
        },
      ),
    );
  }
  return {
    part: 'leave',
    rows,
    data: results,
    notes: [
      'leave: room of 3; the time runs from Node closing the tab (page.close()) or SIGSTOPping the browser to the later of the two remaining pages dropping the user from its member list (bare: its data channel closing or its connection leaving "connected").',
    ],
  };
}

/** Every round's lines as one result: counts summed, samples pooled. */
function pooled(rounds: readonly MessagingResult[]): LatencyResult | null {
  const results = rounds.flatMap((r) => (r.latency ? [r.latency] : []));
  const first = results[0];
  if (!first) return null;
  const samplesMs = results.flatMap((r) => r.samplesMs);
  return {
    flavor: first.flavor,
    sent: results.reduce((sum, r) => sum + r.sent, 0),
    received: results.reduce((sum, r) => sum + r.received, 0),
    summary: summarize(samplesMs),
    samplesMs,
  };
}
