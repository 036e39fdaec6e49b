// The table of settings that config.ts reads the environment and the command line by: for
// each, its variable, its flag, its help and the schema that checks its value, in the order
// --help lists them. The rows of STUN and TURN, of Redis and of the rate limits are in
// config-ice.ts, config-redis.ts and config-rates.ts; the others are here.
import { z } from 'zod';
import { MAX_VIDEO_SENDERS_LIMIT } from '../protocol/channel/calls.ts';
import type { Config } from './config.ts';
import { DEFAULTS } from './config-defaults.ts';
import { ICE_SETTINGS } from './config-ice.ts';
import { RATE_SETTINGS } from './config-rates.ts';
import { REDIS_SETTINGS } from './config-redis.ts';
import {
  booleanValue,
  intIn,
  LOG_LEVELS,
  listenHost,
  MAX_PROXY_HOPS,
  MIN_SECRET_LENGTH,
  originList,
  secretText,
  trustProxyValue,
} from './config-values.ts';

const MIN_METRICS_TOKEN_LENGTH = 8;
/** Past this a process manager's own stop timeout (systemd's 90 s, Kubernetes' 30 s) is near. */
const MAX_SHUTDOWN_DRAIN_MS = 60_000;
/** Past this a seat is held longer than anyone waits for a reload (the others' pages say "left" at 10 s). */
const MAX_SEAT_HOLD_MS = 60_000;

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
    key: 'shutdownDrainMs',
    env: 'SHUTDOWN_DRAIN_MS',
    flag: 'shutdown-drain-ms',
    type: 'string',
    help: `on SIGTERM, answer 503 on /healthz this long before closing, for a load balancer's health checks (default ${DEFAULTS.shutdownDrainMs}, 0..${MAX_SHUTDOWN_DRAIN_MS})`,
    schema: intIn(0, MAX_SHUTDOWN_DRAIN_MS),
  },
  {
    key: 'seatHoldMs',
    env: 'SEAT_HOLD_MS',
    flag: 'seat-hold-ms',
    type: 'string',
    help: `a member whose connection closed without a goodbye (a reload, a closed tab) keeps its seat this long for its ticket; 0: none (default ${DEFAULTS.seatHoldMs}, 0..${MAX_SEAT_HOLD_MS})`,
    schema: intIn(0, MAX_SEAT_HOLD_MS),
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
    schema: z.string().min(1, 'must be a file path'),
  },
  ...ICE_SETTINGS,
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
  ...REDIS_SETTINGS,
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
    help: `Express 'trust proxy' for X-Forwarded-For: false or 0 (ignore it), true (trust every hop), a hop count 1..${MAX_PROXY_HOPS}, or addresses/subnets/loopback (default false; e.g. loopback, 1, 10.0.0.0/8)`,
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
  ...RATE_SETTINGS,
];
