// The rules about settings together (each alone is checked by its row, config-settings.ts):
// pairs that contradict each other stop the server; a setting that has no effect without
// another is said at start.
import type { Config } from './config.ts';

/** Rules that involve more than one setting. */
export function crossChecks(c: Config): string[] {
  const errors: string[] = [];
  if (c.redisUrl !== undefined && c.redisClusterNodes !== undefined) {
    errors.push(
      'REDIS_URL (--redis-url) and REDIS_CLUSTER_NODES (--redis-cluster-nodes) are mutually exclusive: one Redis or a Cluster',
    );
  }
  const hasStatic = c.turnUsername !== undefined || c.turnCredential !== undefined;
  if (c.turnSecret !== undefined && hasStatic) {
    errors.push('TURN_SECRET (--turn-secret) and TURN_USERNAME/TURN_CREDENTIAL are mutually exclusive: pick one');
  }
  if ((c.turnUsername === undefined) !== (c.turnCredential === undefined)) {
    errors.push('TURN_USERNAME (--turn-username) and TURN_CREDENTIAL (--turn-credential) go together');
  }
  if (c.turnUrls.length > 0 && c.turnSecret === undefined && !hasStatic) {
    errors.push('TURN_URLS (--turn-urls) needs TURN_SECRET or TURN_USERNAME + TURN_CREDENTIAL');
  }
  if (c.turnUrls.length === 0 && (c.turnSecret !== undefined || hasStatic)) {
    errors.push('TURN_SECRET / TURN_USERNAME / TURN_CREDENTIAL are set but TURN_URLS (--turn-urls) is empty');
  }
  return errors;
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
