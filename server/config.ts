// Configuration, read once at start from the environment and the command line (a flag wins
// over its variable) and checked with zod, so that a typo stops the server with a message
// naming the setting instead of surfacing later as a strange runtime failure.
// parseConfig is pure (no process.env, no randomness) so tests can call it directly.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_MAX_ROOM_SIZE } from '../protocol/limits.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  maxRoomSize: number;
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
}

export type ConfigResult =
  | { kind: 'config'; config: Config }
  | { kind: 'help'; text: string }
  | { kind: 'invalid'; errors: string[] };

export type Env = Readonly<Record<string, string | undefined>>;

const MIN_SECRET_LENGTH = 16;

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

const HOST_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[?[0-9A-Fa-f:.]+\]?)$/;
// RFC 7064/7065: stun:host[:port], turn:host[:port][?transport=udp|tcp]; host may be [v6].
const ICE_HOST = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?`;
const STUN_URL = new RegExp(String.raw`^stuns?:${ICE_HOST}$`);
const TURN_URL = new RegExp(String.raw`^turns?:${ICE_HOST}(?:\?transport=(?:udp|tcp))?$`);

const intIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const urlList = (pattern: RegExp, schemes: string) =>
  z
    .string()
    .transform((s) => s.split(',').map((u) => u.trim()).filter((u) => u !== ''))
    .pipe(
      z.array(
        z.string().regex(pattern, `each URL must look like ${schemes}host[:port] (comma-separated)`),
      ),
    );

const booleanValue = z
  .union([z.boolean(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'boolean') return v;
    const s = v.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
    ctx.addIssue({ code: 'custom', message: 'must be 1/true/yes or 0/false/no' });
    return z.NEVER;
  });

const SETTINGS: Setting[] = [
  {
    key: 'port',
    env: 'PORT',
    flag: 'port',
    type: 'string',
    help: 'port to listen on (default 3000; 0 = any free port)',
    schema: intIn(0, 65535),
  },
  {
    key: 'host',
    env: 'HOST',
    flag: 'host',
    type: 'string',
    help: 'address to listen on (default 0.0.0.0)',
    schema: z.string().regex(HOST_PATTERN, 'must be a host name or an IP address'),
  },
  {
    key: 'maxRoomSize',
    env: 'MAX_ROOM_SIZE',
    flag: 'max-room-size',
    type: 'string',
    help: `most members per room (default ${DEFAULT_MAX_ROOM_SIZE}, 2..256)`,
    schema: intIn(2, 256),
  },
  {
    key: 'logLevel',
    env: 'LOG_LEVEL',
    flag: 'log-level',
    type: 'string',
    help: 'fatal|error|warn|info|debug|trace|silent (default info)',
    schema: z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`),
  },
  {
    key: 'secret',
    env: 'ROOMLINK_SECRET',
    flag: 'secret',
    type: 'string',
    help: 'key for resume tokens; set it so resume survives restarts and works across nodes',
    schema: z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`),
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
    help: 'comma-separated stun: URLs handed to browsers',
    schema: urlList(STUN_URL, 'stun:'),
  },
  {
    key: 'turnUrls',
    env: 'TURN_URLS',
    flag: 'turn-urls',
    type: 'string',
    help: 'comma-separated turn:/turns: URLs handed to browsers',
    schema: urlList(TURN_URL, 'turn:'),
  },
  {
    key: 'turnSecret',
    env: 'TURN_SECRET',
    flag: 'turn-secret',
    type: 'string',
    help: "coturn's static-auth-secret (short-lived credentials)",
    schema: z.string().min(1),
    secret: true,
  },
  {
    key: 'turnTtl',
    env: 'TURN_TTL',
    flag: 'turn-ttl',
    type: 'string',
    help: 'lifetime of TURN credentials in seconds (default 3600)',
    schema: intIn(60, 7 * 24 * 3600),
  },
  {
    key: 'turnUsername',
    env: 'TURN_USERNAME',
    flag: 'turn-username',
    type: 'string',
    help: 'static TURN username (instead of TURN_SECRET)',
    schema: z.string().min(1),
  },
  {
    key: 'turnCredential',
    env: 'TURN_CREDENTIAL',
    flag: 'turn-credential',
    type: 'string',
    help: 'static TURN password (with TURN_USERNAME)',
    schema: z.string().min(1),
    secret: true,
  },
  {
    key: 'tunnel',
    env: 'TUNNEL',
    flag: 'tunnel',
    type: 'boolean',
    help: 'open a public localtunnel link',
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
    help: 'subdomain to ask the tunnel for',
    schema: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{2,61}[a-z0-9])$/, 'must be 4–63 lowercase letters, digits or dashes'),
  },
];

const DEFAULTS: Config = {
  port: 3000,
  host: '0.0.0.0',
  maxRoomSize: DEFAULT_MAX_ROOM_SIZE,
  logLevel: 'info',
  stunUrls: [],
  turnUrls: [],
  turnTtl: 3600,
  tunnel: false,
};

export function usage(): string {
  const lines = SETTINGS.map((s) => {
    const flag = s.type === 'boolean' ? `--${s.flag}` : `--${s.flag} <value>`;
    return `  ${flag.padEnd(28)} ${s.env.padEnd(17)} ${s.help}`;
  });
  return [
    'Usage: npm start -- [options]   (every option can also be set by its environment variable)',
    '',
    `  ${'flag'.padEnd(28)} ${'variable'.padEnd(17)} meaning`,
    ...lines,
    `  ${'--help'.padEnd(28)} ${''.padEnd(17)} print this text`,
  ].join('\n');
}

export function parseConfig(env: Env, argv: readonly string[]): ConfigResult {
  let flags: Record<string, string | boolean | undefined>;
  try {
    const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
    for (const s of SETTINGS) options[s.flag] = { type: s.type };
    flags = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // parseArgs names the offending flag ("Unknown option '--prot'"); add where to look.
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'invalid', errors: [`${message} (see --help)`] };
  }
  if (flags['help'] === true) return { kind: 'help', text: usage() };

  const config: Config = { ...DEFAULTS, stunUrls: [], turnUrls: [] };
  const errors: string[] = [];
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
      continue;
    }
    const got = s.secret ? '' : ` (got ${JSON.stringify(raw)})`;
    errors.push(`${source}: ${parsed.error.issues[0]?.message ?? 'invalid'}${got}`);
  }
  errors.push(...crossChecks(config));
  return errors.length > 0 ? { kind: 'invalid', errors } : { kind: 'config', config };
}

/** Rules that involve more than one setting. */
function crossChecks(c: Config): string[] {
  const errors: string[] = [];
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
