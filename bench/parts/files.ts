// The files rows (issue 12): throughput against a bare data channel (target ≥ 80 %), chat
// latency during a transfer against idle (≤ 3×), and memory through a large transfer (JS heap
// growth ≤ 64 MB on either page).
import type { BrowserBenchEnv } from '../browser/env.ts';
import { type FilesSizes, measureFiles, type TransferTiming } from '../browser/files.ts';
import { fmt, fmtRatio, row, verdict } from '../report/rows.ts';
import type { PartResult } from './types.ts';

const MB = 1024 * 1024;
const THROUGHPUT_TARGET = 0.8;
const LATENCY_TARGET = 3;
const HEAP_GROWTH_TARGET = 64 * MB;

/** Sizes in MiB from BENCH_FILES_MB=throughput,large (default 256,1024; --quick 16,64). */
export function filesSizes(quick: boolean, setting = process.env['BENCH_FILES_MB']): FilesSizes {
  const [throughput, large] = (setting ?? (quick ? '16,64' : '256,1024')).split(',').map(Number);
  if (!throughput || !large || !Number.isInteger(throughput) || !Number.isInteger(large) || throughput < 1 || large < 1)
    throw new Error(`BENCH_FILES_MB wants two whole numbers of MiB, e.g. 256,1024 (got ${setting})`);
  return { throughput: throughput * MB, large: large * MB };
}

const perSecond = (timing: TransferTiming, ms: number) => timing.bytes / MB / (ms / 1000);

export async function runFilesPart(env: BrowserBenchEnv, sizes: FilesSizes): Promise<PartResult> {
  const data = await measureFiles(env, sizes);
  const appTotal = perSecond(data.app, data.app.totalMs);
  const bareTotal = perSecond(data.bare, data.bare.totalMs);
  const appFlow = perSecond(data.app, data.app.transferMs);
  const bareFlow = perSecond(data.bare, data.bare.transferMs);
  const chatTotal = perSecond(data.appWithChat, data.appWithChat.totalMs);
  const chatFlow = perSecond(data.appWithChat, data.appWithChat.transferMs);
  const latencyRatio = data.busyLatency.p50 / data.idleLatency.p50;
  const size = `${fmt(sizes.throughput / MB, 'MiB', 0)}`;
  const large = `${fmt(sizes.large / MB, 'MiB', 0)}`;
  console.log(
    `  files: ${size} app ${fmt(appTotal, 'MiB/s')} (bytes flowing ${fmt(appFlow, 'MiB/s')}), bare ${fmt(bareTotal, 'MiB/s')} (${fmt(bareFlow, 'MiB/s')}); app while chatting ${fmt(chatTotal, 'MiB/s')} (${fmt(chatFlow, 'MiB/s')}); chat p50 idle ${fmt(data.idleLatency.p50, 'ms')}, during ${fmt(data.busyLatency.p50, 'ms')} (${data.busyLatency.count} lines); ${large} in ${fmt(data.large.totalMs / 1000, 's')}`,
  );
  const memoryRows = data.large.memory.map((peak) => {
    const growth = peak.heapPeak - peak.heapBefore;
    return row(
      'files',
      `${large} transfer, ${peak.label}: JS heap growth (before → peak) / renderer RSS before → peak`,
      {
        app: `${fmt(growth / MB, 'MB')} (${fmt(peak.heapBefore / MB, 'MB')} → ${fmt(peak.heapPeak / MB, 'MB')}) / ${fmt(peak.rssBefore / MB, 'MB', 0)} → ${fmt(peak.rssPeak / MB, 'MB', 0)}`,
        target: '≤ 64 MB heap growth',
        result: verdict(Number.isFinite(growth) ? growth <= HEAP_GROWTH_TARGET : null),
      },
    );
  });
  return {
    part: 'files',
    data: { sizes, ...data },
    notes: [
      `files: two persistent Chromium profiles (OPFS on disk); a ${size} random file on disk picked with file-input (setInputFiles) until the receiver shows it verified, against the bare page pushing the same file on a data channel of its own with roomlink's pump (same chunks and reads, the same limit on bytes on the way by the receiver's arrival marks, the same bufferedamountlow backpressure) and no offer, hash, stored-bytes acks or disk. "bytes flowing" starts when the receiver shows transferring (app) or the channel opens (bare). Neither page has chatted before or during those two transfers (the app's transfers keep less on the way for 3 s after a line or keystroke); then 60 chat lines every 50 ms idle, and the app sends the same file again with a chat line every 50 ms from the sender meanwhile, and that transfer's throughput is shown too. Then ${large}: heap by the DevTools protocol (Runtime.getHeapUsage, the page's main thread, after a GC for the baseline), RSS summed over each browser's renderer processes from /proc, sampled every 250 ms.`,
    ],
    rows: [
      row(
        'files',
        `throughput ${size}, pick → verified (bytes flowing: app ${fmt(appFlow, 'MiB/s')}, bare ${fmt(bareFlow, 'MiB/s')})`,
        {
          app: fmt(appTotal, 'MiB/s'),
          bare: fmt(bareTotal, 'MiB/s'),
          ratio: fmtRatio(appTotal, bareTotal),
          target: '≥ 0.80× bare',
          result: verdict(Number.isFinite(appTotal / bareTotal) ? appTotal / bareTotal >= THROUGHPUT_TARGET : null),
        },
      ),
      row(
        'files',
        `throughput ${size} with a chat line every 50 ms meanwhile (bytes flowing ${fmt(chatFlow, 'MiB/s')})`,
        {
          app: fmt(chatTotal, 'MiB/s'),
          bare: fmt(bareTotal, 'MiB/s'),
          ratio: fmtRatio(chatTotal, bareTotal),
        },
      ),
      row(
        'files',
        `chat latency p50 during a transfer (idle ${fmt(data.idleLatency.p50, 'ms')}, ${data.busyLatency.count} lines)`,
        {
          app: fmt(data.busyLatency.p50, 'ms'),
          ratio: Number.isFinite(latencyRatio) ? `${latencyRatio.toFixed(2)}× idle` : '–',
          target: '≤ 3× idle',
          result: verdict(Number.isFinite(latencyRatio) ? latencyRatio <= LATENCY_TARGET : null),
        },
      ),
      row(
        'files',
        `${data.smallFiles.count} files of ${fmt(data.smallFiles.bytes / 1024, 'KiB', 0)} picked at once, pick → the last verified (per file)`,
        {
          app: `${fmt(data.smallFiles.totalMs, 'ms', 0)} (${fmt(data.smallFiles.totalMs / data.smallFiles.count, 'ms', 0)})`,
        },
      ),
      row('files', `main-thread task time during the ${size} transfer with chat, per MiB: sender / receiver`, {
        app: `${fmt(data.mainThread.sender / (sizes.throughput / MB), 'ms')} / ${fmt(data.mainThread.receiver / (sizes.throughput / MB), 'ms')}`,
      }),
      ...memoryRows,
    ],
  };
}
