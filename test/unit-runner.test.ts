// scripts/unit-runner.ts, which `npm test` runs the unit files through: it starts them in
// the order it is given (the slowest first), where `node --test` sorts them on Node 20; a
// failing file fails the run, and the TAP report counts it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const runner = fileURLToPath(new URL('../scripts/unit-runner.ts', import.meta.url));

/** Runs the runner one file at a time on test files that note their start in `order.txt`. */
function runFiles(dir: string, files: Record<string, string>): Promise<{ code: number; started: string[] }> {
  const order = join(dir, 'order.txt');
  writeFileSync(order, '');
  const names = Object.keys(files);
  for (const name of names) {
    writeFileSync(
      join(dir, name),
      `import { appendFileSync } from 'node:fs';\nimport { test } from 'node:test';\nappendFileSync(${JSON.stringify(order)}, ${JSON.stringify(`${name}\n`)});\ntest(${JSON.stringify(name)}, () => { ${files[name]} });\n`,
    );
  }
  const args = ['--import', 'tsx', runner, join(dir, 'report.tap'), '1', '60000', ...names.map((n) => join(dir, n))];
  return new Promise((resolve) => {
    // Without this test's own runner context: a process that has it reports to it instead of running files.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    execFile(process.execPath, args, { env }, (error) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, started: readFileSync(order, 'utf8').split('\n').filter(Boolean) });
    });
  });
}

test('the unit runner starts files in the order given, not sorted, and a failing one fails the run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-unit-runner-'));
  try {
    const passing = await runFiles(dir, { 'c.test.mjs': '', 'a.test.mjs': '', 'b.test.mjs': '' });
    assert.deepEqual(passing.started, ['c.test.mjs', 'a.test.mjs', 'b.test.mjs']);
    assert.equal(passing.code, 0);
    const failing = await runFiles(dir, { 'z.test.mjs': 'throw new Error("boom");', 'y.test.mjs': '' });
    assert.deepEqual(failing.started, ['z.test.mjs', 'y.test.mjs']);
    assert.equal(failing.code, 1);
    const report = readFileSync(join(dir, 'report.tap'), 'utf8');
    assert.match(report, /^# pass 1$/m);
    assert.match(report, /^# fail 1$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
