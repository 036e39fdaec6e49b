// The calls rows: time from clicking "join with video" to the first remote frame shown, in
// rooms of 2 and 4, for roomlink and for the bare calls page (target ≤ 1.5× bare), and the
// CPU each page costs with 4 members sending video. Runs interleave app and bare.
import { type CallRun, measureCallOnce } from '../browser/calls.ts';
import type { BrowserBenchEnv } from '../browser/env.ts';
import type { Flavor } from '../browser/room.ts';
import { fmt, fmtRatio, type Row, row, verdict } from '../report/rows.ts';
import { summarize } from '../stats.ts';
import type { PartResult } from './types.ts';

const SIZES = [2, 4] as const;
const CPU_SIZE = 4;
const TARGET_RATIO = 1.5;

const log = (text: string): void => console.log(`  ${text}`);

function medianMax(values: readonly number[]): { median: number; max: number; text: string; count: number } {
  const s = summarize(values.filter(Number.isFinite));
  return { median: s.median, max: s.max, count: s.count, text: `${fmt(s.median, 'ms', 0)} / ${fmt(s.max, 'ms', 0)}` };
}

function cpuText(runs: readonly CallRun[], pick: 'rendererPct' | 'browserPct'): { median: number; text: string } {
  const s = summarize(runs.flatMap((r) => r.cpu ?? []).map((c) => c[pick]));
  return { median: s.median, text: `${fmt(s.median, '%', 0)} / ${fmt(s.max, '%', 0)}` };
}

export async function runCallsPart(
  env: BrowserBenchEnv,
  runs: number,
  quick: boolean,
): Promise<PartResult & { data: CallRun[] }> {
  const cpuWindowMs = quick ? 3_000 : 10_000;
  const data: CallRun[] = [];
  for (const n of SIZES) {
    for (let run = 0; run < runs; run++) {
      for (const flavor of ['app', 'bare'] as const) {
        const result = await measureCallOnce(env, flavor, n, n === CPU_SIZE ? cpuWindowMs : null).catch(
          (error: unknown): CallRun => {
            log(`calls N=${n} ${flavor}: ${error instanceof Error ? error.message : String(error)}`);
            return { flavor, n, firstFrameMs: Number.NaN, allFramesMs: Number.NaN, seenByAllMs: Number.NaN, cpu: null };
          },
        );
        data.push(result);
        const cpu = result.cpu ? `, renderer CPU ${result.cpu.map((c) => fmt(c.rendererPct, '%', 0)).join(' ')}` : '';
        log(
          `calls N=${n} run ${run + 1}/${runs} ${flavor}: first frame ${fmt(result.firstFrameMs, 'ms', 0)}, all ${fmt(result.allFramesMs, 'ms', 0)}, seen by all ${fmt(result.seenByAllMs, 'ms', 0)}${cpu}${result.steps ? `\n    steps: ${result.steps}` : ''}`,
        );
      }
    }
  }
  const of = (flavor: Flavor, n: number) => data.filter((r) => r.flavor === flavor && r.n === n);
  const rows: Row[] = [];
  for (const n of SIZES) {
    const app = of('app', n);
    const bare = of('bare', n);
    const first = { app: medianMax(app.map((r) => r.firstFrameMs)), bare: medianMax(bare.map((r) => r.firstFrameMs)) };
    const ratio = first.app.median / first.bare.median;
    rows.push(
      row('calls', `join → first remote frame, N=${n}: median / max (${first.app.count}/${app.length} runs)`, {
        app: first.app.text,
        bare: first.bare.text,
        ratio: fmtRatio(first.app.median, first.bare.median),
        target: `≤ ${TARGET_RATIO}× bare`,
        result: verdict(Number.isFinite(ratio) ? ratio <= TARGET_RATIO && first.app.count === app.length : false),
      }),
    );
    if (n > 2) {
      const all = { app: medianMax(app.map((r) => r.allFramesMs)), bare: medianMax(bare.map((r) => r.allFramesMs)) };
      const seen = { app: medianMax(app.map((r) => r.seenByAllMs)), bare: medianMax(bare.map((r) => r.seenByAllMs)) };
      rows.push(
        row('calls', `join → a frame from each of the ${n - 1} others, N=${n}`, {
          app: all.app.text,
          bare: all.bare.text,
          ratio: fmtRatio(all.app.median, all.bare.median),
        }),
        row('calls', `join → all ${n - 1} others show the joiner, N=${n}`, {
          app: seen.app.text,
          bare: seen.bare.text,
          ratio: fmtRatio(seen.app.median, seen.bare.median),
        }),
      );
    }
  }
  const appCpu = of('app', CPU_SIZE);
  const bareCpu = of('bare', CPU_SIZE);
  for (const [pick, label] of [
    ['rendererPct', 'renderer'],
    ['browserPct', 'whole browser'],
  ] as const) {
    const a = cpuText(appCpu, pick);
    const b = cpuText(bareCpu, pick);
    rows.push(
      row('calls', `CPU per page, ${CPU_SIZE} video members, ${label}: median / max (% of a core)`, {
        app: a.text,
        bare: b.text,
        ratio: fmtRatio(a.median, b.median),
      }),
    );
  }
  return {
    part: 'calls',
    rows,
    data,
    notes: [
      `calls: each user in a Chromium of its own with the fake camera (640×480) and microphone; N−1 join one after another and see each other, then the last one clicks "join with video" (a real click on the page's button). Its page stamps the click event and the first frame each remote <video> shows (requestVideoFrameCallback). Bare: the same getUserMedia, then addTrack and one offer per member in the call, answered with that member's tracks (pages/bare-calls.ts); roomlink's links get their media m-lines when the call starts (the first caller's join), and the joiner clicks once its own are negotiated: its click sends a call:state (in the call, muted, camera off) and the members start sending to it; once its camera is open, replaceTrack and a second call:state. CPU: utime+stime from /proc of each user's renderer and of its whole browser over ${cpuWindowMs / 1000} s with all ${CPU_SIZE} sending and receiving video.`,
    ],
  };
}
