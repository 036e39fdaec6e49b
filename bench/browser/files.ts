// Files between two pages (issue 12), in one run:
// - throughput: a file picked with file-input (setInputFiles with a file on disk) until the
//   receiver's line says verified, against the bare page pushing the same file through a
//   data channel of its own with the same pump (chunks, reads, backpressure) and nothing else;
//   neither chats meanwhile, so the two move the same bytes under the same conditions;
// - chat latency p50 while the same file goes again, with a chat line every 50 ms, against
//   idle (the same two pages just before), and that transfer's throughput;
// - SMALL_FILES files of SMALL_FILE_BYTES picked at once (a folder of notes): pick → the last
//   verified, where each file's own costs (its hash, its offer and answer, its channel, its
//   store) count, not its bytes;
// - a large transfer (1 GB in the full run): peak JS heap and renderer RSS of both pages.
// Both users are persistent browsers (OPFS on disk, see files-browsers.ts).
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { BulkRecord } from '../pages/files-record.ts';
import type { BenchPageApi } from '../pages/shared.ts';
import { type Summary, summarize } from '../stats.ts';
import type { BrowserBenchEnv } from './env.ts';
import { type DiskBrowser, launchDiskBrowser, type MemoryPeak, sampleMemory } from './files-browsers.ts';
import { readRecord, roomUrl, waitMeshDone } from './room.ts';

const MESH_TIMEOUT_MS = 60_000;
/** Chat lines during a transfer, and idle, go this often. */
const CHAT_INTERVAL_MS = 50;
const IDLE_MESSAGES = 60;
/** Slowest a transfer may be before the run gives up on it (a loaded machine: 0.7 MB/s seen at load 30). */
const MIN_BYTES_PER_SECOND = 256 * 1024;
/** Small files picked at once, and the bytes of each: the per-file costs, measured together. */
export const SMALL_FILES = 64;
export const SMALL_FILE_BYTES = 1024;
/** Longest the small files may take, all together (one took ~110 ms before workers were kept). */
const SMALL_FILES_TIMEOUT_MS = 120_000;

export interface FilesSizes {
  /** Bytes of the throughput file (app and bare). */
  throughput: number;
  /** Bytes of the large transfer (memory). */
  large: number;
}

export interface TransferTiming {
  bytes: number;
  /** Pick (file-input change / push) → all bytes at the receiver (app: verified). */
  totalMs: number;
  /** Bytes start flowing (app: receiver shows transferring; bare: channel open) → done. */
  transferMs: number;
}

export interface FilesResult {
  app: TransferTiming;
  bare: TransferTiming;
  /** The app's transfer of the same file with chat going on meanwhile. */
  appWithChat: TransferTiming;
  idleLatency: Summary;
  busyLatency: Summary;
  /** Main-thread task time of each page during the app's transfer with chat, ms. */
  mainThread: { sender: number; receiver: number };
  /** SMALL_FILES files picked at once: pick → the last verified. */
  smallFiles: { count: number; bytes: number; totalMs: number };
  large: { bytes: number; totalMs: number; memory: MemoryPeak[] };
}

type FileState = 'offered' | 'transferring' | 'verified' | 'corrupt' | 'declined' | 'cancelled';

/** What the watcher in an app page records: when a file was picked, and when each line first showed each state. */
interface FileWatch {
  pickedAt: number | null;
  states: Record<string, Partial<Record<FileState, number>>>;
}

interface FileLineLike {
  getAttribute(name: string): string | null;
}

interface WatchGlobals {
  __bench: BenchPageApi;
  __fileWatch: FileWatch;
  /** Every file line seen, oldest first, kept after the page drops it (see watchFiles). */
  __fileLines: FileLineLike[];
  __benchFiles: { push(file: unknown): void; record(): BulkRecord };
  document: {
    querySelector(selector: string): (EventTargetLike & { files?: ArrayLike<unknown> | null }) | null;
    querySelectorAll(selector: string): ArrayLike<FileLineLike>;
    createElement(tag: string): EventTargetLike & { type: string; setAttribute(n: string, v: string): void };
    body: { append(node: unknown): void };
  };
  MutationObserver: new (
    callback: () => void,
  ) => { observe(target: unknown, options: { attributes: boolean; subtree?: boolean; childList?: boolean }): void };
}
interface EventTargetLike {
  addEventListener(type: string, listener: () => void, capture?: boolean): void;
}

/**
 * Runs in an app page: stamps the pick and every file line's states, on the pages' clock.
 * The page keeps its newest 2,000 lines only, and the chat during a slow transfer (a line
 * every 50 ms for over 100 s) pushes the file's line off it; the app still updates the
 * line's element, so each one is remembered and observed on its own.
 */
function watchFiles(): void {
  const g = globalThis as unknown as WatchGlobals;
  if (g.__fileWatch) return;
  const watch: FileWatch = { pickedAt: null, states: {} };
  g.__fileWatch = watch;
  const known: FileLineLike[] = [];
  g.__fileLines = known;
  g.document.querySelector('[data-testid=file-input]')?.addEventListener(
    'change',
    () => {
      watch.pickedAt = g.__bench.now();
    },
    true,
  );
  const observer = new g.MutationObserver(() => stamp());
  const stamp = () => {
    const at = g.__bench.now();
    const shown = g.document.querySelectorAll('[data-testid=message][data-kind=file]');
    for (let i = 0; i < shown.length; i++) {
      const line = shown[i];
      if (!line || known.includes(line)) continue;
      known.push(line);
      observer.observe(line, { attributes: true });
    }
    for (const line of known) {
      const id = line.getAttribute('data-file-id');
      const state = line.getAttribute('data-state') as FileState | null;
      if (!id || !state) continue;
      const seen = watch.states[id] ?? {};
      seen[state] ??= at;
      watch.states[id] = seen;
    }
  };
  observer.observe(g.document.querySelector('#messages'), {
    attributes: true,
    subtree: true,
    childList: true,
  });
}

async function fileWatch(page: Page): Promise<FileWatch> {
  return page.evaluate(() => (globalThis as unknown as WatchGlobals).__fileWatch);
}

/** Writes `bytes` of random data to a new file under /tmp (never held whole in memory). */
async function writeRandomFile(dir: string, name: string, bytes: number): Promise<string> {
  const path = join(dir, name);
  const handle = await open(path, 'w');
  // No larger than the file: each of the 64 small files of 1 KiB would fill 16 MiB with
  // random bytes to write one.
  const block = Buffer.alloc(Math.min(bytes, 16 * 1024 * 1024));
  try {
    for (let done = 0; done < bytes; done += block.length) {
      randomFillSync(block);
      await handle.write(block, 0, Math.min(block.length, bytes - done));
    }
  } finally {
    await handle.close();
  }
  return path;
}

const timeoutFor = (bytes: number) => 120_000 + (bytes / MIN_BYTES_PER_SECOND) * 1000;

async function openAppRoom(env: BrowserBenchEnv, browsers: readonly DiskBrowser[]): Promise<void> {
  const url = roomUrl(env, 'app', 2);
  await Promise.all(
    browsers.map(async (browser, index) => {
      const config = { name: `files${index}`, peers: 1, meshMessage: true };
      await browser.context.addInitScript({
        // tsx keeps function names with a __name() helper that exists only in Node: define it.
        content: `globalThis.__name = (f) => f;\nwindow.__benchConfig = ${JSON.stringify(config)};\n${env.probe}`,
      });
      await browser.page.goto(url);
    }),
  );
  const meshed = await Promise.all(browsers.map((browser) => waitMeshDone(browser.page, MESH_TIMEOUT_MS)));
  if (!meshed.every(Boolean)) throw new Error(`files: two users did not connect within ${MESH_TIMEOUT_MS} ms`);
  for (const browser of browsers) await browser.page.evaluate(watchFiles);
  // No accept step: every benchmark file starts at once, as small ones do.
  await browsers[1]?.page.getByTestId('file-accept-limit').fill('1000000');
}

/** Sends `path` through file-input; resolves with its timing once the receiver verified it. */
async function appTransfer(sender: Page, receiver: Page, path: string, bytes: number): Promise<TransferTiming> {
  const before = Object.keys((await fileWatch(receiver)).states);
  await sender.getByTestId('file-input').setInputFiles(path);
  const progress = async () =>
    JSON.stringify(
      await Promise.all(
        [sender, receiver].map((page) =>
          page.evaluate(() => {
            const g = globalThis as unknown as WatchGlobals;
            const bars = g.document.querySelectorAll('[data-testid=file-progress]');
            const state = g.__fileLines.at(-1)?.getAttribute('data-state');
            return `${state} at ${bars[bars.length - 1]?.getAttribute('value') ?? '?'} bytes`;
          }),
        ),
      ),
    );
  const id = await receiver
    .waitForFunction(
      (known) => {
        const states = (globalThis as unknown as WatchGlobals).__fileWatch.states;
        const fresh = Object.keys(states).find((key) => !known.includes(key));
        const seen = fresh === undefined ? undefined : states[fresh];
        return seen && (seen.verified ?? seen.corrupt ?? seen.cancelled ?? seen.declined) ? fresh : false;
      },
      before,
      { polling: 100, timeout: timeoutFor(bytes) },
    )
    .then(
      (handle) => handle.jsonValue() as Promise<string>,
      async (error: unknown) => {
        throw new Error(`files: no verdict on ${bytes} bytes in time; sender, receiver: ${await progress()}`, {
          cause: error,
        });
      },
    );
  const [sent, received] = await Promise.all([fileWatch(sender), fileWatch(receiver)]);
  const states = received.states[id] ?? {};
  if (states.verified === undefined) throw new Error(`files: the transfer ended ${JSON.stringify(states)}`);
  const pickedAt = sent.pickedAt ?? Number.NaN;
  return {
    bytes,
    totalMs: states.verified - pickedAt,
    transferMs: states.verified - (states.transferring ?? Number.NaN),
  };
}

/**
 * SMALL_FILES files of SMALL_FILE_BYTES picked at once through file-input; resolves with the
 * time from the pick to the receiver's last verified once every one is.
 */
async function smallFilesTransfer(sender: Page, receiver: Page, dir: string): Promise<FilesResult['smallFiles']> {
  const paths: string[] = [];
  for (let i = 0; i < SMALL_FILES; i++) paths.push(await writeRandomFile(dir, `small-${i}.bin`, SMALL_FILE_BYTES));
  const before = Object.keys((await fileWatch(receiver)).states);
  await sender.getByTestId('file-input').setInputFiles(paths);
  // The last verified (ms on the pages' clock) once every new line is final; -1: one was not verified.
  const lastVerified = await receiver
    .waitForFunction(
      ({ known, count }) => {
        const states = (globalThis as unknown as WatchGlobals).__fileWatch.states;
        const fresh = Object.keys(states)
          .filter((key) => !known.includes(key))
          .map((key) => states[key] ?? {});
        if (fresh.length < count) return false;
        if (!fresh.every((seen) => (seen.verified ?? seen.corrupt ?? seen.cancelled ?? seen.declined) !== undefined))
          return false;
        return fresh.every((seen) => seen.verified !== undefined)
          ? Math.max(...fresh.map((seen) => seen.verified ?? 0))
          : -1;
      },
      { known: before, count: SMALL_FILES },
      { polling: 100, timeout: SMALL_FILES_TIMEOUT_MS },
    )
    .then((handle) => handle.jsonValue() as Promise<number>);
  for (const path of paths) rmSync(path, { force: true });
  if (lastVerified < 0) throw new Error(`files: not every one of ${SMALL_FILES} small files was verified`);
  const { pickedAt } = await fileWatch(sender);
  return { count: SMALL_FILES, bytes: SMALL_FILE_BYTES, totalMs: lastVerified - (pickedAt ?? Number.NaN) };
}

/** The same file through the bare page: a new tab in each browser, pushed once the pair is linked. */
async function bareTransfer(env: BrowserBenchEnv, browsers: readonly DiskBrowser[], path: string, bytes: number) {
  const url = roomUrl(env, 'bare', 2);
  const pages = await Promise.all(browsers.map((browser) => browser.context.newPage()));
  try {
    await Promise.all(pages.map((page) => page.goto(url)));
    const meshed = await Promise.all(pages.map((page) => waitMeshDone(page, MESH_TIMEOUT_MS)));
    if (!meshed.every(Boolean)) throw new Error('files: the bare pages did not connect');
    const [sender, receiver] = pages;
    if (!sender || !receiver) throw new Error('two bare pages expected');
    await sender.evaluate(() => {
      const g = globalThis as unknown as WatchGlobals;
      const input = g.document.createElement('input');
      input.type = 'file';
      input.setAttribute('data-testid', 'bulk-input');
      input.addEventListener('change', () => {
        const file = (input as unknown as { files: ArrayLike<unknown> }).files[0];
        g.__benchFiles.push(file);
      });
      g.document.body.append(input);
    });
    await sender.getByTestId('bulk-input').setInputFiles(path);
    await receiver.waitForFunction(
      (size) => {
        const record = (globalThis as unknown as WatchGlobals).__benchFiles.record();
        return record.doneAt !== null && record.received >= size;
      },
      bytes,
      { polling: 100, timeout: timeoutFor(bytes) },
    );
    const read = (page: Page) => page.evaluate(() => (globalThis as unknown as WatchGlobals).__benchFiles.record());
    const [sent, received] = await Promise.all([read(sender), read(receiver)]);
    const doneAt = received.doneAt ?? Number.NaN;
    return {
      bytes: received.received,
      totalMs: doneAt - (sent.pushedAt ?? Number.NaN),
      transferMs: doneAt - (sent.openedAt ?? Number.NaN),
    };
  } finally {
    await Promise.all(pages.map((page) => page.close().catch(() => {})));
  }
}

/** One-way latency of the chat lines with this prefix the receiver has seen (text carries sentAt). */
async function latencies(receiver: Page, prefix: string): Promise<number[]> {
  const record = await readRecord(receiver);
  return record.received.filter((m) => m.text.startsWith(`${prefix}:`)).map((m) => m.at - Number(m.text.split(':')[2]));
}

/** Chat lines from the sender every CHAT_INTERVAL_MS until its newest file line is final. */
function chatUntilFileDone(sender: Page, prefix: string): Promise<number> {
  return sender.evaluate(
    async ({ prefix, interval }) => {
      const g = globalThis as unknown as WatchGlobals;
      const finalStates = ['verified', 'corrupt', 'declined', 'cancelled'];
      // Lines of earlier transfers are final already: wait for this transfer's own line.
      const before = g.__fileLines.length;
      const done = () =>
        g.__fileLines.length > before && finalStates.includes(g.__fileLines.at(-1)?.getAttribute('data-state') ?? '');
      let sent = 0;
      while (!done()) {
        await g.__bench.sendPaced(1, interval, prefix);
        sent++;
      }
      return sent;
    },
    { prefix, interval: CHAT_INTERVAL_MS },
  );
}

export async function measureFiles(env: BrowserBenchEnv, sizes: FilesSizes): Promise<FilesResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rl-bench-files-'));
  const browsers: DiskBrowser[] = [];
  try {
    const throughputPath = await writeRandomFile(dir, 'throughput.bin', sizes.throughput);
    browsers.push(await launchDiskBrowser(env.netnsName, 'sender'));
    browsers.push(await launchDiskBrowser(env.netnsName, 'receiver'));
    const [sender, receiver] = browsers;
    if (!sender || !receiver) throw new Error('two browsers expected');
    await openAppRoom(env, browsers);

    // The app's transfer and the bare one in the same browsers, nothing else going on (before
    // any chat: a transfer steps back for a few seconds after a line, client/conversation.ts);
    // then the chat's idle latency, and the app's transfer again with chat going on meanwhile.
    const app = await appTransfer(sender.page, receiver.page, throughputPath, sizes.throughput);
    const bare = await bareTransfer(env, browsers, throughputPath, sizes.throughput);
    const smallFiles = await smallFilesTransfer(sender.page, receiver.page, dir);
    await sender.page.evaluate(
      ([count, interval]) => (globalThis as unknown as WatchGlobals).__bench.sendPaced(count, interval, 'idle'),
      [IDLE_MESSAGES, CHAT_INTERVAL_MS] as const,
    );
    await receiver.page.waitForFunction(
      (count) => (globalThis as unknown as WatchGlobals).__bench.count('idle') >= count,
      IDLE_MESSAGES,
      { polling: 100, timeout: 60_000 },
    );
    const idleLatency = summarize(await latencies(receiver.page, 'idle'));

    const taskBefore = await Promise.all([sender.mainThreadMs(), receiver.mainThreadMs()]);
    const [appWithChat] = await Promise.all([
      appTransfer(sender.page, receiver.page, throughputPath, sizes.throughput),
      chatUntilFileDone(sender.page, 'busy'),
    ]);
    const taskAfter = await Promise.all([sender.mainThreadMs(), receiver.mainThreadMs()]);
    const mainThread = {
      sender: (taskAfter[0] ?? Number.NaN) - (taskBefore[0] ?? Number.NaN),
      receiver: (taskAfter[1] ?? Number.NaN) - (taskBefore[1] ?? Number.NaN),
    };
    const busyLatency = summarize(await latencies(receiver.page, 'busy'));
    rmSync(throughputPath, { force: true });

    const largePath = await writeRandomFile(dir, 'large.bin', sizes.large);
    const memory = sampleMemory(browsers);
    await memory.start();
    let largeTiming: TransferTiming;
    let peaks: MemoryPeak[];
    try {
      largeTiming = await appTransfer(sender.page, receiver.page, largePath, sizes.large);
    } finally {
      peaks = await memory.stop();
      rmSync(largePath, { force: true });
    }
    return {
      app,
      bare,
      appWithChat,
      idleLatency,
      busyLatency,
      mainThread,
      smallFiles,
      large: { bytes: sizes.large, totalMs: largeTiming.totalMs, memory: peaks },
    };
  } finally {
    await Promise.all(browsers.map((browser) => browser.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}
