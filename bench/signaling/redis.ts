// A throwaway redis-server on a free loopback port, no persistence, stopped by pid.
import { createServer } from 'node:net';
import { onProcessExit } from '../../e2e/support/exit-cleanup.ts';
import { RECOMMENDED_PUBSUB_LIMIT } from '../../server/redis-limits.ts';
import { spawnTied } from '../../test/tied-child.ts';

const READY_TIMEOUT_MS = 10_000;

export interface RedisServer {
  readonly url: string;
  readonly version: string;
  /**
   * Connections Redis closed for going over their output buffer limit
   * (client-output-buffer-limit; for pub/sub 32 MB at once or 8 MB for 60 s by default): a
   * node's subscriber that falls that far behind is cut off, and what was published to it
   * meanwhile is lost.
   */
  outputBufferClosures(): number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawnTied(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      // As the README's deployment sets it: the default cut a busy node's subscriber off.
      '--client-output-buffer-limit',
      RECOMMENDED_PUBSUB_LIMIT,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const unregister = onProcessExit(() => child.kill('SIGKILL'));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const version = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), READY_TIMEOUT_MS);
    child.once('error', (error) => reject(error));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        resolve(/Redis version=([^,\s]+)/.exec(output)?.[1] ?? /v=([^,\s]+)/.exec(output)?.[1] ?? 'unknown');
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    version,
    outputBufferClosures: () => output.match(/overcoming of output buffer limits/g)?.length ?? 0,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      unregister();
    },
  };
}
