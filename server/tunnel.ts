// `--tunnel`: a public link to this server through localtunnel (the public service, or a
// self-hosted localtunnel server named by --tunnel-host), for "try it across networks now".
// The link is printed when the tunnel opens. If it drops (the tunnel server goes away, or
// forgets us and refuses our connections), a new one is opened with backoff and its link
// printed again: the link may change then, since the old subdomain can be taken or gone.
//
// The localtunnel client keeps up to max_conn TCP sockets to the tunnel server and pipes
// each to a fresh connection to us. It reports trouble only as 'error' (a connection to the
// tunnel server was refused) and never on its own gives up, so a drop is that first error.
// We do not let it rewrite the Host header (its local_host option would): the server's
// same-origin check compares the browser's Origin (the public link) with Host.
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

/** Reopen delays after a drop: doubling from the first to the last. */
const REOPEN_FIRST_MS = 1_000;
const REOPEN_MAX_MS = 30_000;
/** A tunnel that stayed up this long resets the backoff. */
const STABLE_AFTER_MS = 60_000;
/** localtunnel's opening request retries every second forever; we give up on one this late. */
const OPEN_TIMEOUT_MS = 30_000;

/** The part of the localtunnel client (no type declarations ship with it) that we use. */
export interface LocalTunnel extends EventEmitter {
  url: string;
  close(): void;
}
export interface LocalTunnelOptions {
  port: number;
  host?: string;
  subdomain?: string;
  local_host?: string;
}
export type OpenLocalTunnel = (options: LocalTunnelOptions) => Promise<LocalTunnel>;

export interface TunnelOptions {
  /** The port this server listens on. */
  port: number;
  /** The address it listens on; a wildcard or loopback one is reached as 'localhost'. */
  listenHost: string;
  /** A self-hosted localtunnel server (http(s) URL); default: the public service. */
  tunnelHost?: string;
  subdomain?: string;
  /** Where the share link and tunnel trouble are printed. */
  print?: (line: string) => void;
  /** For tests: replaces the localtunnel package. */
  open?: OpenLocalTunnel;
}

export interface Tunnel {
  /** The current public link, or null while (re)opening. */
  readonly url: string | null;
  /** Closes the tunnel and stops reopening it. */
  close(): Promise<void>;
}

type TunnelEvent =
  | { kind: 'open'; url: string }
  | { kind: 'dropped'; why: string; retryInMs: number }
  | { kind: 'failed'; why: string; retryInMs: number };

export function describeTunnelEvent(event: TunnelEvent): string {
  switch (event.kind) {
    case 'open':
      return `roomlink tunnel open: share ${event.url}/ (anyone with the link can join a room)`;
    case 'dropped':
      return `roomlink tunnel dropped (${event.why}); reopening in ${Math.round(event.retryInMs / 1000)} s`;
    case 'failed':
      return `roomlink tunnel could not open (${event.why}); retrying in ${Math.round(event.retryInMs / 1000)} s`;
  }
}

function loadLocaltunnel(): OpenLocalTunnel {
  const require = createRequire(import.meta.url);
  return require('localtunnel') as OpenLocalTunnel;
}

/** An old localtunnel server needs a subdomain to be asked for; the public one picks one. */
function defaultSubdomain(tunnelHost: string | undefined): string | undefined {
  return tunnelHost === undefined ? undefined : `roomlink-${randomBytes(4).toString('hex')}`;
}

function localHostFor(listenHost: string): string | undefined {
  const loopbackOrAny = ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'];
  return loopbackOrAny.includes(listenHost) ? undefined : listenHost;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function startTunnel(options: TunnelOptions): Tunnel {
  const print = options.print ?? ((line: string) => console.log(line));
  const open = options.open ?? loadLocaltunnel();
  const subdomain = options.subdomain ?? defaultSubdomain(options.tunnelHost);
  const localHost = localHostFor(options.listenHost);
  let current: LocalTunnel | null = null;
  let url: string | null = null;
  let closed = false;
  let delay = REOPEN_FIRST_MS;
  let openedAt = 0;
  let timer: NodeJS.Timeout | null = null;

  function schedule(event: 'dropped' | 'failed', why: string): void {
    if (closed || timer !== null) return;
    const retryInMs = delay;
    delay = Math.min(delay * 2, REOPEN_MAX_MS);
    print(describeTunnelEvent({ kind: event, why, retryInMs }));
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
    try {
      const opening = open({
        port: options.port,
        ...(options.tunnelHost === undefined ? {} : { host: options.tunnelHost.replace(/\/$/, '') }),
        ...(subdomain === undefined ? {} : { subdomain }),
        ...(localHost === undefined ? {} : { local_host: localHost }),
      });
      // If we give up on it, a tunnel that opens later must not linger.
      opening.then(
        (late) => {
          if (gaveUp) late.close();
        },
        () => {},
      );
      const tunnel = await Promise.race([
        opening,
        new Promise<never>((_, reject) => {
          timeout = setTimeout(
            () => reject(new Error(`no answer from the tunnel server in ${OPEN_TIMEOUT_MS / 1000} s`)),
            OPEN_TIMEOUT_MS,
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
      tunnel.on('error', (error: unknown) => dropped(tunnel, errorText(error)));
      // 'close' comes from tunnel.close(): ours (ignored above) or, defensively, anyone's.
      tunnel.on('close', () => dropped(tunnel, 'closed'));
      print(describeTunnelEvent({ kind: 'open', url: tunnel.url }));
    } catch (error) {
      gaveUp = true;
      schedule('failed', errorText(error));
    } finally {
      clearTimeout(timeout);
    }
  }

  void attempt();
  return {
    get url() {
      return url;
    },
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const tunnel = current;
      current = null;
      url = null;
      tunnel?.close();
    },
  };
}
