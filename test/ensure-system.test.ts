// The system check's advice (scripts/ensure-system.ts): what it installs and what it tells
// the user, for Debian's Chromium and for one CHROMIUM_PATH names; which of them a test runs.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import {
  chromiumPath,
  findTool,
  HEADLESS_SHELL_PATH,
  missingToolProblems,
  systemTools,
  testChromium,
} from '../scripts/ensure-system.ts';

const chromiumOf = (env: Record<string, string>) => systemTools(env).find((tool) => tool.name === 'chromium');

test("Debian's Chromium is installed by its package; an empty CHROMIUM_PATH counts as unset", () => {
  for (const env of [{}, { CHROMIUM_PATH: '' }]) {
    assert.equal(chromiumPath(env), '/usr/bin/chromium');
    const chromium = chromiumOf(env);
    assert.ok(chromium);
    const problems = missingToolProblems([chromium]).join('\n');
    assert.match(problems, /^missing chromium \(\/usr\/bin\/chromium\)/);
    assert.match(problems, /apt-get install -y chromium$/m);
    assert.match(problems, /or point CHROMIUM_PATH at/);
  }
});

test('a CHROMIUM_PATH that is no executable is said so, and no package is offered for it', () => {
  const env = { CHROMIUM_PATH: '/opt/nowhere/chrome' };
  assert.equal(chromiumPath(env), '/opt/nowhere/chrome');
  const chromium = chromiumOf(env);
  assert.ok(chromium);
  assert.equal(chromium.debianPackage, null);
  assert.deepEqual(missingToolProblems([chromium]), [
    `CHROMIUM_PATH is "/opt/nowhere/chrome", which is no executable file: point it at a Chromium or Chrome binary, or unset it for Debian's`,
  ]);
  // Beside another missing tool, only that tool's package is offered.
  const nginx = systemTools(env).find((tool) => tool.name === 'nginx');
  assert.ok(nginx);
  const both = missingToolProblems([chromium, nginx]);
  assert.equal(both.at(-1), 'install them as root: apt-get update && apt-get install -y nginx-light');
});

test('a directory is no tool, and an empty name is none (both were found: access(X_OK) passes a directory)', () => {
  assert.equal(findTool(tmpdir()), null);
  assert.equal(findTool(''), null);
  assert.match(findTool('sh') ?? '', /\/sh$/, 'a real one is still found on PATH');
});

test("the tests run Debian's headless shell, the full browser when asked or with the fake camera; CHROMIUM_PATH runs everywhere", () => {
  const fakeMedia = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
  const moreCameras = ['--use-fake-device-for-media-stream=device-count=3'];
  assert.equal(testChromium([], false, {}), HEADLESS_SHELL_PATH);
  assert.equal(testChromium(['--lang=fr'], false, { CHROMIUM_PATH: '' }), HEADLESS_SHELL_PATH);
  assert.equal(testChromium([], true, {}), '/usr/bin/chromium');
  assert.equal(testChromium(fakeMedia, false, {}), '/usr/bin/chromium');
  assert.equal(testChromium(moreCameras, false, {}), '/usr/bin/chromium');
  for (const args of [[], fakeMedia])
    for (const full of [false, true])
      assert.equal(testChromium(args, full, { CHROMIUM_PATH: '/opt/chrome' }), '/opt/chrome');
  // Both Debian packages are checked for, and neither when CHROMIUM_PATH chose the binary.
  const packages = (env: Record<string, string>) => systemTools(env).map((tool) => tool.debianPackage);
  assert.ok(packages({}).includes('chromium') && packages({}).includes('chromium-headless-shell'));
  assert.ok(!packages({ CHROMIUM_PATH: '/opt/chrome' }).some((name) => name?.startsWith('chromium')));
});
