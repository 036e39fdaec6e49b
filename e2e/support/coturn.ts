// coturn (the TURN relay users run; it also answers STUN) started inside a test namespace,
// on an address of that namespace, with the TURN REST shared secret roomlink's server signs
// credentials with. Its own pidfile and user db live in a temporary folder removed on stop.

import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool } from '../../scripts/ensure-system.ts';
import type { BareNetns } from './netns.ts';
import { type NetnsProcess, startInNetns } from './process.ts';

const defaultPort = 3478;
const defaultRelayPorts = [49160, 49460] as const;
/** What a TURN server on the public internet must not relay to: the private ranges. */
export const privatePeerRanges: readonly string[] = [
  '10.0.0.0-10.255.255.255',
  '172.16.0.0-172.31.255.255',
  '192.168.0.0-192.168.255.255',
];

export interface CoturnOptions {
  readonly netns: Pick<BareNetns, 'spawn'>;
  /** Listening and relay address (an address of the namespace). */
  readonly ip: string;
  readonly secret: string;
  readonly port?: number;
  /**
   * Peer ranges coturn refuses to relay to. A relay on the public side must deny the private
   * ranges: it cannot route to them, and a failed send there closes the whole allocation.
   */
  readonly deniedPeers?: readonly string[];
}

export interface Coturn {
  readonly stunUrl: string;
  readonly turnUrl: string;
  readonly secret: string;
  output(): string;
  stop(): Promise<void>;
}

/** TURN REST credentials as coturn's use-auth-secret checks them (and server/ice.ts signs). */
export function turnRestCredentials(
  secret: string,
  expiresAt: number,
  id: string,
): { username: string; credential: string } {
  const username = `${expiresAt}:${id}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

export async function startCoturn(options: CoturnOptions): Promise<Coturn> {
  const port = options.port ?? defaultPort;
  const dir = mkdtempSync(join(tmpdir(), 'rl-coturn-'));
  let process: NetnsProcess;
  try {
    process = await startInNetns(options.netns, {
      label: 'coturn',
      command: findTool('turnserver') ?? 'turnserver',
      args: [
        '-n',
        `--listening-ip=${options.ip}`,
        `--listening-port=${port}`,
        `--relay-ip=${options.ip}`,
        `--min-port=${defaultRelayPorts[0]}`,
        `--max-port=${defaultRelayPorts[1]}`,
        '--use-auth-secret',
        `--static-auth-secret=${options.secret}`,
        '--realm=roomlink.test',
        '--no-tls',
        '--no-dtls',
        '--no-cli',
        '--fingerprint',
        '--no-software-attribute',
        ...(options.deniedPeers ?? []).map((range) => `--denied-peer-ip=${range}`),
        '--log-file=stdout',
        '--simple-log',
        `--pidfile=${join(dir, 'turnserver.pid')}`,
        `--userdb=${join(dir, 'turndb.sqlite')}`,
      ],
      // The last line of its start: relay servers and listeners up, then the auth db.
      ready: /DB connection success/,
      readyTimeoutMs: 15_000,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    stunUrl: `stun:${options.ip}:${port}`,
    turnUrl: `turn:${options.ip}:${port}?transport=udp`,
    secret: options.secret,
    output: () => process.output(),
    async stop() {
      await process.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
