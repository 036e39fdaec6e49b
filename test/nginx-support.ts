// nginx in front of roomlink nodes, as deploy/nginx.conf.template renders it: its own process
// on a free port of 127.0.0.1, its files in a temporary folder, stopped by pid. (e2e/cluster.spec.ts
// runs it in a network namespace with browsers; tests that only need HTTP through it use this.)
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNginxConf } from '../deploy/nginx.ts';
import { findTool } from '../scripts/ensure-system.ts';
import { accepts, freePort } from './redis-support.ts';
import { spawnTied } from './tied-child.ts';

const START_TIMEOUT_MS = 10_000;

export interface NginxProcess {
  url: string;
  stop(): Promise<void>;
}

/** nginx on a free port, routing to these nodes ("127.0.0.1:port"). */
export async function startNginx(nodes: readonly string[]): Promise<NginxProcess> {
  const nginx = findTool('nginx');
  if (nginx === null) throw new Error('nginx is not installed; apt-get install -y nginx-light');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rl-nginx-'));
  chmodSync(dir, 0o755); // its workers run as nobody
  writeFileSync(join(dir, 'nginx.conf'), renderNginxConf({ listen: `127.0.0.1:${port}`, nodes }));
  const child: ChildProcess = spawnTied(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', () => child.kill('SIGKILL'));
  const until = Date.now() + START_TIMEOUT_MS;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > until) {
      await stop();
      throw new Error(`nginx did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}
