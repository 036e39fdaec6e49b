// Configuration, read once at start from the environment and the command line (a flag wins
// over its variable) and checked with zod, so that a typo stops the server with a message
// naming the setting instead of surfacing later as a strange runtime failure.
// parseConfig is pure (no process.env, no randomness) so tests can call it directly.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MAX_VIDEO_SENDERS_LIMIT } from '../protocol/channel/calls.ts';
import { crossChecks, withoutEffect } from './config-checks.ts';
import { DEFAULT_STUN_URL, DEFAULTS } from './config-defaults.ts';
import {
  booleanValue,
  hostPortList,
  intIn,
  LOG_LEVELS,
  listenHost,
  MAX_PROXY_HOPS,
  originList,
  rateValue,
  redisUrl,
  STUN_URL,
  secretText,
  TURN_URL,
  trustProxyValue,
  urlList,
} from './config-values.ts';

export { DEFAULT_STUN_URL, LOG_LEVELS };

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

const MIN_SECRET_LENGTH = 16;
const MIN_METRICS_TOKEN_LENGTH = 8;
/** TURN credentials live from a minute to a week. */
const TURN_TTL_S = { min: 60, max: 7 * 24 * 3600 };
const CLUSTER_TIMEOUT_MS = { min: 50, max: 60_000 };

// One row per setting: its variable, its flag, and how to check it. The usage text and the
// error messages are generated from this table so they cannot drift apart.
interface Setting {
  key: keyof Config;
  env: string;
  flag: string;
  type: 'string' | 'boolean';
  help: string;
  schema: z.ZodType;
  /** Never echoed back in an error message (it would land in terminals and CI logs). */
  secret?: boolean;
}

const SETTINGS: Setting[] = [
  {
    key: 'port',
    env: 'PORT',
    flag: 'port',
    type: 'string',
    help: `port to listen on, 0..65535 (default ${DEFAULTS.port}; 0 = any free port)`,
    schema: intIn(0, 65535),
  },
  {
    key: 'host',
    env: 'HOST',
    flag: 'host',
    type: 'string',
    help: `address to listen on (default ${DEFAULTS.host})`,
    schema: listenHost,
  },
  {
    key: 'maxRoomSize',
    env: 'MAX_ROOM_SIZE',
    flag: 'max-room-size',
    type: 'string',
    help: `most members per room (default ${DEFAULTS.maxRoomSize}, 2..256)`,
    schema: intIn(2, 256),
  },
  {
    key: 'maxVideoSenders',
    env: 'MAX_VIDEO_SENDERS',
    flag: 'max-video-senders',
    type: 'string',
    help: `cameras on in a call above which joiners get audio only; each uploads N−1 streams (default ${DEFAULTS.maxVideoSenders}, 1..${MAX_VIDEO_SENDERS_LIMIT})`,
    schema: intIn(1, MAX_VIDEO_SENDERS_LIMIT),
  },
  {
    key: 'logLevel',
    env: 'LOG_LEVEL',
    flag: 'log-level',
    type: 'string',
    help: `${LOG_LEVELS.join('|')} (default ${DEFAULTS.logLevel})`,
    schema: z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`),
  },
  {
    key: 'secret',
    env: 'ROOMLINK_SECRET',
    flag: 'secret',
    type: 'string',
    help: `key for resume tokens, at least ${MIN_SECRET_LENGTH} characters (default: random at each start); set it so resume survives restarts and works across nodes`,
    schema: secretText(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`),
    secret: true,
  },
  {
    key: 'wireLog',
    env: 'WIRE_LOG',
    flag: 'wire-log',
    type: 'string',
    help: 'debug: file to append every received Socket.IO packet to',
    schema: z.string().min(1),
  },
  {
    key: 'stunUrls',
    env: 'STUN_URLS',
    flag: 'stun-urls',
    type: 'string',
    help: `comma-separated stun: URLs handed to browsers (default ${DEFAULTS.stunUrls.join(',')}; none = no STUN)`,
    schema: z.union([
      z
        .string()
        .regex(/^\s*none\s*$/i)
        .transform((): string[] => []),
      urlList(STUN_URL, 'stun:', 'must list at least one stun: URL, or be none for no STUN'),
    ]),
  },
  {
    key: 'turnUrls',
    env: 'TURN_URLS',
    flag: 'turn-urls',
    type: 'string',
    help: 'comma-separated turn:/turns: URLs handed to browsers (with TURN_SECRET, or TURN_USERNAME + TURN_CREDENTIAL)',
    schema: urlList(TURN_URL, 'turn:', 'must list at least one turn: URL'),
  },
  {
    key: 'turnSecret',
    env: 'TURN_SECRET',
    flag: 'turn-secret',
    type: 'string',
    help: "coturn's static-auth-secret (short-lived credentials)",
    schema: secretText(1),
    secret: true,
  },
  {
    key: 'turnTtl',
    env: 'TURN_TTL',
    flag: 'turn-ttl',
    type: 'string',
    help: `lifetime of TURN credentials in seconds (default ${DEFAULTS.turnTtl}, ${TURN_TTL_S.min}..${TURN_TTL_S.max})`,
    schema: intIn(TURN_TTL_S.min, TURN_TTL_S.max),
  },
  {
    key: 'turnUsername',
    env: 'TURN_USERNAME',
    flag: 'turn-username',
    type: 'string',
    help: 'static TURN username (instead of TURN_SECRET)',
    schema: secretText(1),
  },
  {
    key: 'turnCredential',
    env: 'TURN_CREDENTIAL',
    flag: 'turn-credential',
    type: 'string',
    help: 'static TURN password (with TURN_USERNAME)',
    schema: secretText(1),
    secret: true,
  },
  {
    key: 'tunnel',
    env: 'TUNNEL',
    flag: 'tunnel',
    type: 'boolean',
    help: 'open a public localtunnel link (as a variable: 1/true/yes or 0/false/no)',
    schema: booleanValue,
  },
  {
    key: 'tunnelHost',
    env: 'TUNNEL_HOST',
    flag: 'tunnel-host',
    type: 'string',
    help: 'localtunnel server (default: the public one)',
    schema: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  },
  {
    key: 'tunnelSubdomain',
    env: 'TUNNEL_SUBDOMAIN',
    flag: 'tunnel-subdomain',
    type: 'string',
    help: 'subdomain to ask the tunnel for: 4–63 lowercase letters, digits or dashes',
    schema: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{2,61}[a-z0-9])$/, 'must be 4–63 lowercase letters, digits or dashes'),
  },
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
  {
    key: 'allowedOrigins',
    env: 'ALLOWED_ORIGINS',
    flag: 'allowed-origins',
    type: 'string',
    help: 'origins allowed to open a socket besides the same origin (comma-separated, or *)',
    schema: originList,
  },
  {
    key: 'trustProxy',
    env: 'TRUST_PROXY',
    flag: 'trust-proxy',
    type: 'string',
    help: `Express 'trust proxy' for X-Forwarded-For: true, a hop count 1..${MAX_PROXY_HOPS}, or addresses/subnets/loopback (default false; e.g. loopback, 1, 10.0.0.0/8)`,
    schema: trustProxyValue,
  },
  {
    key: 'metricsToken',
    env: 'METRICS_TOKEN',
    flag: 'metrics-token',
    type: 'string',
    help: `/metrics requires "Authorization: Bearer <token>", at least ${MIN_METRICS_TOKEN_LENGTH} characters of printable ASCII (default: loopback only, no token)`,
    schema: z
      .string()
      .min(MIN_METRICS_TOKEN_LENGTH, `must be at least ${MIN_METRICS_TOKEN_LENGTH} characters`)
      // A header value arrives without its outer whitespace, so such a token never matches.
      .refine((token) => token.trim() === token, 'must not start or end with whitespace')
      // Node reads a header as Latin-1, and scrapers and curl send UTF-8: a token with other
      // characters than printable ASCII would never match what they send.
      .regex(/^[\x20-\x7e]*$/, 'must be printable ASCII (letters, digits, punctuation, spaces)'),
    secret: true,
  },
  rateSetting('rateJoinSocket', 'JOIN_RATE_SOCKET', 'room:join per socket'),
  rateSetting('rateJoinIp', 'JOIN_RATE_IP', 'room:join per client address'),
  rateSetting('rateSignalSocket', 'SIGNAL_RATE_SOCKET', 'signal per socket'),
  rateSetting('rateSignalIp', 'SIGNAL_RATE_IP', 'signal per client address'),
  rateSetting('rateIceSocket', 'ICE_REFRESH_RATE_SOCKET', 'ice:refresh per socket'),
  rateSetting('rateIceIp', 'ICE_REFRESH_RATE_IP', 'ice:refresh per client address'),
  rateSetting('rateConnectIp', 'CONNECT_RATE_IP', 'new connections per client address'),
];

type RateKey = { [K in keyof Config]-?: Config[K] extends Rate | null ? K : never }[keyof Config];

function rateSetting(key: RateKey, env: string, what: string): Setting {
  const rate = DEFAULTS[key];
  return {
    key,
    env,
    flag: env.toLowerCase().replaceAll('_', '-'),
    type: 'string',
    help: `${what}: PER_SECOND/BURST or off (default ${rate === null ? 'off' : `${rate.perSecond}/${rate.burst}`})`,
    schema: rateValue,
  };
}

export function usage(): string {
  const lines = SETTINGS.map((s) => {
    const flag = s.type === 'boolean' ? `--${s.flag}` : `--${s.flag} <value>`;
    return `  ${flag.padEnd(34)} ${s.env.padEnd(23)} ${s.help}`;
  });
  return [
    'Usage: npm start -- [options]   (every option can also be set by its environment variable)',
    '',
    `  ${'flag'.padEnd(34)} ${'variable'.padEnd(23)} meaning`,
    ...lines,
    `  ${'--help'.padEnd(34)} ${''.padEnd(23)} print this text`,
    '',
    'A flag wins over its variable; an empty variable counts as unset; a rate of 0 means off.',
  ].join('\n');
}

export function parseConfig(env: Env, argv: readonly string[]): ConfigResult {
  let flags: Record<string, string | boolean | undefined>;
  try {
    const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
    for (const s of SETTINGS) options[s.flag] = { type: s.type };
    const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false, tokens: true });
    // parseArgs keeps the last of a flag given twice; which one was meant is anyone's guess
    // (a script's default and the person's own, one overriding the other unseen).
    const given = new Map<string, number>();
    for (const token of parsed.tokens) {
      if (token.kind === 'option') given.set(token.name, (given.get(token.name) ?? 0) + 1);
    }
    const repeated = [...given].filter(([, times]) => times > 1).map(([name]) => name);
    if (repeated.length > 0) {
      return {
        kind: 'invalid',
        errors: repeated.map((name) => `--${name} is given more than once: give it once (see --help)`),
      };
    }
    flags = parsed.values;
  } catch (error) {
    // parseArgs names the offending flag ("Unknown option '--prot'"); add where to look.
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'invalid', errors: [`${message} (see --help)`] };
  }
  if (flags['help'] === true) return { kind: 'help', text: usage() };

  const config: Config = { ...DEFAULTS, stunUrls: [...DEFAULTS.stunUrls], turnUrls: [], allowedOrigins: [] };
  const errors: string[] = [];
  const given = new Set<keyof Config>();
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
    const got = s.secret ? '' : ` (got ${JSON.stringify(raw)})`;
    errors.push(`${source}: ${parsed.error.issues[0]?.message ?? 'invalid'}${got}`);
  }
  errors.push(...crossChecks(config));
  return errors.length > 0
    ? { kind: 'invalid', errors }
    : { kind: 'config', config, warnings: withoutEffect(config, given) };
}
