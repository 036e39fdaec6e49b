// Starting to serve: wait for Redis a bounded time, then listen on HOST and PORT. Owns when
// the node began serving (servingSince): the start that returning.ts compares tickets with.
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { type Logger, noticesOf } from './logger.ts';
import type { Stores } from './stores.ts';

/** listen() waits this long for Redis before serving anyway (degraded, reconnecting). */
const REDIS_STARTUP_WAIT_MS = 3_000;

export interface ListeningParts {
  httpServer: HttpServer;
  config: Pick<Config, 'port' | 'host'>;
  stores: Pick<Stores, 'ready' | 'nodeId'>;
  logger: Logger;
  /** How long listen() waits for Redis before serving without it (default REDIS_STARTUP_WAIT_MS). */
  redisStartupWaitMs: number | undefined;
}

export interface Listening {
  listen(): Promise<{ port: number; host: string }>;
  /** When listen() began serving; null until then. */
  servingSince(): number | null;
}

export function createListening(parts: ListeningParts): Listening {
  const { httpServer, config, stores, logger } = parts;
  let servingSince: number | null = null;
  return {
    servingSince: () => servingSince,
    async listen() {
      if (!(await stores.ready(parts.redisStartupWaitMs ?? REDIS_STARTUP_WAIT_MS))) {
        logger.warn('listening without Redis for now: this node serves its own rooms until it connects');
      }
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          servingSince = Date.now();
          const address = httpServer.address() as AddressInfo;
          const url = `http://${shownHost(address.address)}:${address.port}`;
          // With Redis, the node's id too: the other nodes' logs name a node they took for dead
          // by it ("dead"), and this line is where an operator finds which node that was. Its
          // message is what a person reads, and what scripts that start a node wait for.
          noticesOf(logger).info(
            { host: address.address, port: address.port, url, node: stores.nodeId },
            `roomlink listening on ${url}`,
          );
          resolve({ port: address.port, host: address.address });
        });
      });
    },
  };
}

/** A wildcard address is not something to open in a browser; localhost reaches it. */
function shownHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
