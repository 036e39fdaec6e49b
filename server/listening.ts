// Starting to serve: wait for Redis a bounded time, then listen on HOST and PORT. Owns when
// the node began serving (servingSince): the start that returning.ts compares tickets with.
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
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
          // With Redis, the node's id too: the other nodes' logs name a node they took for dead
          // by it ("dead"), and this line is where an operator finds which node that was.
          logger.info({ host: address.address, port: address.port, node: stores.nodeId }, 'listening');
          resolve({ port: address.port, host: address.address });
        });
      });
    },
  };
}
