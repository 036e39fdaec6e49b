// What operators and their tools poll: /healthz (for a load balancer) and /metrics (for a
// Prometheus scraper, behind a bearer token or loopback only). Registered before the files
// (web.ts), so that they stay uncompressed. Owns no state: it reads the app's.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type Express, Router } from 'express';
import type { Config } from './config.ts';
import type { Metrics } from './metrics.ts';
import type { RoomServer } from './rooms.ts';
import type { RedisHealth } from './stores.ts';

export interface StatusSources {
  config: Pick<Config, 'metricsToken' | 'tunnel'>;
  /** When the app was made (Date.now()): /healthz's uptime counts from it. */
  startedAt: number;
  io: RoomServer;
  metrics: Metrics;
  redisState: () => RedisHealth;
  isShuttingDown: () => boolean;
  /** The client's address as the per-address limits know it (addresses.ts). */
  addressOf: (req: IncomingMessage) => string;
}

export function serveStatus(web: Express, sources: StatusSources): void {
  web.get('/healthz', (_req, res) => {
    const { io, redisState, isShuttingDown, startedAt } = sources;
    const redisNow = redisState();
    const shuttingDown = isShuttingDown();
    // 'degraded' is still 200: the node serves its own rooms, a load balancer should keep it.
    const status = shuttingDown ? 'shutting_down' : redisNow === 'down' ? 'degraded' : 'ok';
    res
      .status(shuttingDown ? 503 : 200)
      .set('Cache-Control', 'no-store')
      .json({
        status,
        redis: redisNow,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        // Socket.IO connections, as roomlink_connected_sockets counts them: engine.io's own
        // count also holds transport sessions that never connected (a handshake left open).
        sockets: io.of('/').sockets.size,
        shuttingDown,
      });
  });
  // /metrics answers its exact path only. Express routes ignore case and a trailing slash by
  // default, and a proxy that hides it by its exact path (deploy/nginx.conf) passed
  // /metrics/ and /METRICS on, where the node saw the proxy's loopback address and answered.
  const exact = Router({ caseSensitive: true, strict: true });
  web.use(exact);
  exact.get('/metrics', async (req, res) => {
    const { config, metrics, addressOf } = sources;
    if (config.metricsToken !== undefined && !bearerMatches(req.headers.authorization, config.metricsToken)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Unauthorized\n');
      return;
    }
    // With --tunnel, the tunnel's visitors are loopback connections too: only a token tells
    // a scraper on this machine from anyone with the link.
    if (config.metricsToken === undefined && config.tunnel) {
      res
        .status(403)
        .type('text/plain')
        .send(
          'Forbidden: with --tunnel, /metrics answers only with METRICS_TOKEN (tunnel visitors arrive from loopback)\n',
        );
      return;
    }
    // Without a token, only a scraper on this machine (the client's address as trust proxy
    // sees it: behind a proxy, the forwarded one).
    if (config.metricsToken === undefined && !isLoopback(addressOf(req))) {
      res
        .status(403)
        .type('text/plain')
        .send('Forbidden: /metrics answers loopback only unless METRICS_TOKEN is set\n');
      return;
    }
    res
      .set('Cache-Control', 'no-store')
      .type(metrics.registry.contentType)
      .send(await metrics.registry.metrics());
  });
}

function isLoopback(address: string): boolean {
  return /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.test(address);
}

/** RFC 9110: the scheme's case is not significant ("bearer" is "Bearer"). */
const BEARER = /^bearer +/i;

function bearerMatches(header: string | undefined, token: string): boolean {
  if (header === undefined || !BEARER.test(header)) return false;
  const given = createHash('sha256').update(header.replace(BEARER, '').trim()).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected);
}
