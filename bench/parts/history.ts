// The history row: a newcomer in a room of 8 shows the room's last 200 lines, how long after
// its links are open (target ≤ 200 ms), next to how long its links took (the mesh).
import type { BrowserBenchEnv } from '../browser/env.ts';
import { type HistoryRun, measureHistory } from '../browser/history.ts';
import { fmt, row, verdict } from '../report/rows.ts';
import { summarize } from '../stats.ts';
import type { PartResult } from './types.ts';

const TARGET_MS = 200;

export async function runHistoryPart(env: BrowserBenchEnv, runs: number): Promise<PartResult & { data: HistoryRun[] }> {
  const data = await measureHistory(env, runs);
  for (const [i, run] of data.entries()) {
    console.log(
      `  history run ${i + 1}/${runs}: links open ${fmt(run.meshMs, 'ms')}, 200 lines shown ${fmt(run.shownMs, 'ms')} (+${fmt(run.afterLinksMs, 'ms')}), ${run.verified}/${run.lines} verified`,
    );
  }
  const complete = data.filter((r) => Number.isFinite(r.afterLinksMs));
  const after = summarize(complete.map((r) => r.afterLinksMs));
  const mesh = summarize(complete.map((r) => r.meshMs));
  const allVerified = data.every((r) => r.lines === 200 && r.verified === 200);
  return {
    part: 'history',
    data,
    notes: [
      'history: 7 members write 210 lines (30 each); a newcomer opens the link; in its page a 5 ms poll stamps when all 7 links are connected and when 200 history lines are shown. Runs are successive newcomers in the same room.',
    ],
    rows: [
      row('history', `newcomer in 8: links open, median / max (${complete.length}/${data.length} runs)`, {
        app: `${fmt(mesh.median, 'ms', 0)} / ${fmt(mesh.max, 'ms', 0)}`,
      }),
      row('history', '200 lines shown after links open, median / max', {
        app: `${fmt(after.median, 'ms', 0)} / ${fmt(after.max, 'ms', 0)}`,
        target: `≤ ${TARGET_MS} ms`,
        result: verdict(complete.length === data.length && after.median <= TARGET_MS && allVerified),
      }),
    ],
  };
}
