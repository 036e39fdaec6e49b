// The stages part: where a line's latency goes, roomlink's page beside the bare page's, in
// rounds alternating the two (the latency part's figure, split at the pages' boundaries with
// the browser: see browser/stages.ts). Diagnostic: no targets, the latency part has them.
import type { BrowserBenchEnv } from '../browser/env.ts';
import { type LineStages, measureStages } from '../browser/stages.ts';
import { fmt, fmtRatio, row } from '../report/rows.ts';
import { summarize } from '../stats.ts';
import type { PartResult } from './types.ts';

const STAGES: ReadonlyArray<[keyof Omit<LineStages, 'lines'>, string]> = [
  ['send', 'Enter (bare: the send call) → RTCDataChannel.send'],
  ['channel', 'RTCDataChannel.send → the receiving listener'],
  ['handler', 'the receiving listener, start to return'],
  ['toPage', 'its return → the line on the page'],
  ['total', 'Enter → on the page (the latency figure)'],
  ['cpuPerLine', 'machine CPU per line (both pages, browser, GPU, servers)'],
];

export async function runStagesPart(env: BrowserBenchEnv, rounds: number, messages: number): Promise<PartResult> {
  const app: LineStages[] = [];
  const bare: LineStages[] = [];
  for (let round = 0; round < rounds; round++) {
    app.push(await measureStages(env, 'app', messages));
    bare.push(await measureStages(env, 'bare', messages));
    const a = app.at(-1);
    const b = bare.at(-1);
    console.log(
      `  stages round ${round + 1}/${rounds}: ${STAGES.map(([key]) => `${key} ${fmt(a?.[key], '')}/${fmt(b?.[key], '')}`).join(' · ')} ms (app/bare)`,
    );
  }
  const median = (of: LineStages[], key: keyof LineStages) => summarize(of.map((stages) => stages[key])).median;
  return {
    part: 'stages',
    data: { app, bare },
    notes: [
      `stages: ${rounds} round(s) of ${messages} lines 10 ms apart per flavor, alternating; each stage is the median over a round's lines, and the row the median of the rounds (both pages are cross-origin isolated: Chromium's clock moves in 5 µs steps). The bare page records a line inside its listener, so its last stage is 0 (or a few µs below: it is stamped before the listener returns). The CPU row is the machine's busy time over a round (every process) divided by its lines: the two pages share two cores, so what one spends while a line is in flight delays the other.`,
    ],
    rows: STAGES.map(([key, measure]) =>
      row('stages', measure, {
        app: fmt(median(app, key), 'ms'),
        bare: fmt(median(bare, key), 'ms'),
        ratio: key === 'total' || key === 'cpuPerLine' ? fmtRatio(median(app, key), median(bare, key)) : '',
      }),
    ),
  };
}
