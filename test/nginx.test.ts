// deploy/nginx.conf.template in front of two real nodes on a real redis-server: what users
// whose requests it routes meet when a node stalls (SIGSTOP: the kernel still accepts the
// node's connections, so nginx sees no error, only silence). And what it keeps to itself.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startNginx } from './nginx-support.ts';
import { startNodeProcess } from './node-process.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';
import { TEST_SECRET } from './support.ts';

/** Users at this many addresses of 127.0.0.0/8: nginx hashes the page's requests by address. */
const USERS = 16;
/** Longer than a stall that nginx should route around; shorter than its 75 s Socket.IO timeout. */
const STALL_CAP_MS = 40_000;

let redis: RedisProcess;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

/** GET `path` from this source address: the status, or 0 if it failed. */
function statusFrom(url: string, localAddress: string): Promise<number> {
  return new Promise((resolve) => {
    const request = get(url, { localAddress, headers: { connection: 'close' } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
  });
}

test('a stalled node does not keep anyone from loading the page: nginx serves it from the other node', async (t) => {
  const env = { REDIS_URL: redis.url, ROOMLINK_SECRET: TEST_SECRET, CLUSTER_TIMEOUT_MS: '1000' };
  const nodes = await Promise.all([startNodeProcess(env), startNodeProcess(env)]);
  t.after(() => Promise.all(nodes.map((node) => node.kill())));
  const nginx = await startNginx(nodes.map((node) => new URL(node.url).host));
  t.after(() => nginx.stop());
  const addresses = Array.from({ length: USERS }, (_, i) => `127.0.0.${i + 2}`);
  assert.deepEqual(
    await Promise.all(addresses.map((address) => statusFrom(`${nginx.url}/`, address))),
    addresses.map(() => 200),
  );

  const [stalled] = nodes;
  stalled?.pause();
  t.after(() => stalled?.resume());
  // Some of these addresses hash to the stalled node (each does with odds of one in two).
  const loads = Promise.all(addresses.map((address) => statusFrom(`${nginx.url}/`, address)));
  let cap: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    loads,
    new Promise<'still waiting'>((resolve) => {
      cap = setTimeout(resolve, STALL_CAP_MS, 'still waiting');
    }),
  ]);
  clearTimeout(cap);
  stalled?.resume();
  assert.deepEqual(
    outcome,
    addresses.map(() => 200),
    'every page loaded while the node was stalled',
  );
});

test('nginx keeps /metrics to itself however it is written: any case, with or without a trailing slash', async (t) => {
  // A node that answers every path (as Express did /metrics/ and /METRICS): only nginx's
  // refusal stands between it and the world.
  const node = createServer((_req, res) => res.end('from the node'));
  node.listen(0, '127.0.0.1');
  await once(node, 'listening');
  t.after(() => node.close());
  const nginx = await startNginx([`127.0.0.1:${(node.address() as AddressInfo).port}`]);
  t.after(() => nginx.stop());
  const statusOf = (path: string) => statusFrom(`${nginx.url}${path}`, '127.0.0.1');
  for (const path of ['/metrics', '/metrics/', '/METRICS', '/Metrics/', '/metrics?x=1', '//metrics', '/%6Detrics']) {
    assert.equal(await statusOf(path), 404, path);
  }
  for (const path of ['/', '/healthz', '/metrics.js', '/metricsx']) assert.equal(await statusOf(path), 200, path);
});
