// Opening a localtunnel client (for tunnel.ts), and what went wrong in plain words.
//
// The package asks the tunnel server for a tunnel (GET <host>/<subdomain> or <host>/?new) in
// Tunnel#_init, and retries that request every second forever, saying why only through
// `debug`: a refused connection or a name that does not resolve looked, 30 s later, like a
// server that never answered. So that one request is made here instead, once, and its failure
// rejects with the cause; tunnel.ts retries with its own backoff. The rest is the package's:
// Tunnel#open hands our answer to _establish, which keeps the TCP sockets to the tunnel server
// and pipes each to us. _init(cb) and _getInfo(body) are its internals (localtunnel 2.0.2, the
// last release): a new version that changes them fails the tunnel tests.
import { createRequire } from 'node:module';

/** The part of the localtunnel client (no type declarations ship with it) that we use. */
export interface LocalTunnel extends NodeJS.EventEmitter {
  url: string;
  close(): void;
}
export interface LocalTunnelOptions {
  port: number;
  host?: string;
  subdomain?: string;
  local_host?: string;
}
/** Opens a tunnel; `signal` aborts the opening request (we gave up on it, or are closing). */
export type OpenLocalTunnel = (options: LocalTunnelOptions, signal: AbortSignal) => Promise<LocalTunnel>;

/** The package's own default, for the line that says where a tunnel is being opened. */
export const PUBLIC_TUNNEL_HOST = 'https://localtunnel.me';

interface PackageTunnel extends LocalTunnel {
  _init(cb: (error: Error | null, info?: unknown) => void): void;
  _getInfo(body: unknown): unknown;
  open(cb: (error?: Error) => void): void;
}
type PackageTunnelClass = new (options: LocalTunnelOptions) => PackageTunnel;

/** Plain words for the network errors an opening request meets, by code; `at` is host:port. */
const NETWORK_WORDS: Readonly<Record<string, (at: string, name: string) => string>> = {
  ECONNREFUSED: (at) => `connection refused by ${at}, nothing listens there`,
  ENOTFOUND: (_, name) => `no address found for ${name}: no internet or DNS, or a mistyped name`,
  EAI_AGAIN: (_, name) => `${name} could not be looked up: no DNS answer, no internet?`,
  ECONNRESET: (at) => `connection reset by ${at}`,
  ETIMEDOUT: (at) => `no connection to ${at} in time`,
  UND_ERR_CONNECT_TIMEOUT: (at) => `no connection to ${at} in time`,
  EHOSTUNREACH: (at) => `no route to ${at}: no network?`,
  ENETUNREACH: (at) => `no route to ${at}: no network?`,
  ENETDOWN: (at) => `no route to ${at}: no network?`,
  DEPTH_ZERO_SELF_SIGNED_CERT: (at) => `the TLS certificate of ${at} is not trusted`,
  SELF_SIGNED_CERT_IN_CHAIN: (at) => `the TLS certificate of ${at} is not trusted`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: (at) => `the TLS certificate of ${at} is not trusted`,
  CERT_HAS_EXPIRED: (at) => `the TLS certificate of ${at} has expired`,
  ERR_TLS_CERT_ALTNAME_INVALID: (at) => `the TLS certificate of ${at} is for another name`,
};

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errors } = error as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  // Node tries each address of a name in turn and reports them all at once (AggregateError).
  return Array.isArray(errors) ? codeOf(errors[0]) : undefined;
}

/**
 * What went wrong reaching `url`, in plain words with the error's code (ECONNREFUSED…), so
 * the operator can look it up. fetch() wraps the cause ('fetch failed'); sockets do not.
 */
export function describeNetworkError(error: unknown, url?: string): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const code = codeOf(cause);
  const words = code === undefined ? undefined : NETWORK_WORDS[code];
  if (code !== undefined && words !== undefined && url !== undefined) {
    const { host, hostname } = new URL(url);
    return `${words(host, hostname)} (${code})`;
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return code === undefined || message.includes(code) ? message : `${message} (${code})`;
}

/** The tunnel server's answer to our request: its `message` is why it said no. */
async function askForTunnel(url: string, signal: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    throw new Error(describeNetworkError(error, url));
  }
  const body: unknown = await response.json().catch(() => null);
  const message = (body as { message?: unknown } | null)?.message;
  if (response.status !== 200) {
    throw new Error(
      `the tunnel server answered ${response.status}${typeof message === 'string' ? `: ${message}` : ''}`,
    );
  }
  const { url: link, port, ip, max_conn_count: connections } = (body ?? {}) as Record<string, unknown>;
  if (typeof link !== 'string' || !/^https?:\/\//.test(link) || !isInteger(port, 1, 65_535)) {
    throw new Error(`the tunnel server's answer is not a localtunnel one (no http(s) url and port 1–65535 in it)`);
  }
  // Checked here, since the package takes them as they come: a port out of range threw in
  // its net.connect, and a server asking for a million connections would get them.
  if (ip !== undefined && typeof ip !== 'string') throw new Error(`the tunnel server's answer has an odd ip`);
  if (connections !== undefined && !isInteger(connections, 1, MAX_TUNNEL_CONNECTIONS)) {
    throw new Error(`the tunnel server asks for ${String(connections)} connections (1–${MAX_TUNNEL_CONNECTIONS} here)`);
  }
  return body;
}

/** The most TCP connections to a tunnel server we keep (localtunnel's servers ask for 10). */
const MAX_TUNNEL_CONNECTIONS = 50;

const isInteger = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** The localtunnel package, with its opening request replaced by askForTunnel. */
export function packageOpener(): OpenLocalTunnel {
  const Tunnel = createRequire(import.meta.url)('localtunnel/lib/Tunnel.js') as PackageTunnelClass;
  return (options, signal) => {
    const client = new Tunnel(options);
    const url = `${options.host ?? PUBLIC_TUNNEL_HOST}/${options.subdomain ?? '?new'}`;
    client._init = (cb) => {
      const fail = (error: unknown): void => cb(error instanceof Error ? error : new Error(String(error)));
      askForTunnel(url, signal).then((body) => {
        // Whatever the package does with the answer throws here, not out of a promise nobody
        // handles: that took the whole server down (a port out of range, a hostile review).
        try {
          cb(null, client._getInfo(body));
        } catch (error) {
          fail(error);
        }
      }, fail);
    };
    return new Promise((resolve, reject) => client.open((error) => (error ? reject(error) : resolve(client))));
  };
}
