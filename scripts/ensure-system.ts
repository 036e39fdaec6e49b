// Checks for the system tools the tests need and installs what is missing through apt when
// we can (root + apt-get), otherwise says exactly what to install. Also checks that we may
// create a network namespace: the end-to-end tests run Chromium and the server inside one.
//
//   node --import tsx scripts/ensure-system.ts        (exit 1 with a message when not ready)

import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directories searched after PATH: CI shells for root do not always have the sbin ones. */
const extraDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface SystemTool {
  /** What the tests call it. */
  readonly name: string;
  /** The executable looked up on PATH (or an absolute path). */
  readonly command: string;
  /** The Debian package that provides it; null for a binary the user chose (CHROMIUM_PATH). */
  readonly debianPackage: string | null;
  /** What needs it, for the message. */
  readonly usedFor: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** CHROMIUM_PATH, or Debian's Chromium; an empty variable counts as unset. */
export function chromiumPath(env: Env = process.env): string {
  return chosenChromium(env) ?? '/usr/bin/chromium';
}

function chosenChromium(env: Env): string | undefined {
  const chosen = env['CHROMIUM_PATH'];
  return chosen === '' ? undefined : chosen;
}

/** Debian's chromium-headless-shell: the same Chromium build in its old headless mode. */
export const HEADLESS_SHELL_PATH = '/usr/lib/chromium/chromium-headless-shell';

/**
 * The Chromium an end-to-end test launches with these flags. CHROMIUM_PATH, when set, for
 * every test. Otherwise Debian's headless shell, unless the test asks for the full browser
 * (`fullBrowser`) or uses the fake camera and microphone. The shell is the same engine
 * (Blink, V8, WebRTC) without the desktop browser's layer, and what Playwright itself runs
 * for headless Chromium. The suite is CPU-bound on two cores (0 % idle through its
 * end-to-end phase), and the shell ran the same pages on 22 % less CPU (ui, history and
 * replies: 85 CPU-s against 110; the whole end-to-end phase 9.5 min against 12.0).
 * What the browser itself does stays with the full one, where the shell failed: what a
 * closed tab tells the others, notifications, the tab's icon, and the fake devices the call
 * tests were written against (there the shell saved nothing: 157 CPU-s against 160). A
 * network that goes away and comes back (files-resume, resilience, outage) failed on the
 * shell before the test namespaces turned IPv6 duplicate address detection off
 * (e2e/support/netns.ts), and runs there since, on 103 CPU-s against 126. The benchmarks
 * measure the full browser, what users run (chromiumPath()).
 */
export function testChromium(args: readonly string[], fullBrowser: boolean, env: Env = process.env): string {
  const chosen = chosenChromium(env);
  if (chosen !== undefined) return chosen;
  const media = args.some((arg) => arg.startsWith('--use-fake-device-for-media-stream'));
  return fullBrowser || media ? chromiumPath(env) : HEADLESS_SHELL_PATH;
}

export function systemTools(env: Env = process.env): SystemTool[] {
  // Debian's packages cannot provide a binary at a path the user chose.
  const debian = chosenChromium(env) === undefined;
  return [
    {
      name: 'chromium',
      command: chromiumPath(env),
      debianPackage: debian ? 'chromium' : null,
      usedFor: 'end-to-end tests (Playwright drives it) and benchmarks',
    },
    ...(debian
      ? [
          {
            name: 'chromium-headless-shell',
            command: HEADLESS_SHELL_PATH,
            debianPackage: 'chromium-headless-shell',
            usedFor: 'end-to-end tests of the page alone (scripts/ensure-system.ts testChromium)',
          },
        ]
      : []),
    { name: 'ip', command: 'ip', debianPackage: 'iproute2', usedFor: 'network namespaces for the end-to-end tests' },
    { name: 'nft', command: 'nft', debianPackage: 'nftables', usedFor: 'NAT inside test namespaces' },
    {
      name: 'redis-server',
      command: 'redis-server',
      debianPackage: 'redis-server',
      usedFor: 'multi-node signaling tests',
    },
    { name: 'turnserver', command: 'turnserver', debianPackage: 'coturn', usedFor: 'TURN relay tests' },
    { name: 'nginx', command: 'nginx', debianPackage: 'nginx-light', usedFor: 'reverse-proxy tests' },
    {
      name: 'taskset',
      command: 'taskset',
      debianPackage: 'util-linux',
      usedFor: 'the benchmark and its smoke test (a browser pinned to a core)',
    },
  ];
}

/** A file we may run: a directory passes access(X_OK) too (and an empty name, joined, is one). */
function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of an executable, looked up on PATH and then in the usual system dirs. */
export function findTool(command: string): string | null {
  if (command.includes('/')) return isExecutable(command) ? command : null;
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function missingTools(): SystemTool[] {
  return systemTools().filter((tool) => findTool(tool.command) === null);
}

function packagesFor(tools: SystemTool[]): string[] {
  return [...new Set(tools.flatMap((tool) => (tool.debianPackage === null ? [] : [tool.debianPackage])))];
}

/** What to tell the user about tools still missing: each, and what to do about it. */
export function missingToolProblems(missing: SystemTool[]): string[] {
  const problems: string[] = [];
  for (const tool of missing) {
    problems.push(
      tool.debianPackage === null
        ? `CHROMIUM_PATH is ${JSON.stringify(tool.command)}, which is no executable file: point it at a Chromium or Chrome binary, or unset it for Debian's`
        : `missing ${tool.name} (${tool.command}), needed for ${tool.usedFor}`,
    );
  }
  const packages = packagesFor(missing);
  if (packages.length === 0) return problems;
  problems.push(`install them as root: apt-get update && apt-get install -y ${packages.join(' ')}`);
  if (packages.includes('chromium')) problems.push('or point CHROMIUM_PATH at an existing Chromium/Chrome binary');
  return problems;
}

function installWithApt(packages: string[]): boolean {
  const apt = findTool('apt-get');
  if (apt === null || process.getuid?.() !== 0) return false;
  console.log(`ensure-system: installing ${packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync(apt, ['update'], { stdio: 'inherit', env });
  if (update.status !== 0) return false;
  const install = spawnSync(apt, ['install', '-y', ...packages], { stdio: 'inherit', env });
  return install.status === 0;
}

/** Creates and deletes a throwaway namespace; returns why it failed, or null. */
function checkNetnsPermission(): string | null {
  const ip = findTool('ip');
  if (ip === null) return 'the `ip` command (iproute2) is missing';
  const name = `rl-check-${process.pid}`;
  try {
    execFileSync(ip, ['netns', 'add', name], { stdio: 'pipe' });
  } catch (error) {
    return `\`ip netns add\` failed: ${stderrOf(error)}`;
  }
  try {
    execFileSync(ip, ['netns', 'exec', name, ip, 'link', 'set', 'lo', 'up'], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `\`ip netns exec\` failed: ${stderrOf(error)}`;
  } finally {
    try {
      execFileSync(ip, ['netns', 'del', name], { stdio: 'pipe' });
    } catch {
      // Reported by the next run's check if it really sticks.
    }
  }
}

function stderrOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'stderr' in error) {
    const text = String((error as { stderr: unknown }).stderr).trim();
    if (text) return text;
  }
  return error instanceof Error ? error.message : String(error);
}

export interface SystemCheck {
  readonly ok: boolean;
  /** Human-readable lines: what is missing and what to do. Empty when ok. */
  readonly problems: string[];
}

/**
 * Makes sure every tool is there (installing through apt when root) and that network
 * namespaces can be created. Never throws; the caller decides what to do with problems.
 */
export function ensureSystem(options: { install?: boolean } = {}): SystemCheck {
  const problems: string[] = [];
  let missing = missingTools();
  const packages = packagesFor(missing);
  if (packages.length > 0 && options.install !== false && installWithApt(packages)) missing = missingTools();
  problems.push(...missingToolProblems(missing));
  const netnsProblem = checkNetnsPermission();
  if (netnsProblem !== null) {
    problems.push(`cannot create a network namespace: ${netnsProblem}`);
    problems.push('the end-to-end tests need root (or CAP_SYS_ADMIN + CAP_NET_ADMIN) to run `ip netns add`');
  }
  return { ok: problems.length === 0, problems };
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const result = ensureSystem();
  if (result.ok) {
    console.log('ensure-system: all tools present, network namespaces work');
  } else {
    for (const line of result.problems) console.error(`ensure-system: ${line}`);
    process.exit(1);
  }
}
