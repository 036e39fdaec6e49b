// Scale-out, end to end: two roomlink nodes on one real redis-server behind nginx (the
// project's own deploy/nginx.conf.template), which sends a room to one node; browsers on
// both nodes in one room.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderNginxConf } from '../deploy/nginx.ts';
import { findTool } from '../scripts/ensure-system.ts';
import type { BrowserPool } from './support/browser.ts';
import type { RoomServer } from './support/server.ts';
import { expect, test } from './support/services.ts';
import { everyoneHearsEveryone, openUser, selfId, shareLink, type User, waitForMesh } from './support/users.ts';

const execFileAsync = promisify(execFile);
const ip = findTool('ip') ?? 'ip';

const nginxPort = 3000;
const nodePorts = [3001, 3002] as const;
const redisPort = 6379;
/**
 * Each user reaches nginx (or a node) at an address of its own, added to the namespace's
 * loopback (a local destination is also the connection's source): the per-address limits
 * see users, not one address.
 */
const userAddresses = ['10.99.0.11', '10.99.0.12', '10.99.0.13', '10.99.0.14', '10.99.0.15', '10.99.0.16'];
const recoveryMs = 45_000;

/** Which node a peer joined last, from the nodes' own logs (pino lines carry a time). */
function nodeOf(nodes: readonly RoomServer[], peerId: string): number {
  let found = -1;
  let latest = -1;
  nodes.forEach((node, index) => {
    for (const line of node.output().split('\n')) {
      if (!line.includes(`"peerId":"${peerId}"`) || !line.includes('"msg":"peer joined"')) continue;
      const time = Number(/"time":(\d+)/.exec(line)?.[1] ?? -1);
      if (time > latest) {
        latest = time;
        found = index;
      }
    }
  });
  return found;
}

async function healthOf(
  nodeUrl: string,
  netnsRun: (command: string, args: readonly string[]) => Promise<string>,
): Promise<{ status: string; redis: string }> {
  const script = `fetch(${JSON.stringify(`${nodeUrl}/healthz`)}).then(r => r.json()).then(j => console.log(JSON.stringify(j)), e => { console.log(JSON.stringify({ status: "unreachable", redis: String(e) })); })`;
  const out = await netnsRun(process.execPath, ['-e', script]);
  return JSON.parse(out.trim()) as { status: string; redis: string };
}

test('nginx sends a room to one node; a room over two nodes, Redis going away and back and a node dying do not break it', async ({
  netns,
  services,
}) => {
  test.setTimeout(240_000);
  for (const address of userAddresses)
    await execFileAsync(ip, ['-n', netns.name, 'addr', 'add', `${address}/32`, 'dev', 'lo']);

  const redis = await services.process(netns, {
    label: 'redis-server',
    command: findTool('redis-server') ?? 'redis-server',
    args: ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    ready: /Ready to accept connections/,
  });
  const env = {
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    ROOMLINK_SECRET: randomBytes(24).toString('base64url'),
    TRUST_PROXY: 'loopback',
  };
  const nodes = [
    await services.server({ netns, port: nodePorts[0], env }, 'node A'),
    await services.server({ netns, port: nodePorts[1], env }, 'node B'),
  ];

  const nginxDir = mkdtempSync(join(tmpdir(), 'rl-nginx-'));
  chmodSync(nginxDir, 0o755); // nginx's workers run as nobody
  services.defer('nginx dir', async () => rmSync(nginxDir, { recursive: true, force: true }));
  const conf = renderNginxConf({ listen: nginxPort, nodes: [...nodePorts] }).replace(
    'error_log stderr warn;',
    'error_log stderr notice;',
  );
  writeFileSync(join(nginxDir, 'nginx.conf'), conf);
  await services.process(netns, {
    label: 'nginx',
    command: findTool('nginx') ?? 'nginx',
    args: ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf'), '-g', 'daemon off;'],
    ready: /start worker process/,
  });

  const origins = userAddresses.map((address) => `http://${address}:${nginxPort}`);
  const direct = (address: string, node: number) => `http://${address}:${nodePorts[node]}`;
  const browsers: BrowserPool = services.browsers(netns, {
    args: [
      `--unsafely-treat-insecure-origin-as-secure=${[
        ...origins,
        ...userAddresses.flatMap((address) => [direct(address, 0), direct(address, 1)]),
      ].join(',')}`,
    ],
  });
  const open = async (name: string, origin: string, link: string) => {
    const url = new URL(link);
    return openUser(
      await browsers.newContext({ label: name }),
      `${origin}${url.pathname}${url.search}${url.hash}`,
      name,
    );
  };

  // Three users open the room through nginx, each from its own address: the room's routing
  // key decides their node, so all three meet on one.
  const alice = await open('alice', origins[0]!, `${origins[0]}/`);
  const link = await shareLink(alice.page);
  const users: User[] = [alice, await open('bob', origins[1]!, link), await open('carol', origins[2]!, link)];
  const home = nodeOf(nodes, alice.id);
  expect(
    users.map((u) => nodeOf(nodes, u.id)),
    'nginx sends every member of a room to its node',
  ).toEqual([home, home, home]);
  // Two more open it on the other node directly, as members do while a room moves between
  // nodes (one added or back): the room spans both, through Redis.
  const other = 1 - home;
  users.push(await open('dave', direct(userAddresses[3]!, other), link));
  users.push(await open('erin', direct(userAddresses[4]!, other), link));
  const placement = users.map((u) => nodeOf(nodes, u.id));
  expect(placement, 'the room spans both nodes').toEqual([home, home, home, other, other]);
  await waitForMesh(users);
  await everyoneHearsEveryone(users, 'across nodes', recoveryMs);

  // Redis goes away: no node crashes, each says so, the mesh keeps chatting.
  await redis.kill();
  for (const port of nodePorts) {
    await expect
      .poll(() => healthOf(`http://127.0.0.1:${port}`, netns.run), { timeout: 20_000 })
      .toMatchObject({ redis: 'down' });
  }
  await everyoneHearsEveryone(users, 'while Redis is down', recoveryMs);

  // Redis returns: the nodes notice, and cross-node signaling works again for a newcomer.
  await services.process(netns, {
    label: 'redis-server (again)',
    command: findTool('redis-server') ?? 'redis-server',
    args: ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    ready: /Ready to accept connections/,
  });
  for (const port of nodePorts) {
    await expect
      .poll(() => healthOf(`http://127.0.0.1:${port}`, netns.run), { timeout: 30_000 })
      .toMatchObject({ status: 'ok', redis: 'up' });
  }
  const newcomer = await open('newcomer', origins[5]!, link);
  users.push(newcomer);
  placement.push(nodeOf(nodes, newcomer.id));
  expect(placement.at(-1), "a newcomer through nginx goes to the room's node").toBe(home);
  await waitForMesh(users, recoveryMs);
  await everyoneHearsEveryone(users, 'after Redis came back', recoveryMs);

  // The room's node dies: its users come back through nginx on the other one, with their
  // ids (nginx gives the room to the node that is left).
  const doomed = home;
  const survivors = users.filter((_, i) => placement[i] !== doomed);
  const movers = users.filter((_, i) => placement[i] === doomed);
  await nodes[doomed]!.kill();
  for (const user of movers) {
    await expect
      .poll(() => nodeOf(nodes, user.id), { timeout: recoveryMs, message: `${user.name} rejoins on the other node` })
      .toBe(1 - doomed);
    await expect.poll(() => user.page.getByTestId('signaling-status').getAttribute('data-state')).toBe('joined');
    expect(await selfId(user.page)).toBe(user.id);
  }
  expect(survivors.length + movers.length).toBe(users.length);
  await waitForMesh(users, recoveryMs);
  await everyoneHearsEveryone(users, 'after a node died', recoveryMs);

  // nginx limits new Socket.IO connections per address for all nodes at once (the nodes'
  // own limits are per node, and a client picks its node by its key): 150 handshakes at
  // once from one address, each to another room's key, past its burst of 100. Two in three
  // at other targets under /socket.io/, which Engine.IO serves as well: /socket.io/x/ and
  // /socket.io/../ (sent as written: fetch would resolve the dots).
  const script = `const targets = ["/socket.io/", "/socket.io/x/", "/socket.io/../"];
    const get = (target) => new Promise((resolve) => {
      const socket = require("node:net").connect(${nginxPort}, "127.0.0.1", () =>
        socket.write("GET " + target + " HTTP/1.1\\r\\nHost: roomlink\\r\\nConnection: close\\r\\n\\r\\n"));
      let head = "";
      socket.on("data", (chunk) => { head += chunk; const status = /^HTTP\\/1\\.1 (\\d{3})/.exec(head); if (status) { resolve(Number(status[1])); socket.destroy(); } });
      socket.on("error", () => resolve(0));
      socket.on("close", () => resolve(0));
    });
    Promise.all(Array.from({ length: 150 }, (_, i) => get(targets[i % 3] + "?EIO=4&transport=polling&route=" + i.toString(16).padStart(4, "0"))))
      .then((statuses) => console.log(JSON.stringify(statuses)));`;
  const statuses = JSON.parse(await netns.run(process.execPath, ['-e', script])) as number[];
  const refused = statuses.filter((status) => status === 429).length;
  expect(refused, `statuses: ${statuses.join(' ')}`).toBeGreaterThan(0);
  expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(100);
  // The users, each from an address of its own, are untouched.
  await everyoneHearsEveryone(users, 'after a handshake flood from another address', recoveryMs);
});
