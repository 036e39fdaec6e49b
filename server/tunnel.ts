// `--tunnel`: a public link to this server through localtunnel (the public service, or a
// self-hosted localtunnel server named by --tunnel-host), for "try it across networks now".
// The link is logged when the tunnel opens. If it drops (the tunnel server goes away, or
// forgets us and refuses our connections), a new one is opened with backoff and its link
// logged again: the link may change then, since the old subdomain can be taken or gone.
//
// Where it is being opened is said at start, and why an opening failed as soon as it did
// (tunnel-open.ts makes the opening request itself, for its error).
//
// The localtunnel client keeps up to max_conn TCP sockets to the tunnel server and pipes
// each to a fresh connection to us. It reports trouble only as 'error' (a connection to the
// tunnel server was refused) and never on its own gives up, so a drop is that first error.
// We do not let it rewrite the Host header (its local_host option would): the server's
// same-origin check compares the browser's Origin (the public link) with Host.
import { randomBytes } from 'node:crypto';
import {
  describeNetworkError,
  type LocalTunnel,
  type OpenLocalTunnel,
  PUBLIC_TUNNEL_HOST,
  packageOpener,
} from './tunnel-open.ts';

export type { LocalTunnel, LocalTunnelOptions, OpenLocalTunnel } from './tunnel-open.ts';

/** Reopen delays after a drop: doubling from the first to the last. */
const REOPEN_FIRST_MS = 1_000;
const REOPEN_MAX_MS = 30_000;
/** A tunnel that stayed up this long resets the backoff. */
const STABLE_AFTER_MS = 60_000;
/**
 * A tunnel server that took the connection but does not answer is given up on this late (a
 * refusal or a name that does not resolve fails at once, and says so).
 */
const OPEN_TIMEOUT_MS = 30_000;

export interface TunnelOptions {
  /** The port this server listens on. */
  port: number;
  /** The address it listens on; a wildcard or loopback one is reached as 'localhost'. */
  listenHost: string;
  /** A self-hosted localtunnel server (http(s) URL); default: the public service. */
  tunnelHost?: string;
  subdomain?: string;
  /** Where the share link and tunnel trouble are said: the line, and what it says. */
  print: (line: string, event: TunnelEvent) => void;
  /** For tests: replaces the localtunnel package. */
  open?: OpenLocalTunnel;
  /** For tests: how long an opening may go unanswered (default OPEN_TIMEOUT_MS). */
  openTimeoutMs?: number;
}

export interface Tunnel {
  /** The current public link, or null while (re)opening. */
  readonly url: string | null;
  /** Closes the tunnel and stops reopening it. */
  close(): Promise<void>;
}

export type TunnelEvent =
  | { kind: 'opening'; through: string }
  | { kind: 'open'; url: string }
  | { kind: 'dropped'; why: string; retryInMs: number }
  | { kind: 'failed'; why: string; retryInMs: number };

export function describeTunnelEvent(event: TunnelEvent): string {
  switch (event.kind) {
    case 'opening':
      return `roomlink tunnel opening through ${event.through}`;
    case 'open':
      return `roomlink tunnel open: share ${event.url}/ (anyone with the link can join a room)`;
    case 'dropped':
      return `roomlink tunnel dropped: ${event.why}; reopening in ${Math.round(event.retryInMs / 1000)} s`;
    case 'failed':
      return `roomlink tunnel could not open: ${event.why}; retrying in ${Math.round(event.retryInMs / 1000)} s`;
  }
}

/** An old localtunnel server needs a subdomain to be asked for; the public one picks one. */
function defaultSubdomain(tunnelHost: string | undefined): string | undefined {
  return tunnelHost === undefined ? undefined : `roomlink-${randomBytes(4).toString('hex')}`;
}

function localHostFor(listenHost: string): string | undefined {
  const loopbackOrAny = ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'];
  return loopbackOrAny.includes(listenHost) ? undefined : listenHost;
}

export function startTunnel(options: TunnelOptions): Tunnel {
  const say = (event: TunnelEvent) => options.print(describeTunnelEvent(event), event);
  const open = options.open ?? packageOpener();
  const openTimeoutMs = options.openTimeoutMs ?? OPEN_TIMEOUT_MS;
  const tunnelHost = options.tunnelHost?.replace(/\/$/, '');
  const subdomain = options.subdomain ?? defaultSubdomain(options.tunnelHost);
  const localHost = localHostFor(options.listenHost);
  let current: LocalTunnel | null = null;
  let url: string | null = null;
  let closed = false;
  let delay = REOPEN_FIRST_MS;
  let openedAt = 0;
  let timer: NodeJS.Timeout | null = null;
  /** Aborts the opening request in flight, if any. */
  let opening: AbortController | null = null;

  function schedule(event: 'dropped' | 'failed', why: string): void {
    if (closed || timer !== null) return;
    const retryInMs = delay;
    delay = Math.min(delay * 2, REOPEN_MAX_MS);
    say({ kind: event, why, retryInMs });
    timer = setTimeout(() => {
      timer = null;
      void attempt();
    }, retryInMs);
  }

  function dropped(tunnel: LocalTunnel, why: string): void {
    if (tunnel !== current) return; // a late event from a tunnel already replaced
    current = null;
    url = null;
    tunnel.close();
    if (Date.now() - openedAt >= STABLE_AFTER_MS) delay = REOPEN_FIRST_MS;
    schedule('dropped', why);
  }

  async function attempt(): Promise<void> {
    if (closed) return;
    let timeout: NodeJS.Timeout | undefined;
    let gaveUp = false;
    const abort = new AbortController();
    opening = abort;
    try {
      const pending = open(
        {
          port: options.port,
          ...(tunnelHost === undefined ? {} : { host: tunnelHost }),
          ...(subdomain === undefined ? {} : { subdomain }),
          ...(localHost === undefined ? {} : { local_host: localHost }),
        },
        abort.signal,
      );
      // If we give up on it, a tunnel that opens later must not linger.
      pending.then(
        (late) => {
          if (gaveUp) late.close();
        },
        () => {},
      );
      const tunnel = await Promise.race([
        pending,
        new Promise<never>((_, reject) => {
          timeout = setTimeout(
            () => reject(new Error(`no answer from the tunnel server in ${openTimeoutMs / 1000} s`)),
            openTimeoutMs,
          );
        }),
      ]);
      if (closed) {
        tunnel.close();
        return;
      }
      current = tunnel;
      url = tunnel.url;
      openedAt = Date.now();
      tunnel.on('error', (error: unknown) => dropped(tunnel, describeNetworkError(error)));
      // 'close' comes from tunnel.close(): ours (ignored above) or, defensively, anyone's.
      tunnel.on('close', () => dropped(tunnel, 'closed'));
      say({ kind: 'open', url: tunnel.url });
    } catch (error) {
      gaveUp = true;
      abort.abort();
      schedule('failed', describeNetworkError(error));
    } finally {
      clearTimeout(timeout);
      if (opening === abort) opening = null;
    }
  }

  say({ kind: 'opening', through: tunnelHost ?? PUBLIC_TUNNEL_HOST });
  void attempt();
  return {
    get url() {
      return url;
    },
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      opening?.abort();
      const tunnel = current;
      current = null;
      url = null;
      tunnel?.close();
    },
  };
}
