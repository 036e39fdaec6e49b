// A test process killed outright (the runner's file timeout, a stopped run) takes its
// redis-server with it: nothing of a test outlives it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { accepts } from './redis-support.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a test process killed with SIGKILL leaves no redis-server behind (its 'exit' handler never runs)", async () => {
  const script =
    "import { startRedis } from './test/redis-support.ts'; const r = await startRedis(); console.log('port', r.port); setInterval(() => {}, 1000);";
  const testProcess = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    testProcess.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /port (\d+)/.exec(output);
      if (found) resolve(Number(found[1]));
    });
    testProcess.once('exit', (code) => reject(new Error(`the test process exited (${code}) before its Redis was up`)));
  });
  assert.equal(await accepts(port), true, 'its redis-server is up');
  const exited = once(testProcess, 'exit');
  testProcess.kill('SIGKILL');
  await exited;
  // The kernel kills the child as the parent goes; give the exit a moment to reach the port.
  const deadline = Date.now() + 10_000;
  while ((await accepts(port)) && Date.now() < deadline) await sleep(50);
  assert.equal(await accepts(port), false, `the redis-server on port ${port} outlived its test process`);
});
