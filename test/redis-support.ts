// A real redis-server for the scale-out tests: its own process on a free port of 127.0.0.1,
// no persistence, stopped by pid (and dying with the test process, however it ends:
// tied-child.ts). Not skipped when
// redis-server is missing: the tests fail and say how to install it.
import { type ChildProcess, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTied } from './tied-child.ts';

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

/** Whether something accepts TCP connections on this port of 127.0.0.1 now. */
export function accepts(port: number): Promise<boolean> {
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
  // notice: the server says when it is ready (spawnOn waits for that line).
  '--loglevel',
  'notice',
];

/**
 * Spawns redis-server on `port` and resolves once *this* process accepts connections, or
 * rejects. A free port is checked and then released (freePort), so another test file may
 * take it meanwhile, or hold it already (a Redis restarted "on the same port" elsewhere):
 * a connection that succeeds does not prove the port is ours. The server's own "Ready to
 * accept connections" line does; a bind failure makes it exit instead. (A clean-clone run
 * once found a test's Redis "down" right after its nodes started; this race is the likely
 * cause, not a proven one.)
 */
async function spawnOn(binary: string, port: number): Promise<ChildProcess> {
  const proc = spawnTied(binary, [...serverArgs(port), '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let output = '';
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    proc.stdout?.on('data', read);
    proc.stderr?.on('data', read);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  // Keep reading so that a chatty server never blocks on a full pipe.
  proc.stdout?.resume();
  proc.stderr?.resume();
  if (ready && proc.exitCode === null) return proc;
  proc.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}: ${output.trim().split('\n').slice(-3).join(' | ')}`);
}

export async function startRedis(): Promise<RedisProcess> {
  const binary = redisServerPath();
  let port = 0;
  let child: ChildProcess | undefined;
  // A first start that lost its port to another test tries another one.
  for (let attempt = 1; ; attempt += 1) {
    port = await freePort();
    try {
      child = await spawnOn(binary, port);
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }

  const start = async () => {
    child = await spawnOn(binary, port);
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGKILL');
    await exited;
  };

  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}

export interface RedisClusterProcess {
  /** host:port of every node (masters first), for REDIS_CLUSTER_NODES. */
  nodes: string[];
  /** Kills one node (SIGKILL), by its index in `nodes`. */
  kill(index: number): Promise<void>;
  /** host:port of the master that serves this key's hash slot now. */
  masterOf(key: string): string;
  /**
   * Kills (SIGKILL) the master that serves this key's slot, once its replica holds every
   * write it acknowledged, and resolves when the replica has been promoted and every
   * surviving node sees the cluster as ok. Needs a cluster started with a replica per master.
   * `whileDown` runs once the master is dead, before its replica is promoted (what a test does
   * during the failover); the promotion is waited for once it has.
   */
  failOver(key: string, whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

const CLUSTER_MASTERS = 3;
/** Failure detection (the node timeout) and a replica's election take a few seconds more. */
const FAILOVER_TIMEOUT_MS = 30_000;

interface ClusterNode {
  id: string;
  port: number;
  role: 'master' | 'replica';
  /** The master's id, for a replica. */
  masterId: string;
  slots: Array<[number, number]>;
  failed: boolean;
}

const cli = (port: number, ...args: string[]): string =>
  spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', timeout: 5_000 }).stdout ?? '';

/** CLUSTER NODES as one node sees it. */
function clusterNodes(port: number): ClusterNode[] {
  return cli(port, 'cluster', 'nodes')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', address = '', flags = '', master = '', , , , , ...slots] = line.split(' ');
      return {
        id,
        port: Number(address.split('@')[0]?.split(':')[1]),
        role: flags.includes('master') ? 'master' : 'replica',
        masterId: master,
        failed: flags.includes('fail'),
        slots: slots
          .filter((range) => /^\d/.test(range))
          .map((range) => {
            const [from = '0', to = from] = range.split('-');
            return [Number(from), Number(to)] as [number, number];
          }),
      };
    });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it holds; throws with `what` after the deadline. */
async function pollUntil(check: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what()} (after ${timeoutMs} ms)`);
    await sleep(50);
  }
}

const replicationOffset = (port: number, field: 'master_repl_offset' | 'slave_repl_offset'): number =>
  Number(new RegExp(`${field}:(\\d+)`).exec(cli(port, 'info', 'replication'))?.[1] ?? Number.NaN);

/**
 * A Redis Cluster of 3 masters (and, with `replicasPerMaster: 1`, a replica for each) on
 * free loopback ports, each its own redis-server in a temporary directory (MACHINE.md's
 * recipe), ready when every slot is covered and every replica is linked to its master.
 */
export async function startRedisCluster(
  options: { replicasPerMaster?: 0 | 1; nodeTimeoutMs?: number } = {},
): Promise<RedisClusterProcess> {
  const binary = redisServerPath();
  const replicas = options.replicasPerMaster ?? 0;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1_000;
  const dir = mkdtempSync(join(tmpdir(), 'roomlink-cluster-'));
  const ports: number[] = [];
  // Cluster nodes also listen on port + 10000 (the bus): both must be free.
  while (ports.length < CLUSTER_MASTERS * (1 + replicas)) {
    const port = await freePort();
    if (port < 55_000 && !ports.includes(port)) ports.push(port);
  }
  const children = new Map<number, ChildProcess>();
  for (const port of ports) {
    const proc = spawnTied(
      binary,
      [
        ...serverArgs(port),
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        String(nodeTimeoutMs),
        // A replica takes over however long ago it last heard from its master: with a short
        // node timeout the default factor (10) makes a replica of an idle master refuse.
        '--cluster-replica-validity-factor',
        '0',
      ],
      { stdio: 'ignore', cwd: dir },
    );
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    children.set(port, proc);
  }
  const killPort = async (port: number) => {
    const proc = children.get(port);
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGKILL');
    await exited;
  };
  const alive = () =>
    ports.filter((port) => {
      const proc = children.get(port);
      return proc !== undefined && proc.exitCode === null && proc.signalCode === null;
    });
  const stop = async () => {
    await Promise.all(ports.map(killPort));
    rmSync(dir, { recursive: true, force: true });
  };
  const masterPortOf = (key: string): number => {
    const [asker = ports[0] ?? 0] = alive();
    const slot = Number(cli(asker, 'cluster', 'keyslot', key).trim());
    const owner = clusterNodes(asker).find(
      (n) => n.role === 'master' && !n.failed && n.slots.some(([from, to]) => slot >= from && slot <= to),
    );
    if (!owner) throw new Error(`no master serves slot ${slot} of ${key}`);
    return owner.port;
  };
  const clusterOk = (port: number) => cli(port, 'cluster', 'info').includes('cluster_state:ok');

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (const port of ports) {
      while (!(await accepts(port))) {
        if (Date.now() > deadline) throw new Error(`cluster node on port ${port} did not start`);
        await sleep(10);
      }
    }
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    const created = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...nodes, '--cluster-replicas', String(replicas), '--cluster-yes'],
      { encoding: 'utf8', timeout: 20_000 },
    );
    if (!created.stdout.includes('All 16384 slots covered')) {
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    }
    // "create" returns before every node agrees on the state; wait for cluster_state:ok,
    // and for every replica to be linked to its master.
    for (const port of ports) {
      await pollUntil(
        () => clusterOk(port),
        () => `cluster not ok on ${port}`,
        START_TIMEOUT_MS + 15_000,
      );
    }
    const linked = () =>
      clusterNodes(ports[0] ?? 0)
        .filter((n) => n.role === 'replica')
        .every((n) => cli(n.port, 'info', 'replication').includes('master_link_status:up'));
    await pollUntil(linked, () => 'replicas not linked to their masters', START_TIMEOUT_MS + 15_000);
    const view = clusterNodes(ports[0] ?? 0);
    const masters = view.filter((n) => n.role === 'master').map((n) => n.port);
    const ordered = [...masters, ...ports.filter((port) => !masters.includes(port))];
    return {
      nodes: ordered.map((port) => `127.0.0.1:${port}`),
      stop,
      kill: (index) => killPort(ordered[index] ?? -1),
      masterOf: (key) => `127.0.0.1:${masterPortOf(key)}`,
      async failOver(key, whileDown) {
        // On a busy machine the cluster may already have failed over by itself (a node
        // timeout of a few seconds): then the key has a new master, whose replica is the old
        // one once it rejoins. Wait for the key's master to have a linked replica.
        const replicaOf = (master: number) => {
          const view = clusterNodes(master);
          const id = view.find((m) => m.port === master)?.id;
          const found = view.find((n) => n.role === 'replica' && n.masterId === id && !n.failed);
          return found && cli(found.port, 'info', 'replication').includes('master_link_status:up') ? found : undefined;
        };
        await pollUntil(
          () => {
            try {
              return replicaOf(masterPortOf(key)) !== undefined;
            } catch {
              return false; // the slot's owner is changing hands
            }
          },
          () => `the master of ${key} has no linked replica`,
          FAILOVER_TIMEOUT_MS,
        );
        const master = masterPortOf(key);
        const replica = replicaOf(master);
        if (!replica) throw new Error(`the master on ${master} has no replica`);
        // What the master acknowledged has reached its replica (replication is asynchronous).
        await pollUntil(
          () => replicationOffset(replica.port, 'slave_repl_offset') >= replicationOffset(master, 'master_repl_offset'),
          () => `replica ${replica.port} behind its master ${master}`,
          FAILOVER_TIMEOUT_MS,
        );
        await killPort(master);
        await whileDown?.();
        await pollUntil(
          () =>
            clusterNodes(replica.port).some((n) => n.port === replica.port && n.role === 'master') &&
            alive().every(clusterOk),
          () => `replica ${replica.port} not promoted, or the cluster not ok, after its master ${master} died`,
          FAILOVER_TIMEOUT_MS,
        );
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * What a client sends, chunk by chunk, before it goes on to Redis: the chunk waits for the
 * returned promise, and so does everything after it on that connection.
 */
export type Outgoing = (chunk: Buffer, connection: Socket) => Promise<void> | void;

/**
 * A TCP path to redis-server that the test can cut (every connection dropped, new ones
 * refused) and mend, and that shows it what the clients send (`outgoing`) and what Redis
 * answers them (`incoming`, with the client's end as the connection) first.
 */
export async function cuttablePath(
  port: number,
  outgoing?: Outgoing,
  incoming?: Outgoing,
): Promise<{ url: string; cut(): void; mend(): void; close(): void }> {
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(port, '127.0.0.1');
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      const shown = from === client ? outgoing : incoming;
      if (shown) {
        // In order: the connection is paused while a chunk waits.
        from.on('data', (chunk: Buffer) => {
          from.pause();
          void Promise.resolve(shown(chunk, client)).then(() => {
            if (!to.destroyed) to.write(chunk);
            from.resume();
          });
        });
      } else {
        from.pipe(to);
      }
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const cut = (): void => {
    open = false;
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: `redis://127.0.0.1:${address.port}`,
    cut,
    mend() {
      open = true;
    },
    close() {
      cut();
      server.close();
    },
  };
}
