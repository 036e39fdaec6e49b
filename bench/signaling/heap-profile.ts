// Where a joined socket's heap goes: the benchmark's server node (the real server, from
// the same bundle the benchmark runs, in-memory) and K bots in rooms of 6 in child
// processes; a heap snapshot after a forced GC with no socket and another with K joined
// sockets, compared by what holds each V8 object. Prints the biggest growths per socket.
// With storms, every room renegotiates that many times first, as in the benchmark, whose
// heap figure is read after its storms.
//   node --import tsx bench/signaling/heap-profile.ts [K=2000] [storms=0]
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild } from './child.ts';
import type { BotSpec, FromBots, FromServer, ToBots, ToServer } from './messages.ts';
import { serverEnv, startServerNode } from './run.ts';

const clients = Number(process.argv[2] ?? 2000);
const storms = Number(process.argv[3] ?? 0);

interface Snapshot {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/**
 * Self sizes summed by "kind:name <- owner.edge": objects by constructor, closures by
 * function name, and everything by what first holds it (its owner's constructor and the
 * property), which tells arrays, contexts and strings apart.
 */
function sizesByKind(path: string): Map<string, { bytes: number; count: number }> {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const edgeFields = snap.snapshot.meta.edge_fields;
  const edgeTypes = snap.snapshot.meta.edge_types[0];
  const width = fields.length;
  const edgeWidth = edgeFields.length;
  const at = (name: string) => fields.indexOf(name);
  const [typeAt, nameAt, sizeAt, edgeCountAt] = [at('type'), at('name'), at('self_size'), at('edge_count')];
  const [edgeTypeAt, edgeNameAt, edgeToAt] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const nodeLabel = (i: number): string => {
    const type = types[snap.nodes[i + typeAt] as number] ?? '?';
    const rawName = snap.strings[snap.nodes[i + nameAt] as number] ?? '';
    return type === 'object' || type === 'closure' || type === 'native' || type === 'hidden' || type === 'array'
      ? `${type}:${rawName.slice(0, 40)}`
      : type;
  };
  // The first strong owner of each node (weak edges aside), as node offset and property.
  const ownerOf = new Map<number, { from: number; edge: string }>();
  let edge = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const count = snap.nodes[i + edgeCountAt] as number;
    for (let e = 0; e < count; e++, edge += edgeWidth) {
      const to = snap.edges[edge + edgeToAt] as number;
      const edgeType = edgeTypes[snap.edges[edge + edgeTypeAt] as number] ?? '?';
      if (edgeType === 'weak' || ownerOf.has(to)) continue;
      const raw = snap.edges[edge + edgeNameAt] as number;
      const edgeName = edgeType === 'element' || edgeType === 'hidden' ? '[]' : (snap.strings[raw] ?? '?');
      ownerOf.set(to, { from: i, edge: edgeName.slice(0, 30) });
    }
  }
  // Up the owners until a named object (at most a few steps): what holds the bytes.
  const holder = (i: number): string => {
    const path: string[] = [];
    let at = i;
    for (let depth = 0; depth < 8; depth++) {
      const owner = ownerOf.get(at);
      if (!owner) return `${path.join(' <- ')} <- (root)`;
      const label = nodeLabel(owner.from);
      path.push(`${label}.${owner.edge}`);
      // Containers and plain objects say little: keep going up to what holds them.
      if (/^(object|closure):[^ ]/.test(label) && !/^object:(system|Array$|Map$|Set$|Object$)/.test(label)) break;
      at = owner.from;
    }
    return path.join(' <- ');
  };
  const sums = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const key = `${nodeLabel(i)} <- ${holder(i)}`;
    const entry = sums.get(key) ?? { bytes: 0, count: 0 };
    entry.bytes += snap.nodes[i + sizeAt] as number;
    entry.count++;
    sums.set(key, entry);
  }
  return sums;
}

type ServerNode = ReturnType<typeof startChild<ToServer, FromServer>>;

async function snapshot(server: ServerNode, label: string): Promise<Map<string, { bytes: number; count: number }>> {
  const reply = server.next('snapshot', 300_000);
  server.send({ type: 'snapshot', path: join(tmpdir(), `roomlink-heap-${process.pid}-${label}.heapsnapshot`) });
  const { path } = await reply;
  const sums = sizesByKind(path);
  rmSync(path);
  return sums;
}

async function heapUsed(server: ServerNode): Promise<{ heapUsed: number; sockets: number }> {
  const reply = server.next('stats');
  server.send({ type: 'stats', gc: true });
  return (await reply).stats;
}

const server = await startServerNode(serverEnv(null, undefined), 'server node');
const { port } = await server.next('listening', 120_000);
const empty = await heapUsed(server);
const before = await snapshot(server, 'empty');

const specs: BotSpec[] = Array.from({ length: clients }, (_, i) => ({
  roomId: `room${String(Math.floor(i / 6)).padStart(17, '0')}`,
  url: `http://127.0.0.1:${port}`,
  node: 0,
  expectPeers: Math.min(6, clients - Math.floor(i / 6) * 6) - 1,
  order: i,
}));
const bots = startChild<ToBots, FromBots>('./bot-worker.ts', process.env, 'bots');
try {
  const ready = bots.next('ready');
  bots.send({ type: 'setup', bots: specs });
  await ready;
  const connected = bots.next('connected', 300_000);
  bots.send({ type: 'connect', concurrency: 50 });
  console.log('connected', await connected);
  const joined = bots.next('joined', 600_000);
  const exchanged = bots.next('exchanged', 120_000);
  bots.send({ type: 'join', startAt: Date.now() + 100, rate: 500 });
  const j = await joined;
  console.log('joined', j.latenciesMs.length, 'errors', j.errors, j.firstError);
  // The heap is what joined sockets hold: an exchange that stalls on a loaded machine does
  // not change that (signals are relayed, not kept).
  const exchange = await exchanged.catch((error: Error) => error.message.split('\n')[0] ?? 'timed out');
  console.log('exchanged', exchange);
  // A wait that timed out stays queued (child.ts) and would take the first storm's reply.
  const stormRounds = typeof exchange === 'string' ? 0 : storms;
  if (stormRounds < storms) console.log('no storms: the exchange did not finish');
  for (let round = 0; round < stormRounds; round++) {
    const reset = bots.next('reset');
    bots.send({ type: 'reset' });
    await reset;
    const stormed = bots.next('exchanged', 120_000);
    bots.send({ type: 'storm' });
    console.log(`storm ${round + 1}`, await stormed.catch((error: Error) => error.message.split('\n')[0]));
  }

  const full = await heapUsed(server);
  const after = await snapshot(server, 'full');
  const sockets = full.sockets;
  console.log(
    `sockets ${sockets}; heapUsed growth per socket ${((full.heapUsed - empty.heapUsed) / sockets / 1024).toFixed(2)} KB`,
  );
  const rows = [...after].map(([key, a]) => {
    const b = before.get(key) ?? { bytes: 0, count: 0 };
    return { key, perSocket: (a.bytes - b.bytes) / sockets, countPerSocket: (a.count - b.count) / sockets };
  });
  rows.sort((x, y) => y.perSocket - x.perSocket);
  const total = rows.reduce((sum, r) => sum + r.perSocket, 0);
  console.log(`snapshot growth per socket: ${(total / 1024).toFixed(2)} KB (native backing stores included)`);
  for (const r of rows.slice(0, Number(process.env['TOP'] ?? 40))) {
    console.log(`${r.perSocket.toFixed(0).padStart(7)} B  ${r.countPerSocket.toFixed(2).padStart(6)}×  ${r.key}`);
  }
} finally {
  bots.send({ type: 'close' });
  await bots.stop(3_000);
  server.send({ type: 'close' });
  await server.stop(8_000);
}
