// With --tunnel, localtunnel's client brings every visitor in over a local connection, so
// each has this machine's address: /metrics is not "loopback only" then (it wants
// METRICS_TOKEN), and per-address limits do not lump every visitor into one bucket.
// (The tunnel itself is not started here: createApp only reads --tunnel from the config.)

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createLogger } from '../server/logger.ts';
import { closeAll, connectClient, startServer } from './support.ts';

afterEach(closeAll);

test('with --tunnel, /metrics refuses a loopback scraper without METRICS_TOKEN, and serves one with it', async () => {
  const open = await startServer({ tunnel: true });
  const refused = await fetch(`${open.url}/metrics`);
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /with --tunnel, \/metrics answers only with METRICS_TOKEN/);
  const tokened = await startServer({ tunnel: true, metricsToken: 'scrape-secret-123' });
  assert.equal((await fetch(`${tokened.url}/metrics`)).status, 401);
  const scraped = await fetch(`${tokened.url}/metrics`, { headers: { Authorization: 'Bearer scrape-secret-123' } });
  assert.equal(scraped.status, 200);
});

test('with --tunnel, visitors (all from loopback) are not one per-address bucket; the server says so', async () => {
  const lines: string[] = [];
  const logger = createLogger('warn', { write: (line: string) => lines.push(line) });
  // Two connections an address, were it counted: a third visitor would be refused.
  const server = await startServer({ tunnel: true, rateConnectIp: { perSecond: 0.01, burst: 2 } }, { logger });
  for (let i = 0; i < 5; i += 1) await connectClient(server.url);
  assert.ok(
    lines.some((line) => line.includes('per-address rate limits (*_RATE_IP) are off')),
    lines.join(''),
  );
});

test('with --tunnel and TRUST_PROXY set, per-address limits stay (the operator vouches for the forwarded address)', async () => {
  const server = await startServer({
    tunnel: true,
    trustProxy: ['loopback'],
    rateConnectIp: { perSecond: 0.01, burst: 2 },
  });
  await connectClient(server.url);
  await connectClient(server.url);
  await assert.rejects(connectClient(server.url));
});
