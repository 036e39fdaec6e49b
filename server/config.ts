// Configuration, read once at start from the environment and the command line (a flag wins
// over its variable) and checked with zod, so that a typo stops the server with a message
// naming the setting instead of surfacing later as a strange runtime failure.
// parseConfig is pure (no process.env, no randomness) so tests can call it directly.
// Here: the types of the settings, and parseConfig, which gives each setting its value. Its parts:
// - config-cli.ts: the command line (each flag given once) and the --help text
// - config-settings.ts: the table, one row per setting (variable, flag, help, schema)
// - config-ice.ts, config-redis.ts, config-rates.ts: the table's STUN/TURN, Redis and rate rows
// - config-values.ts: the kinds of values (a host, an ICE URL, a rate…) as zod schemas
// - config-defaults.ts: what a setting is when nothing gives it
// - config-checks.ts: the rules about settings together: conflicts, and settings with no effect
import { crossChecks, withoutEffect } from './config-checks.ts';
import { readFlags, usage } from './config-cli.ts';
import { DEFAULTS } from './config-defaults.ts';
import { SETTINGS } from './config-settings.ts';
import type { LOG_LEVELS } from './config-values.ts';

export { usage } from './config-cli.ts';
export { DEFAULT_STUN_URL } from './config-defaults.ts';
export { LOG_LEVELS } from './config-values.ts';

export type LogLevel = (typeof LOG_LEVELS)[number];

/** A token bucket: refills `perSecond` tokens a second up to `burst`. null = no limit. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/** Express's `trust proxy`: false (default), true, a hop count, or addresses/subnets/names. */
export type TrustProxy = boolean | number | string[];

export interface Config {
  port: number;
  host: string;
  maxRoomSize: number;
  /** Cameras (or screens) on in a room's call above which joiners get audio only. */
  maxVideoSenders: number;
  logLevel: LogLevel;
  /**
   * On SIGTERM, how long the node answers 503 on /healthz (and refuses new connections and
   * joins, its members carrying on) before it tells its clients to go and closes (shutdown.ts).
   */
  shutdownDrainMs: number;
  /**
   * How long a member whose connection closed without a goodbye (a reload, a closed tab) keeps
   * its seat for its ticket (departure.ts); 0: none.
   */
  seatHoldMs: number;
  /** HMAC key for resume tokens; undefined = a random key per process (see app.ts). */
  secret?: string;
  /** Debug: append every raw Socket.IO packet received to this file (JSON lines). */
  wireLog?: string;
  stunUrls: string[];
  turnUrls: string[];
  /** coturn's static-auth-secret (TURN REST credentials). Never sent to clients. */
  turnSecret?: string;
  /** Lifetime of TURN REST credentials, in seconds. */
  turnTtl: number;
  turnUsername?: string;
  turnCredential?: string;
  tunnel: boolean;
  tunnelHost?: string;
  tunnelSubdomain?: string;
  /** redis:// URL of one Redis shared by several nodes. Unset (and no cluster): in-memory. */
  redisUrl?: string;
  /** host:port seed nodes of a Redis Cluster shared by several nodes (not with redisUrl). */
  redisClusterNodes?: string[];
  /** Bound on a membership command to Redis; past it a join is decided from this node's members. */
  clusterTimeoutMs: number;
  /** Origins (scheme://host[:port]) allowed besides the same origin; ['*'] allows any. */
  allowedOrigins: string[];
  trustProxy: TrustProxy;
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
  rateJoinSocket: Rate | null;
  rateJoinIp: Rate | null;
  rateSignalSocket: Rate | null;
  rateSignalIp: Rate | null;
  rateIceSocket: Rate | null;
  rateIceIp: Rate | null;
  rateConnectIp: Rate | null;
}

export type ConfigResult =
  /** warnings: settings given that have no effect here (the server starts, and says so). */
  | { kind: 'config'; config: Config; warnings: string[] }
  | { kind: 'help'; text: string }
  | { kind: 'invalid'; errors: string[] };

export type Env = Readonly<Record<string, string | undefined>>;

export function parseConfig(env: Env, argv: readonly string[]): ConfigResult {
  const read = readFlags(argv);
  if (read.kind === 'invalid') return read;
  const { flags } = read;
  if (flags['help'] === true) return { kind: 'help', text: usage() };

  const config: Config = { ...DEFAULTS, stunUrls: [...DEFAULTS.stunUrls], turnUrls: [], allowedOrigins: [] };
  const errors: string[] = [];
  const given = new Set<keyof Config>();
  const failed = new Set<keyof Config>();
  const values = config as unknown as Record<string, unknown>;
  for (const s of SETTINGS) {
    const fromFlag = flags[s.flag];
    const envValue = env[s.env];
    // An empty variable counts as unset (shells and compose files produce them easily).
    const raw = fromFlag !== undefined ? fromFlag : envValue === '' ? undefined : envValue;
    if (raw === undefined) continue;
    const parsed = s.schema.safeParse(raw);
    const source = fromFlag !== undefined ? `--${s.flag}` : s.env;
    if (parsed.success) {
      values[s.key] = parsed.data;
      given.add(s.key);
      continue;
    }
    failed.add(s.key);
    const got = s.secret ? '' : ` (got ${JSON.stringify(raw)})`;
    errors.push(`${source}: ${parsed.error.issues[0]?.message ?? 'invalid'}${got}`);
  }
  errors.push(...crossChecks(config, failed));
  return errors.length > 0
    ? { kind: 'invalid', errors }
    : { kind: 'config', config, warnings: withoutEffect(config, given) };
}
