// A TypeScript child process with typed IPC, started through `prlimit` so it may hold more
// open files than the shell's limit (10k sockets need 10k descriptors, plus the node's own).
// Messages that arrive before anyone waits for them are kept, per type, in order.
import { execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { onProcessExit } from '../../e2e/support/exit-cleanup.ts';

/** Open-file limit wanted for the server and bot processes (10k sockets and then some). */
const WANTED_OPEN_FILES = 65_536;
const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((path) => existsSync(path)) ?? null;

/** The hard limit: without CAP_SYS_RESOURCE (containers) the soft limit can go no higher. */
function hardOpenFileLimit(): number {
  try {
    const text = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? WANTED_OPEN_FILES : Number(text);
  } catch {
    return Number.NaN;
  }
}

/** Open-file limit given to the server and bot processes. */
export const OPEN_FILE_LIMIT = Math.min(WANTED_OPEN_FILES, hardOpenFileLimit() || WANTED_OPEN_FILES);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_WAIT_MS = 120_000;
const OUTPUT_KEEP_CHARS = 20_000;

/** How the open-file limit was raised, for the report. */
export function openFileNote(): string {
  return PRLIMIT === null
    ? "prlimit not found: children inherit the shell's open-file limit"
    : `server and bot processes started with prlimit --nofile=${OPEN_FILE_LIMIT} (soft = hard limit${OPEN_FILE_LIMIT < WANTED_OPEN_FILES ? `; ${WANTED_OPEN_FILES} wanted, the hard limit here is ${OPEN_FILE_LIMIT}` : ''})`;
}

export interface Child<In, Out extends { type: string }> {
  readonly pid: number;
  send(message: In): void;
  /** The next message of this type (possibly one that already came). */
  next<T extends Out['type']>(type: T, timeoutMs?: number): Promise<Extract<Out, { type: T }>>;
  output(): string;
  /** Resolves when it has exited; SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

export function startChild<In, Out extends { type: string }>(
  module: string,
  env: NodeJS.ProcessEnv,
  label: string,
  /** Each complete line the child prints (stdout and stderr), as it comes. */
  onLine?: (line: string) => void,
): Child<In, Out> {
  // A bundle (.mjs, built like dist/server.mjs) runs as plain JavaScript, without source maps
  // as `npm start` runs it (a first failed write would parse the map: +49 MB of heap landing
  // in the heap figures, and 0.23 s of the node's thread); the rest through tsx.
  const nodeArgs = module.endsWith('.mjs') ? ['--expose-gc'] : ['--expose-gc', '--import', 'tsx'];
  const child = fork(fileURLToPath(new URL(module, import.meta.url)), [], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    ...(PRLIMIT === null
      ? { execArgv: nodeArgs }
      : { execPath: PRLIMIT, execArgv: [`--nofile=${OPEN_FILE_LIMIT}`, process.execPath, ...nodeArgs] }),
  });
  if (child.pid === undefined) throw new Error(`${label}: could not start`);
  const unregister = onProcessExit(() => child.kill('SIGKILL'));
  let output = '';
  const linesFrom = (stream: NodeJS.ReadableStream | null) => {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-OUTPUT_KEEP_CHARS);
      if (!onLine) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  };
  linesFrom(child.stdout);
  linesFrom(child.stderr);

  const inbox = new Map<string, Out[]>();
  const waiting = new Map<string, Array<(message: Out) => void>>();
  child.on('message', (raw) => {
    const message = raw as Out;
    const waiter = waiting.get(message.type)?.shift();
    if (waiter) waiter(message);
    else inbox.set(message.type, [...(inbox.get(message.type) ?? []), message]);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      unregister();
      resolve();
    });
  });

  return {
    pid: child.pid,
    send(message) {
      if (child.connected) child.send(message as object);
    },
    next(type, timeoutMs = DEFAULT_WAIT_MS) {
      const queued = inbox.get(type)?.shift();
      if (queued) return Promise.resolve(queued as Extract<Out, { type: typeof type }>);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `${label}: no '${type}' within ${timeoutMs} ms; its output:\n${output.slice(-2_000) || '(none)'}`,
            ),
          );
        }, timeoutMs);
        void exited.then(() => {
          clearTimeout(timer);
          reject(
            new Error(`${label} exited while waiting for '${type}'; its output:\n${output.slice(-2_000) || '(none)'}`),
          );
        });
        const list = waiting.get(type) ?? [];
        list.push((message) => {
          clearTimeout(timer);
          resolve(message as Extract<Out, { type: typeof type }>);
        });
        waiting.set(type, list);
      });
    },
    output: () => output,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}
