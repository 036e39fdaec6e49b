// Pins a browser's processes to one CPU core (taskset, util-linux): the latency part runs
// each user's browser on a core of its own, as two people's machines are, next to the usual
// rounds where both browsers share the machine's two cores with each other.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findTool } from '../../scripts/ensure-system.ts';

/** Every thread of each process on `core` only; a process that has exited meanwhile is skipped. */
export function pinToCore(pids: readonly number[], core: number): void {
  const taskset = findTool('taskset');
  if (taskset === null) throw new Error('taskset (util-linux) is missing');
  const mask = (1 << core).toString(16);
  for (const pid of pids) {
    try {
      execFileSync(taskset, ['--all-tasks', '--pid', mask, String(pid)], { stdio: 'pipe' });
    } catch (error) {
      // A process that is gone has nothing left to pin; any other failure would leave the
      // "pinned" figures unpinned without a word.
      if (existsSync(`/proc/${pid}`)) {
        const said = String((error as { stderr?: Buffer }).stderr ?? '').trim();
        throw new Error(`taskset could not pin process ${pid} to core ${core}: ${said}`);
      }
    }
  }
}
