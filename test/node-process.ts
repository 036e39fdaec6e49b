// A roomlink node in a process of its own (dist/server.mjs, as `npm start` runs it), for tests
// that kill a node outright (SIGKILL leaves no time for a goodbye to clients or Redis) or
// stall it (SIGSTOP, as a starved event loop, a long GC or a suspended VM would).
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { builtServer } from './built-server.ts';
import { spawnTied } from './tied-child.ts';

/** A start takes ~1 s here, several times that on a loaded machine. */
const START_TIMEOUT_MS = 90_000;

export interface NodeProcess {
  url: string;
  /** SIGKILL, resolved once it has exited. */
  kill(): Promise<void>;
  /** SIGSTOP: the node does nothing until resumed; its sockets stay open. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
}

export async function startNodeProcess(env: Record<string, string>): Promise<NodeProcess> {
  const child: ChildProcess = spawnTied(
    process.execPath,
    // warn: quiet, but it still says where it listens (server/logger.ts noticesOf), which
    // is read below; silent says nothing at all.
    [builtServer(), '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'],
    { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = once(child, 'exit');
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  process.once('exit', () => child.kill('SIGKILL'));
  let output = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`node did not start: ${output}`)), START_TIMEOUT_MS);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`node exited at start: ${output}`));
      });
    });
    return { url, kill, pause: () => child.kill('SIGSTOP'), resume: () => child.kill('SIGCONT') };
  } catch (error) {
    await kill();
    throw error;
  }
}
