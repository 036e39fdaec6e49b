// `npm run bench`'s command line (bench/options.ts): --help asks for the usage, which names
// every part; an unknown flag or part, or a malformed number, stops the run with a reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PARTS, parseOptions, USAGE, wantsHelp } from '../bench/options.ts';

test('--help or -h asks for the usage, which names every part', () => {
  assert.equal(wantsHelp(['--only=mesh', '--help']), true);
  assert.equal(wantsHelp(['-h']), true);
  assert.equal(wantsHelp(['--only=mesh']), false);
  for (const part of PARTS) assert.ok(USAGE.includes(part), part);
  assert.match(USAGE, /--help/);
});

test('options parse; an unknown flag or part, or a malformed number, is refused with a reason', () => {
  const options = parseOptions(['--only=long,mesh', '--runs=3', '--quick'], '/tmp/out');
  assert.deepEqual([...options.parts], ['long', 'mesh']);
  assert.equal(options.runs, 3);
  assert.equal(options.quick, true);
  assert.throws(() => parseOptions(['--bogus'], '/tmp/out'), /unknown option --bogus/);
  assert.throws(() => parseOptions(['--only=mesh,nothing'], '/tmp/out'), /unknown part\(s\) nothing/);
  assert.throws(() => parseOptions(['--runs=0'], '/tmp/out'), /--runs wants whole numbers >= 1/);
  assert.throws(() => parseOptions(['--sizes=2,x'], '/tmp/out'), /--sizes/);
});
