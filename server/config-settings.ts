// The table of settings (config.ts): for each, its variable, its flag, its help and the schema
// that checks its value, in the order --help lists them.
import { z } from 'zod';
import { MAX_VIDEO_SENDERS_LIMIT } from '../protocol/channel/calls.ts';
import type { Config, Rate } from './config.ts';
import { DEFAULTS } from './config-defaults.ts';
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

const MIN_SECRET_LENGTH = 16;
const MIN_METRICS_TOKEN_LENGTH = 8;
/** TURN credentials live from a minute to a week. */
const TURN_TTL_S = { min: 60, max: 7 * 24 * 3600 };
const CLUSTER_TIMEOUT_MS = { min: 50, max: 60_000 };

// One row per setting: its variable, its flag, and how to check it. The usage text and the
// error messages are generated from this table so they cannot drift apart.
export interface Setting {
  key: keyof Config;
  env: string;
  flag: string;
  type: 'string' | 'boolean';
  help: string;
  schema: z.ZodType;
  /** Never echoed back in an error message (it would land in terminals and CI logs). */
  secret?: boolean;
}

export const SETTINGS: Setting[] = [
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
