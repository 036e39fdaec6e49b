// The flood rows (issue 9): under a flood from one member, the victim's longest long task
// (target ≤ 200 ms) and a line from another member (target ≤ 1 s), for each of the two
// floods of the e2e tests, over fresh rooms. A target holds when every run meets it: it
// says "no long task over 200 ms", not "usually none".

import { SIGNAL_FLOOD_MS } from '../../e2e/support/signal-flood.ts';
import type { BrowserBenchEnv } from '../browser/env.ts';
import { type FloodRun, type FloodScenario, measureFloodOnce } from '../browser/flood.ts';
import { fmt, type Row, row, verdict } from '../report/rows.ts';
import { summarize } from '../stats.ts';
import type { PartResult } from './types.ts';

const LONG_TASK_TARGET_MS = 200;
const OTHER_LINE_TARGET_MS = 1_000;
/** The signal flood with --quick: long enough to be muted, short enough for a smoke run. */
const QUICK_SIGNAL_FLOOD_MS = 1_000;

const SCENARIOS: readonly { scenario: FloodScenario; label: string }[] = [
  { scenario: 'chat', label: 'chat lines of 4,000 chars until cut' },
  { scenario: 'signals', label: 'typing, reactions, syncs, receipts, history, junk' },
];

const log = (text: string): void => console.log(`  ${text}`);

function medianMax(values: readonly number[], unit = 'ms'): { median: number; max: number; text: string } {
  const s = summarize(values.filter(Number.isFinite));
  return { median: s.median, max: s.max, text: `${fmt(s.median, unit, 0)} / ${fmt(s.max, unit, 0)}` };
}

const overTarget = (run: FloodRun): number => run.longTasks.filter((ms) => ms > LONG_TASK_TARGET_MS).length;

function describeRun(run: FloodRun): string {
  if (run.error !== null) return `failed: ${run.error}`;
  const carol = run.scenario === 'chat' ? `; Carol's line ${fmt(run.otherLineDelayMs, 'ms', 0)}` : '';
  return `${run.sent} messages in ${fmt(run.floodMs, 'ms', 0)}, Mallory ${run.reasons.join(' → ') || 'never muted'}; ${run.longTasks.length} long tasks, longest ${fmt(run.longestTaskMs, 'ms', 0)}, over ${LONG_TASK_TARGET_MS} ms: ${overTarget(run)}; timer lag up to ${fmt(run.maxTimerLagMs, 'ms', 0)}${carol}`;
}

function scenarioRows(label: string, runs: readonly FloodRun[]): Row[] {
  const complete = runs.filter((run) => run.error === null);
  const allComplete = complete.length === runs.length && runs.length > 0;
  const longest = medianMax(complete.map((run) => run.longestTaskMs));
  const over = medianMax(complete.map(overTarget), '');
  const lag = medianMax(complete.map((run) => run.maxTimerLagMs));
  const rows = [
    row('flood', `${label}: victim's longest long task, median / max (${complete.length}/${runs.length} runs)`, {
      app: longest.text,
      target: `≤ ${LONG_TASK_TARGET_MS} ms`,
      result: verdict(allComplete && longest.max <= LONG_TASK_TARGET_MS),
    }),
    row('flood', `${label}: victim's long tasks over ${LONG_TASK_TARGET_MS} ms per run, median / max`, {
      app: over.text,
    }),
    row('flood', `${label}: victim's 20 ms timer, worst lag, median / max`, { app: lag.text }),
  ];
  if (runs.some((run) => run.scenario === 'chat')) {
    const delay = medianMax(complete.map((run) => run.otherLineDelayMs));
    rows.splice(
      2,
      0,
      row('flood', `${label}: another member's line, sent → shown on the victim, median / max`, {
        app: delay.text,
        target: `≤ ${fmt(OTHER_LINE_TARGET_MS / 1000, 's', 0)}`,
        result: verdict(allComplete && delay.max <= OTHER_LINE_TARGET_MS),
      }),
    );
  }
  return rows;
}

export async function runFloodPart(
  env: BrowserBenchEnv,
  runs: number,
  quick: boolean,
): Promise<PartResult & { data: FloodRun[] }> {
  const signalFloodMs = quick ? QUICK_SIGNAL_FLOOD_MS : SIGNAL_FLOOD_MS;
  const data: FloodRun[] = [];
  for (let run = 0; run < runs; run++) {
    for (const { scenario } of SCENARIOS) {
      const result = await measureFloodOnce(env, scenario, signalFloodMs);
      data.push(result);
      log(`flood ${scenario} run ${run + 1}/${runs}: ${describeRun(result)}`);
    }
  }
  return {
    part: 'flood',
    data,
    rows: SCENARIOS.flatMap(({ scenario, label }) =>
      scenarioRows(
        label,
        data.filter((run) => run.scenario === scenario),
      ),
    ),
    notes: [
      `flood: the scenarios of e2e/hostile-member.spec.ts and e2e/chat-signals-flood.spec.ts, from their support modules, each run a fresh room in a fresh browser. Chat: Mallory sends chat lines of 4,000 characters on her channel to Alice as fast as it takes them, until Alice cuts her off; once Alice shows her muted, Carol writes a line (stamped by a MutationObserver on Carol's page and on Alice's, Date.now()). Signals: Mallory floods typing, reactions, react:sync, read receipts, unasked history and junk for ${signalFloodMs / 1000} s or until cut; then Alice writes a line and it shows. Alice's page records every long task (PerformanceObserver) and how late a 20 ms interval ran, from just before the flood. A target holds when every run meets it.`,
    ],
  };
}
