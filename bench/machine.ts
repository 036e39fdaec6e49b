// What the numbers were measured on: machine, load, versions, date. Read once per run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromiumPath } from '../scripts/ensure-system.ts';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

export interface MachineInfo {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  kernel: string;
  /** 1-minute load average at the start and the end: other work on the machine skews results. */
  loadAverage: { start: number; end: number | null };
  versions: { node: string; chromium: string; socketIo: string; roomlink: string; redis: string };
}

function packageVersion(path: string): string {
  try {
    return (JSON.parse(readFileSync(`${repoRoot}${path}`, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function commandOutput(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    date: new Date().toISOString(),
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    loadAverage: { start: loadavg()[0] ?? Number.NaN, end: null },
    versions: {
      node: process.version,
      chromium: commandOutput(chromiumPath(), ['--version']),
      socketIo: packageVersion('node_modules/socket.io/package.json'),
      roomlink: packageVersion('package.json'),
      redis: /v=(\S+)/.exec(commandOutput('redis-server', ['--version']))?.[1] ?? 'unknown',
    },
  };
}

export function finishMachineInfo(info: MachineInfo): void {
  info.loadAverage.end = loadavg()[0] ?? Number.NaN;
}

/**
 * CPU time the machine has spent busy, every core and every process, in ms (from /proc/stat
 * through os.cpus()): the difference across a measurement is what it cost the machine,
 * whichever process did the work — the pages, the browser, the server. On a saturated
 * machine wall-clock figures swing with whatever else runs; this one moves with the work.
 */
export function machineBusyMs(): number {
  return cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);
}
