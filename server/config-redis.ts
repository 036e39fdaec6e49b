// The Redis settings' rows of the table (config-settings.ts): the one Redis or the Cluster
// that nodes share rooms through, and how long a node waits for it.
import { DEFAULTS } from './config-defaults.ts';
import type { Setting } from './config-settings.ts';
import { hostPortList, intIn, redisUrl } from './config-values.ts';

const CLUSTER_TIMEOUT_MS = { min: 50, max: 60_000 };

export const REDIS_SETTINGS: Setting[] = [
  {
    key: 'redisUrl',
    env: 'REDIS_URL',
    flag: 'redis-url',
    type: 'string',
    help: 'redis://[user:pass@]host:port[/db]: share rooms with other nodes through one Redis',
    schema: redisUrl,
    secret: true,
  },
  {
    key: 'redisClusterNodes',
    env: 'REDIS_CLUSTER_NODES',
    flag: 'redis-cluster-nodes',
    type: 'string',
    help: 'host:port,host:port,…: share rooms with other nodes through a Redis Cluster (its seed nodes; not with REDIS_URL)',
    schema: hostPortList,
  },
  {
    key: 'clusterTimeoutMs',
    env: 'CLUSTER_TIMEOUT_MS',
    flag: 'cluster-timeout-ms',
    type: 'string',
    help: `with Redis: wait at most this for a membership answer, then decide locally (default ${DEFAULTS.clusterTimeoutMs}, ${CLUSTER_TIMEOUT_MS.min}..${CLUSTER_TIMEOUT_MS.max})`,
    schema: intIn(CLUSTER_TIMEOUT_MS.min, CLUSTER_TIMEOUT_MS.max),
  },
];
