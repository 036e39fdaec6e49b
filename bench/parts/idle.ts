// The idle rows: a formed room of eight while nobody writes, roomlink against the bare page,
// rounds alternating. Context for a tab left open, not a target: the bare page sends no
// heartbeat, so it cannot tell that a member froze, and shows no path.
import type { BrowserBenchEnv } from '../browser/env.ts';
import { type IdleRun, measureIdleOnce } from '../browser/idle.ts';
import type { Flavor } from '../browser/room.ts';
import { fmt, fmtRatio, row } from '../report/rows.ts';
import { summarize } from '../stats.ts';
import type { PartResult } from './types.ts';

const ROOM_SIZE = 8;
const QUICK_ROOM_SIZE = 2;
/** Rounds per flavor at most: each costs a formation and ~20 s. */
const MAX_ROUNDS = 3;

export async function runIdlePart(
  env: BrowserBenchEnv,
  runs: number,
  quick: boolean,
): Promise<PartResult & { data: Record<Flavor, IdleRun[]> }> {
  const n = quick ? QUICK_ROOM_SIZE : ROOM_SIZE;
  const timing = quick ? { settleMs: 500, measureMs: 2_000 } : { settleMs: 5_000, measureMs: 15_000 };
  const rounds = Math.max(1, Math.min(runs, MAX_ROUNDS));
  const data: Record<Flavor, IdleRun[]> = { app: [], bare: [] };
  for (let round = 0; round < rounds; round++) {
    for (const flavor of ['app', 'bare'] as const) {
      const run = await measureIdleOnce(env, flavor, n, timing);
      if (run) data[flavor].push(run);
      console.log(
        `  idle N=${n} round ${round + 1}/${rounds} ${flavor}: ${
          run
            ? `machine ${fmt(run.machineMs, 'ms')}/s, main thread ${fmt(run.mainThreadMs, 'ms')}/s per page, ${fmt(run.layoutsPerMinute, '', 1)} layouts a minute`
            : 'the room did not form'
        }`,
      );
    }
  }
  const median = (flavor: Flavor, pick: (run: IdleRun) => number) => summarize(data[flavor].map(pick)).median;
  const measured = (label: string, pick: (run: IdleRun) => number, unit: string, digits?: number) => {
    const app = median('app', pick);
    const bare = median('bare', pick);
    return row('idle', `${label} (room of ${n}, median of ${data.app.length}/${rounds} rounds)`, {
      app: fmt(app, unit, digits),
      bare: fmt(bare, unit, digits),
      ratio: fmtRatio(app, bare),
    });
  };
  return {
    part: 'idle',
    data,
    notes: [
      `idle: a room of ${n} forms (each member sends one line), waits ${timing.settleMs / 1_000} s, then ${timing.measureMs / 1_000} s are measured with nobody writing: the machine's CPU (/proc/stat) and the pages' main threads (Chromium's TaskDuration, LayoutCount), per page and second. ${rounds} round(s) per flavor, alternating. The bare page sends no heartbeat and reads no path.`,
    ],
    rows: [
      measured('machine CPU per page and second', (r) => r.machineMs, 'ms'),
      measured('page main thread per page and second', (r) => r.mainThreadMs, 'ms'),
      measured('layouts per page and minute', (r) => r.layoutsPerMinute, '', 1),
    ],
  };
}
