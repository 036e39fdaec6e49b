// A long-running process inside a test namespace (the server, later redis or coturn): its
// output is kept for the failure report, start waits for a "ready" line, stop is SIGTERM
// then SIGKILL, and the process is killed if the test process exits first.

import type { ChildProcess } from 'node:child_process';
import { onProcessExit } from './exit-cleanup.ts';
import type { BareNetns } from './netns.ts';

const defaultReadyTimeoutMs = 30_000;
const stopGraceMs = 5_000;
/** Output kept per process, newest last; older lines are dropped. */
const maxOutputLines = 2_000;

export interface ProcessSpec {
  /** Shown in messages and output lines. */
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Start resolves once a line of stdout or stderr matches. */
  readonly ready: RegExp;
  readonly readyTimeoutMs?: number;
}

export interface NetnsProcess {
  readonly pid: number;
  /** Everything it printed so far, as lines prefixed with the stream name. */
  output(): string;
  /** Resolves once the process has exited (immediately if it already has). */
  exited(): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** SIGKILL at once: a crash, with no goodbye to anyone. */
  kill(): Promise<void>;
}

export async function startInNetns(netns: Pick<BareNetns, 'spawn'>, spec: ProcessSpec): Promise<NetnsProcess> {
  const child = netns.spawn(spec.command, spec.args, {
    cwd: spec.cwd ?? process.cwd(),
    env: spec.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.label}: could not start ${spec.command}`);
  const unregister = onProcessExit(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const lines: string[] = [];
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      lines.push(`[${spec.label} exited: ${signal ?? `code ${code}`}]`);
      unregister();
      resolve();
    });
  });
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  collectLines(child, (stream, line) => {
    lines.push(`${stream}: ${line}`);
    if (lines.length > maxOutputLines) lines.splice(0, lines.length - maxOutputLines);
    if (spec.ready.test(line)) markReady();
  });

  const handle: NetnsProcess = {
    pid,
    output: () => lines.join('\n'),
    exited: () => exit,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
      await exit;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exit;
    },
  };

  const timeoutMs = spec.readyTimeoutMs ?? defaultReadyTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    exit.then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    await handle.stop();
    const why =
      outcome === 'exited'
        ? 'exited before it was ready'
        : `printed no line matching ${spec.ready} within ${timeoutMs} ms`;
    throw new Error(`${spec.label} ${why}; its output:\n${handle.output() || '(nothing)'}`);
  }
  return handle;
}

function collectLines(child: ChildProcess, onLine: (stream: 'stdout' | 'stderr', line: string) => void): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    let partial = '';
    const source = child[stream];
    if (source === null) continue;
    source.setEncoding('utf8');
    source.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) onLine(stream, line);
    });
    source.on('end', () => {
      if (partial) onLine(stream, partial);
      partial = '';
    });
  }
}
