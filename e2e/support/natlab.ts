// Two home networks behind NAT routers and a "public internet" between them, all in network
// namespaces this module creates (named like every test namespace, so an interrupted run's
// leftovers are swept) and deletes. Addresses are assigned only inside them:
//
//   public  198.18.0.1/24 on a bridge (RFC 2544 benchmark range): roomlink server, coturn
//   router i  wan 198.18.0.(1+i)/24 ── nftables masquerade ── lan 10.1i.0.1/24
//   home i    10.1i.0.2/24, default route via its router: Chromium
//
// NAT kinds: 'cone' is plain masquerade (endpoint-independent mapping, the port kept when
// free), 'symmetric' is `masquerade fully-random` (a new random port for every destination).
// Both routers drop unsolicited packets arriving on wan in their input hook: without that,
// an ICE check that arrives before our own outgoing one creates a conntrack entry for the
// router itself, and the NAT then picks a new port for ours (a cone NAT turns symmetric).
// The public side has no route to the homes: coturn there must deny private peers.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findTool } from '../../scripts/ensure-system.ts';
import { type BareNetns, createBareNetns, loadNftRuleset, nft } from './netns.ts';

const execFileAsync = promisify(execFile);
const ip = findTool('ip') ?? 'ip';

export type NatKind = 'cone' | 'symmetric';

export const publicIp = '198.18.0.1';

export interface Home {
  readonly netns: BareNetns;
  readonly router: BareNetns;
  /** The home host's own (private) address. */
  readonly lanIp: string;
  /** Its router's public address: what the public side sees. */
  readonly wanIp: string;
}

export interface NatLab {
  readonly publicNetns: BareNetns;
  readonly publicIp: string;
  readonly homes: readonly [Home, Home];
  /** Deletes every namespace (homes first); processes still inside are killed. */
  destroy(): Promise<void>;
}

async function ipIn(netns: BareNetns, args: readonly string[]): Promise<void> {
  await execFileAsync(ip, ['-n', netns.name, ...args]);
}

/** Writes /proc/sys inside the namespace (what sysctl would do, without needing procps). */
async function sysctl(netns: BareNetns, settings: Record<string, string>): Promise<void> {
  const script = Object.entries(settings)
    .map(([key, value]) => `echo ${value} > /proc/sys/${key.replaceAll('.', '/')}`)
    .join(' && ');
  await netns.run('sh', ['-c', script]);
}

function ruleset(kind: NatKind): string {
  return `table ip roomlink_nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" ${kind === 'symmetric' ? 'masquerade fully-random' : 'masquerade'}
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    iifname "lan" oifname "wan" accept
    iifname "wan" oifname "lan" ct state established,related accept
  }
  chain input {
    type filter hook input priority filter; policy accept;
    iifname "wan" ct state new drop
  }
}
`;
}

async function loadRuleset(router: BareNetns, kind: NatKind): Promise<void> {
  await loadNftRuleset(router, ruleset(kind));
}

/**
 * Swaps a home's NAT for another kind (a network change: say the user moved to another
 * network). Flows already through the router keep their mappings; new ones get the new
 * kind's, and an ICE restart opens new sockets, so its checks are new flows.
 */
export async function setNat(home: Home, kind: NatKind): Promise<void> {
  await home.router.run(nft, ['delete', 'table', 'ip', 'roomlink_nat']);
  await loadRuleset(home.router, kind);
}

/**
 * The path between the two homes dies (a firewall, a route gone): what one sends the other is
 * dropped at the first home's router, each way, while both still reach the public side.
 */
export async function cutBetweenHomes(lab: NatLab): Promise<void> {
  const [one, other] = lab.homes;
  await loadNftRuleset(
    one.router,
    `table ip roomlink_cut {
  chain forward {
    type filter hook forward priority filter - 10; policy accept;
    ip daddr ${other.wanIp} drop
    ip saddr ${other.wanIp} drop
  }
}
`,
  );
}

export async function createNatLab(kind: NatKind): Promise<NatLab> {
  const created: BareNetns[] = [];
  const make = async () => {
    const netns = await createBareNetns();
    created.push(netns);
    // IPv4 only, as the addresses above: no link-local IPv6 candidates to wonder about.
    await sysctl(netns, { 'net.ipv6.conf.all.disable_ipv6': '1', 'net.ipv6.conf.default.disable_ipv6': '1' });
    return netns;
  };
  const destroy = async () => {
    const errors: unknown[] = [];
    for (const netns of [...created].reverse()) await netns.destroy().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw errors[0];
  };

  try {
    const pub = await make();
    await ipIn(pub, ['link', 'add', 'br0', 'type', 'bridge']);
    await ipIn(pub, ['addr', 'add', `${publicIp}/24`, 'dev', 'br0']);
    await ipIn(pub, ['link', 'set', 'br0', 'up']);

    const homes: Home[] = [];
    for (const i of [1, 2]) {
      const router = await make();
      const home = await make();
      const wanIp = `198.18.0.${1 + i}`;
      const lanNet = `10.1${i}.0`;
      await ipIn(pub, ['link', 'add', `p-r${i}`, 'type', 'veth', 'peer', 'name', 'wan', 'netns', router.name]);
      await ipIn(pub, ['link', 'set', `p-r${i}`, 'master', 'br0', 'up']);
      await ipIn(router, ['addr', 'add', `${wanIp}/24`, 'dev', 'wan']);
      await ipIn(router, ['link', 'set', 'wan', 'up']);
      await ipIn(router, ['link', 'add', 'lan', 'type', 'veth', 'peer', 'name', 'lan0', 'netns', home.name]);
      await ipIn(router, ['addr', 'add', `${lanNet}.1/24`, 'dev', 'lan']);
      await ipIn(router, ['link', 'set', 'lan', 'up']);
      await sysctl(router, { 'net.ipv4.ip_forward': '1' });
      await loadRuleset(router, kind);
      await ipIn(home, ['addr', 'add', `${lanNet}.2/24`, 'dev', 'lan0']);
      await ipIn(home, ['link', 'set', 'lan0', 'up']);
      await ipIn(home, ['route', 'add', 'default', 'via', `${lanNet}.1`]);
      homes.push({ netns: home, router, lanIp: `${lanNet}.2`, wanIp });
    }
    const [first, second] = homes;
    if (first === undefined || second === undefined) throw new Error('two homes expected');
    return { publicNetns: pub, publicIp, homes: [first, second], destroy };
  } catch (error) {
    await destroy().catch(() => {});
    throw error;
  }
}
