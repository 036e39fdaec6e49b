// A private network namespace per test: loopback up, a veth pair whose two ends both live
// inside the namespace (10.77.x.1/24 and 10.77.x.2/24) and a default route, so Chromium
// gathers real host candidates (it never offers loopback ones) while no packet can leave
// the namespace. The server and every browser of a test run inside it.

import { type ChildProcess, execFile, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findTool } from '../../scripts/ensure-system.ts';
import { onProcessExit, sleepSync } from './exit-cleanup.ts';

const execFileAsync = promisify(execFile);

const ip = findTool('ip') ?? 'ip';
const namePattern = /^rl-(\d+)-\d+$/;
/** How long teardown waits for the namespace's processes to exit on their own. */
const quietWaitMs = 5_000;
/** After SIGTERM, then after SIGKILL, how long to wait for stragglers. */
const killWaitMs = 2_000;
const pollMs = 50;

let created = 0;

export type LinkState = 'up' | 'down';

/** A namespace with only loopback up: the base of Netns, and of the NAT lab's namespaces. */
export interface BareNetns {
  /** `rl-<pid>-<n>`: the pid tells a later run whether the owner is still alive. */
  readonly name: string;
  /** Starts `command` inside the namespace (`ip netns exec`, which execs: same pid). */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
  /** Runs `command` inside the namespace to completion; resolves with its stdout. */
  run(command: string, args: readonly string[]): Promise<string>;
  /** Pids of every process inside the namespace. */
  pids(): Promise<number[]>;
  /** Waits for the namespace's processes to end (killing stragglers), then deletes it. */
  destroy(): Promise<void>;
}

export interface Netns extends BareNetns {
  /** The two ends of the veth pair: `10.77.x.1`, `10.77.x.2`. */
  readonly addresses: readonly [string, string];
  /** Takes the veth pair down: every ICE path dies, loopback (signaling) stays. */
  cutNetwork(): Promise<void>;
  /** Brings the veth pair back up with its default route. */
  restoreNetwork(): Promise<void>;
}

async function ipCommand(args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync(ip, args);
  return stdout;
}

function parsePids(text: string): number[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalEach(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function describeProcess(pid: number): string {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return `${pid} ${cmdline.replaceAll('\0', ' ').slice(0, 100)}`;
  } catch {
    return String(pid);
  }
}

function pidsSync(name: string): number[] {
  try {
    return parsePids(execFileSync(ip, ['netns', 'pids', name], { encoding: 'utf8', stdio: 'pipe' }));
  } catch {
    return [];
  }
}

/** Synchronous teardown for process exit: kill everything inside, then delete. */
function destroySync(name: string): void {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const pids = pidsSync(name);
    if (pids.length === 0) break;
    signalEach(pids, signal);
    const deadline = Date.now() + killWaitMs;
    while (pidsSync(name).length > 0 && Date.now() < deadline) sleepSync(pollMs);
  }
  try {
    execFileSync(ip, ['netns', 'del', name], { stdio: 'pipe' });
  } catch {
    // Not there (already deleted) or still busy: nothing more to do at exit.
  }
}

async function waitUntilEmpty(name: string, ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const pids = parsePids(await ipCommand(['netns', 'pids', name]).catch(() => ''));
    if (pids.length === 0 || Date.now() >= deadline) return pids;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Namespaces `rl-<pid>-<n>` whose creating process is gone (a crashed or killed run). */
export async function staleNamespaces(): Promise<string[]> {
  const listing = await ipCommand(['netns', 'list']).catch(() => '');
  return listing
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => {
      const owner = namePattern.exec(name)?.[1];
      return owner !== undefined && !isAlive(Number(owner));
    });
}

/** Deletes namespaces left behind by runs that died before their teardown. */
export async function sweepStaleNamespaces(): Promise<string[]> {
  const stale = await staleNamespaces();
  for (const name of stale) destroySync(name);
  return stale;
}

/** A new namespace `rl-<pid>-<n>` with loopback up and nothing else. */
export async function createBareNetns(): Promise<BareNetns> {
  const name = `rl-${process.pid}-${created++}`;
  await ipCommand(['netns', 'add', name]);
  const unregister = onProcessExit(() => destroySync(name));
  try {
    await ipCommand(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    destroySync(name);
    unregister();
    throw error;
  }
  // No duplicate address detection on the links this namespace will get. Each link's IPv6
  // address stays tentative for ~1.2 s after the link comes up; when it turns valid, Chromium
  // takes that for a network change and aborts any page load under way with
  // ERR_NETWORK_CHANGED (a clean clone's room of eight failed so, its browser started right
  // after its namespace). Without DAD the addresses are valid as the links come up (12 ms),
  // before any browser starts, and after restoreNetwork too. Nothing on these private links
  // could hold the same address. A kernel without IPv6 has nothing to turn off.
  await execFileAsync(ip, [
    'netns',
    'exec',
    name,
    'sh',
    '-c',
    'for scope in all default; do echo 0 > /proc/sys/net/ipv6/conf/$scope/accept_dad; done',
  ]).catch(() => undefined);

  let destroyed = false;
  return {
    name,
    spawn(command, args, options = {}) {
      return spawn(ip, ['netns', 'exec', name, command, ...args], options);
    },
    async run(command, args) {
      const { stdout } = await execFileAsync(ip, ['netns', 'exec', name, command, ...args]);
      return stdout;
    },
    async pids() {
      return parsePids(await ipCommand(['netns', 'pids', name]));
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      let left = await waitUntilEmpty(name, quietWaitMs);
      if (left.length > 0) {
        console.warn(`netns ${name}: processes still running at teardown: ${left.map(describeProcess).join('; ')}`);
        for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
          signalEach(left, signal);
          left = await waitUntilEmpty(name, killWaitMs);
          if (left.length === 0) break;
        }
      }
      await ipCommand(['netns', 'del', name]);
      unregister();
    },
  };
}

export async function createNetns(): Promise<Netns> {
  const bare = await createBareNetns();
  const { name } = bare;
  const subnet = `10.77.${Number(name.split('-')[2]) % 256}`;
  const addresses = [`${subnet}.1`, `${subnet}.2`] as const;
  try {
    await ipCommand(['-n', name, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1']);
    await ipCommand(['-n', name, 'addr', 'add', `${addresses[0]}/24`, 'dev', 'veth0']);
    await ipCommand(['-n', name, 'addr', 'add', `${addresses[1]}/24`, 'dev', 'veth1']);
    await setLinks(name, 'up');
  } catch (error) {
    await bare.destroy();
    throw error;
  }
  return {
    ...bare,
    addresses,
    cutNetwork: () => setLinks(name, 'down'),
    restoreNetwork: () => setLinks(name, 'up'),
  };
}

/** How long links just set up may take to have no tentative address (DAD's ~1.2 s, under load more). */
const TENTATIVE_WAIT_MS = 10_000;

/**
 * Sets both ends of the namespace's veth pair up or down (up restores the default route). Up
 * returns once no address is tentative: DAD is off (createBareNetns), yet a clean clone under
 * load had veth0's link-local address tentative after restoreNetwork all the same, and its
 * turning valid aborts a page load under way (see there). Why it ran is not known: this waits it out.
 */
export async function setLinks(name: string, state: LinkState): Promise<void> {
  await ipCommand(['-n', name, 'link', 'set', 'veth0', state]);
  await ipCommand(['-n', name, 'link', 'set', 'veth1', state]);
  if (state !== 'up') return;
  await ipCommand(['-n', name, 'route', 'replace', 'default', 'dev', 'veth0']);
  const deadline = Date.now() + TENTATIVE_WAIT_MS;
  while ((await ipCommand(['-n', name, '-6', 'addr', 'show', 'tentative'])).trim() !== '' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** nftables, as Debian installs it. */
export const nft = findTool('nft') ?? 'nft';

/** Loads an nftables ruleset into the namespace (`nft -f` reads it from a file of its own). */
export async function loadNftRuleset(netns: Pick<BareNetns, 'run'>, ruleset: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rl-nft-'));
  try {
    const file = join(dir, 'rules.nft');
    writeFileSync(file, ruleset);
    await netns.run(nft, ['-f', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
