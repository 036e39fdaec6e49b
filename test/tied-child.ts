// A child process that dies with this one, however this one ends. An 'exit' handler runs
// only when Node exits on its own: a test file the runner kills at its timeout, or a run
// stopped with SIGKILL, left its redis-servers running for good (each holding a port and
// memory, and later runs slower). The kernel's parent-death signal (prctl
// PR_SET_PDEATHSIG, set by util-linux's setpriv, which then execs the command) sends the
// child SIGKILL the moment its parent goes. The child's pid is the command's own (setpriv
// execs), so killing it by pid works as before.
import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from 'node:child_process';

const SETPRIV = 'setpriv';

let checked = false;
function ensureSetpriv(): void {
  if (checked) return;
  const found = spawnSync(SETPRIV, ['--pdeathsig', 'KILL', '--', 'true']);
  if (found.error || found.status !== 0) {
    throw new Error(
      'setpriv (util-linux) is missing or cannot set a parent-death signal; test servers are started through it so that they never outlive a killed test: apt-get install -y util-linux',
    );
  }
  checked = true;
}

export function spawnTied(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  ensureSetpriv();
  return spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args], options);
}
