// A real redis-server for the scale-out tests: its own process on a free port of 127.0.0.1,
// no persistence, stopped by pid (also if the test process dies first). Not skipped when
// redis-server is missing: the tests fail and say how to install it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START_TIMEOUT_MS = 5_000;

export interface RedisProcess {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: no goodbye to its clients) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function redisServerPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error('redis-server is not installed; the scale-out tests need it: apt-get install -y redis-server');
  }
  return path;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Loopback only, no persistence, quiet. */
const serverArgs = (port: number): string[] => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
  '--loglevel',
  'warning',
];

export async function startRedis(): Promise<RedisProcess> {
  const binary = redisServerPath();
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const proc = spawn(binary, [...serverArgs(port), '--daemonize', 'no'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    child = proc;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await accepts(port))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`redis-server did not start on port ${port}: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGKILL');
    await exited;
  };

  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}

export interface RedisClusterProcess {
  /** host:port of every master, for REDIS_CLUSTER_NODES. */
  nodes: string[];
  /** Kills one master (SIGKILL), by its index in `nodes`. */
  kill(index: number): Promise<void>;
  stop(): Promise<void>;
}

const CLUSTER_MASTERS = 3;

/**
 * A Redis Cluster of 3 masters (no replicas) on free loopback ports, each its own
 * redis-server in a temporary directory (MACHINE.md's recipe), ready when every slot is
 * covered.
 */
export async function startRedisCluster(): Promise<RedisClusterProcess> {
  const binary = redisServerPath();
  const dir = mkdtempSync(join(tmpdir(), 'roomlink-cluster-'));
  const ports: number[] = [];
  // Cluster nodes also listen on port + 10000 (the bus): both must be free.
  while (ports.length < CLUSTER_MASTERS) {
    const port = await freePort();
    if (port < 55_000 && !ports.includes(port)) ports.push(port);
  }
  const children: ChildProcess[] = [];
  for (const port of ports) {
    const proc = spawn(
      binary,
      [
        ...serverArgs(port),
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '1000',
      ],
      { stdio: 'ignore', cwd: dir },
    );
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    children.push(proc);
  }
  const stop = async () => {
    await Promise.all(
      children.map(async (proc) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        const exited = once(proc, 'exit');
        proc.kill('SIGKILL');
        await exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (const port of ports) {
      while (!(await accepts(port))) {
        if (Date.now() > deadline) throw new Error(`cluster node on port ${port} did not start`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    const created = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 20_000 },
    );
    if (!created.stdout.includes('All 16384 slots covered')) {
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    }
    // "create" returns before every node agrees on the state; wait for cluster_state:ok.
    for (const port of ports) {
      for (;;) {
        const info = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' });
        if (info.stdout.includes('cluster_state:ok')) break;
        if (Date.now() > deadline + 15_000) throw new Error(`cluster not ok on ${port}: ${info.stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return {
      nodes,
      stop,
      async kill(index) {
        const proc = children[index];
        if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
        const exited = once(proc, 'exit');
        proc.kill('SIGKILL');
        await exited;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
