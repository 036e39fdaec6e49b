// scripts/test.ts (`npm test`) as an operator calls it: --help says how, an unknown argument
// is refused with the same text, both before any suite starts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/test.ts', import.meta.url));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

test('npm test -- --help prints its usage and exits 0; an unknown argument exits 2 with it', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^usage: npm test \[-- --only=unit\|e2e\]/);
  const unknown = await run(['--onyl=unit']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^unknown argument --onyl=unit\nusage: npm test/);
  assert.equal(unknown.stdout, '', 'no suite started');
});
