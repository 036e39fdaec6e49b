// The rules about settings together (each alone is checked by its row, config-settings.ts):
// pairs that contradict each other stop the server; a setting that has no effect without
// another is said at start.
import type { Config } from './config.ts';

/** A rule about several settings: broken when `broken` holds of the config. */
interface CrossRule {
  /** The settings it reads: it is not checked when one of them failed its own check. */
  keys: readonly (keyof Config)[];
  broken(c: Config): boolean;
  message: string;
}

const hasStatic = (c: Config) => c.turnUsername !== undefined || c.turnCredential !== undefined;

const CROSS_RULES: readonly CrossRule[] = [
  {
    keys: ['redisUrl', 'redisClusterNodes'],
    broken: (c) => c.redisUrl !== undefined && c.redisClusterNodes !== undefined,
    message:
      'REDIS_URL (--redis-url) and REDIS_CLUSTER_NODES (--redis-cluster-nodes) are mutually exclusive: one Redis or a Cluster',
  },
  {
    keys: ['turnSecret', 'turnUsername', 'turnCredential'],
    broken: (c) => c.turnSecret !== undefined && hasStatic(c),
    message: 'TURN_SECRET (--turn-secret) and TURN_USERNAME/TURN_CREDENTIAL are mutually exclusive: pick one',
  },
  {
    keys: ['turnUsername', 'turnCredential'],
    broken: (c) => (c.turnUsername === undefined) !== (c.turnCredential === undefined),
    message: 'TURN_USERNAME (--turn-username) and TURN_CREDENTIAL (--turn-credential) go together',
  },
  {
    keys: ['turnUrls', 'turnSecret', 'turnUsername', 'turnCredential'],
    broken: (c) => c.turnUrls.length > 0 && c.turnSecret === undefined && !hasStatic(c),
    message: 'TURN_URLS (--turn-urls) needs TURN_SECRET or TURN_USERNAME + TURN_CREDENTIAL',
  },
  {
    keys: ['turnUrls', 'turnSecret', 'turnUsername', 'turnCredential'],
    broken: (c) => c.turnUrls.length === 0 && (c.turnSecret !== undefined || hasStatic(c)),
    message: 'TURN_SECRET / TURN_USERNAME / TURN_CREDENTIAL are set but TURN_URLS (--turn-urls) is empty',
  },
];

/**
 * Rules that involve more than one setting, except those reading a setting in `failed`
 * (its value refused by its own row): that setting is left at its default, so a rule about
 * it would judge a value nobody gave — a TURN_URLS with a typo was also said to be empty.
 */
export function crossChecks(c: Config, failed: ReadonlySet<keyof Config>): string[] {
  return CROSS_RULES.filter((rule) => !rule.keys.some((key) => failed.has(key)) && rule.broken(c)).map(
    (rule) => rule.message,
  );
}

/**
 * Settings given (`given`: by variable or flag) that do nothing without another: the server
 * starts, but an operator who set TUNNEL_HOST expecting a tunnel is told there is none.
 */
export function withoutEffect(c: Config, given: ReadonlySet<keyof Config>): string[] {
  const warnings: string[] = [];
  for (const [key, name] of [
    ['tunnelHost', 'TUNNEL_HOST (--tunnel-host)'],
    ['tunnelSubdomain', 'TUNNEL_SUBDOMAIN (--tunnel-subdomain)'],
  ] as const) {
    if (given.has(key) && !c.tunnel) warnings.push(`${name} is set but TUNNEL (--tunnel) is off: no tunnel is opened`);
  }
  if (given.has('turnTtl') && c.turnSecret === undefined) {
    warnings.push(
      'TURN_TTL (--turn-ttl) does nothing without TURN_SECRET: it is the lifetime of the credentials made with it',
    );
  }
  if (given.has('clusterTimeoutMs') && c.redisUrl === undefined && c.redisClusterNodes === undefined) {
    warnings.push('CLUSTER_TIMEOUT_MS (--cluster-timeout-ms) does nothing without REDIS_URL or REDIS_CLUSTER_NODES');
  }
  return warnings;
}
