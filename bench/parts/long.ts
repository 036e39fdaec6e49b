// The long-chat rows: what 30,000 lines leave in the sending and receiving pages, roomlink
// against the bare page (whose growth is the bench probe's own record of every line). Every
// per-line record a page keeps is bounded, the largest bound the 20,000 line ids the
// transcript remembers as shown (features/transcript.ts), so past JUDGED_FROM lines our pages
// must grow no more than the bare page does (its probe's record) plus LEAK_MB_PER_1000 for
// every 1,000 lines: a tab open for days holds what it says it holds.
import type { BrowserBenchEnv } from '../browser/env.ts';
import { type LongReading, type LongRun, measureLongOnce } from '../browser/long.ts';
import type { Flavor } from '../browser/room.ts';
import { fmt, row, verdict } from '../report/rows.ts';
import type { PartResult } from './types.ts';

/** The lines a page keeps on and off the page (client/view/lines-kept.ts MAX_LINES). */
const KEPT_LINES = 2_000;
/** Growth is judged from here: past every per-line bound of the page (the largest, 20,000). */
const JUDGED_FROM = 22_000;
/** Growth past the lines kept, beyond the bare page's, per 1,000 lines, allowed (MB). */
const LEAK_MB_PER_1000 = 0.1;
const FULL = { bursts: 15, perBurst: 2_000 };
const QUICK = { bursts: 2, perBurst: 100 };

/** The first reading at `from` lines or more (else the first after the room formed), and the last. */
function span(readings: readonly LongReading[], from: number): { from: LongReading; to: LongReading } | null {
  const first = readings.find((r) => r.lines >= from) ?? readings[1];
  const to = readings.at(-1);
  return first && to && to.lines > first.lines ? { from: first, to } : null;
}

/** MB a page grew per 1,000 lines past JUDGED_FROM (NaN when the run did not get past it). */
function growthPer1000(readings: readonly LongReading[]): number {
  const s = span(readings, JUDGED_FROM);
  if (!s || s.from.lines < JUDGED_FROM) return Number.NaN;
  return ((s.to.heapMb - s.from.heapMb) / (s.to.lines - s.from.lines)) * 1_000;
}

export async function runLongPart(
  env: BrowserBenchEnv,
  quick: boolean,
): Promise<PartResult & { data: Partial<Record<Flavor, LongRun>> }> {
  const { bursts, perBurst } = quick ? QUICK : FULL;
  const data: Partial<Record<Flavor, LongRun>> = {};
  for (const flavor of ['app', 'bare'] as const) {
    const run = await measureLongOnce(env, flavor, bursts, perBurst);
    if (run) data[flavor] = run;
    console.log(
      `  long ${flavor}: ${
        run
          ? run.receiver
              .map(
                (r, i) =>
                  `${r.lines}: receiver ${fmt(r.heapMb, 'MB')} ${r.domNodes} nodes, sender ${fmt(run.sender[i]?.heapMb, 'MB')}`,
              )
              .join('; ')
          : 'the room did not form'
      }`,
    );
  }
  const { app, bare } = data;
  const lines = bursts * perBurst;
  const heapRow = (side: 'receiver' | 'sender') => {
    const a = app?.[side];
    const b = bare?.[side];
    const growthApp = a ? growthPer1000(a) : Number.NaN;
    const growthBare = b ? growthPer1000(b) : Number.NaN;
    const s = a ? span(a, KEPT_LINES) : null;
    const sb = b ? span(b, KEPT_LINES) : null;
    const judged = Number.isFinite(growthApp) && Number.isFinite(growthBare);
    return [
      row(
        'long',
        `long chat, ${side}: JS heap after ${s?.from.lines ?? '–'} / ${lines.toLocaleString('en-US')} lines`,
        {
          app: s ? `${fmt(s.from.heapMb, 'MB')} / ${fmt(s.to.heapMb, 'MB')}` : '–',
          bare: sb ? `${fmt(sb.from.heapMb, 'MB')} / ${fmt(sb.to.heapMb, 'MB')}` : '',
        },
      ),
      row(
        'long',
        `long chat, ${side}: heap growth per 1,000 lines past the first ${JUDGED_FROM.toLocaleString('en-US')}`,
        {
          app: fmt(growthApp, 'MB', 3),
          bare: fmt(growthBare, 'MB', 3),
          target: `≤ bare + ${LEAK_MB_PER_1000} MB`,
          result: judged ? verdict(growthApp <= growthBare + LEAK_MB_PER_1000) : '',
        },
      ),
    ];
  };
  const receiverNodes = app ? span(app.receiver, KEPT_LINES) : null;
  return {
    part: 'long',
    data,
    notes: [
      `long: a room of two; one user sends ${bursts} bursts of ${perBurst} lines; after the room formed and after each burst both pages are garbage-collected (HeapProfiler.collectGarbage) and read (Runtime.getHeapUsage, Memory.getDOMCounters). The bare page's probe records every line as ours does and keeps nothing else: its growth is the probe's. Received: ${app?.received ?? '–'} / ${app?.sent ?? '–'} (roomlink), ${bare?.received ?? '–'} / ${bare?.sent ?? '–'} (bare).`,
    ],
    rows: [
      ...heapRow('receiver'),
      ...heapRow('sender'),
      row(
        'long',
        `long chat, receiver: DOM nodes after ${receiverNodes?.from.lines ?? '–'} / ${lines.toLocaleString('en-US')} lines`,
        {
          app: receiverNodes ? `${receiverNodes.from.domNodes} / ${receiverNodes.to.domNodes}` : '–',
        },
      ),
    ],
  };
}
