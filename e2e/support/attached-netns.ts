// A second namespace hanging off a test's namespace by one veth pair: a user whose network
// can be cut alone (link down) while the room, its server and the other users carry on.
//
//   room namespace (server, other browsers)  ── veth ──  attached namespace (one browser)
//        10.78.n.1                                            10.78.n.2, default via .1
//
// The attached side reaches the room's own addresses (veth0/veth1 there) through its
// default route; they are local addresses over there, so no forwarding is needed.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findTool } from '../../scripts/ensure-system.ts';
import { type BareNetns, createBareNetns, loadNftRuleset, nft } from './netns.ts';

const execFileAsync = promisify(execFile);
const ip = findTool('ip') ?? 'ip';
/** The table that drops the namespace's traffic while it is loaded (dropTraffic). */
const DROP_TABLE = 'roomlink_cut';

let attached = 0;

export interface AttachedNetns extends BareNetns {
  /** The room side's address as seen from here. */
  readonly gateway: string;
  /** The server's URL from inside this namespace. */
  serverUrl(port: number): string;
  cutNetwork(): Promise<void>;
  restoreNetwork(): Promise<void>;
  /**
   * A dead spot: every packet in or out on eth0 is dropped (nft), the interface staying up,
   * so the browser is told nothing (navigator.onLine stays true) and learns only from
   * silence, as on a train in a tunnel. allowTraffic() ends it.
   */
  dropTraffic(what?: DroppedTraffic): Promise<void>;
  allowTraffic(): Promise<void>;
}

/**
 * 'all': every packet. 'udp': only UDP, which is what the browser's peer links use here (no
 * TURN over TCP): the links go silent while the socket to the server, over TCP, carries on.
 * 'new-tcp': a new TCP connection out is refused at once (a reset), those open carry on, and
 * so does UDP: a page that loses the server cannot reach it again while its peer links work.
 */
export type DroppedTraffic = 'all' | 'udp' | 'new-tcp';

function dropRuleset(what: DroppedTraffic): string {
  if (what === 'new-tcp')
    return `table inet ${DROP_TABLE} {
  chain output {
    type filter hook output priority filter; policy accept;
    oifname "eth0" tcp flags & (syn | ack) == syn reject with tcp reset
  }
}
`;
  const match = what === 'udp' ? ' meta l4proto udp' : '';
  return `table inet ${DROP_TABLE} {
  chain input {
    type filter hook input priority filter; policy accept;
    iifname "eth0"${match} drop
  }
  chain output {
    type filter hook output priority filter; policy accept;
    oifname "eth0"${match} drop
  }
}
`;
}

async function ipCommand(args: readonly string[]): Promise<void> {
  await execFileAsync(ip, args);
}

export async function attachNetns(room: Pick<BareNetns, 'name'>): Promise<AttachedNetns> {
  const bare = await createBareNetns();
  const subnet = `10.78.${(process.pid + attached++) % 256}`;
  const gateway = `${subnet}.1`;
  const own = `${subnet}.2`;
  const roomSide = `att${attached}`;
  const restore = async () => {
    await ipCommand(['-n', bare.name, 'link', 'set', 'eth0', 'up']);
    await ipCommand(['-n', bare.name, 'route', 'replace', 'default', 'via', gateway, 'dev', 'eth0']);
  };
  try {
    await ipCommand([
      '-n',
      room.name,
      'link',
      'add',
      roomSide,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      bare.name,
    ]);
    await ipCommand(['-n', room.name, 'addr', 'add', `${gateway}/24`, 'dev', roomSide]);
    await ipCommand(['-n', room.name, 'link', 'set', roomSide, 'up']);
    await ipCommand(['-n', bare.name, 'addr', 'add', `${own}/24`, 'dev', 'eth0']);
    await restore();
  } catch (error) {
    await bare.destroy();
    throw error;
  }
  return {
    ...bare,
    gateway,
    serverUrl: (port) => `http://${gateway}:${port}`,
    // Down on the user's side only: to her it is a pulled cable; the room sees silence.
    cutNetwork: () => ipCommand(['-n', bare.name, 'link', 'set', 'eth0', 'down']),
    restoreNetwork: restore,
    dropTraffic: (what = 'all') => loadNftRuleset(bare, dropRuleset(what)),
    allowTraffic: () => bare.run(nft, ['delete', 'table', 'inet', DROP_TABLE]).then(() => {}),
  };
}
