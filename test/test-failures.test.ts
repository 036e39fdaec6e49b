// scripts/failures.ts: the failures npm test lists at its end, read from the reports its two
// runners really write (node's TAP, Playwright's JSON) for files with failing tests in them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { playwrightFailures, tapFailures } from '../scripts/failures.ts';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
// Inside the repo: the spec below imports @playwright/test from its node_modules.
mkdirSync(join(repoRoot, '.tmp'), { recursive: true });
const dir = mkdtempSync(join(repoRoot, '.tmp', 'failures-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: repoRoot, env, maxBuffer: 16 << 20 }, (_error, stdout) => resolve(stdout));
  });
}

test("node's TAP: each failed test with where it is and its error's first lines; a parent failed by its subtest is not listed", async () => {
  const file = join(dir, 'failing.test.mjs');
  writeFileSync(
    file,
    [
      "import test from 'node:test'; import assert from 'node:assert/strict';",
      "test('outer', async (t) => {",
      "  await t.test('inner fails', () => assert.equal(1, 2));",
      "  await t.test('inner passes', () => {});",
      '});',
      'test("thrown, it\'s long", () => { throw new Error(Array.from({ length: 20 }, (_, i) => "line " + i).join("\\n")); });',
      "test('passes', () => {});",
    ].join('\n'),
  );
  // Without the variable that makes a `node --test` run under another report to it instead.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const tap = await run(process.execPath, ['--test', '--test-reporter=tap', file], env);
  assert.match(tap, /# fail 3/, 'the report has the two failures and their parent');
  const lines = tapFailures(tap);
  assert.equal(lines.filter((line) => line.startsWith('✘')).length, 2, lines.join('\n'));
  const inner = lines.findIndex((line) => line.startsWith('✘ inner fails ('));
  assert.ok(inner >= 0, lines.join('\n'));
  assert.match(lines[inner] ?? '', /failing\.test\.mjs:3:\d+\)$/);
  assert.equal(lines[inner + 1], '  Expected values to be strictly equal:');
  assert.ok(lines.slice(inner, inner + 6).includes('  1 !== 2'), lines.join('\n'));
  const thrown = lines.findIndex((line) => line.startsWith("✘ thrown, it's long ("));
  assert.deepEqual(lines.slice(thrown + 1), [...Array.from({ length: 8 }, (_, i) => `  line ${i}`), '  …']);
  assert.ok(!lines.some((line) => line.includes('outer') || line.includes('passes')), lines.join('\n'));
  assert.deepEqual(tapFailures(tap.replace(/not ok/g, 'ok')), [], 'nothing failed, nothing listed');
});

test("Playwright's JSON: each test failed on every try, with its project, file, line, the line it failed at and its error", async () => {
  const specDir = join(dir, 'e2e');
  const report = join(dir, 'report.json');
  writeFileSync(
    join(dir, 'playwright.config.mjs'),
    `export default { testDir: ${JSON.stringify(specDir)}, retries: 1, projects: [{ name: 'one' }], reporter: [['json', { outputFile: ${JSON.stringify(report)} }]] };`,
  );
  mkdirSync(specDir);
  writeFileSync(
    join(specDir, 'some.spec.mjs'),
    [
      "import { test, expect } from '@playwright/test';",
      "test('fails each time', () => {",
      '  expect(1 + 1, "one and one").toBe(3);',
      '});',
      "test('fails once, then passes', ({}, info) => { if (info.retry === 0) throw new Error('first try'); });",
      "test('passes', () => {});",
    ].join('\n'),
  );
  await run(join(repoRoot, 'node_modules', '.bin', 'playwright'), [
    'test',
    '--config',
    join(dir, 'playwright.config.mjs'),
  ]);
  const lines = playwrightFailures(JSON.parse(readFileSync(report, 'utf8')));
  assert.equal(lines[0], '✘ [one] e2e/some.spec.mjs:2 fails each time (failed)', lines.join('\n'));
  assert.match(lines[1] ?? '', /^ {2}at .*some\.spec\.mjs:3$/);
  assert.deepEqual(lines.slice(2, 6), [
    '  Error: one and one',
    '  expect(received).toBe(expected) // Object.is equality',
    '  Expected: 3',
    '  Received: 2',
  ]);
  assert.ok(!lines.some((line) => /fails once|passes/.test(line)), 'a flaky or passing test is not listed');
  assert.ok(!lines.some((line) => line.includes('\u001b')), 'no colour codes');
});
