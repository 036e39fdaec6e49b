// The unit and integration files through node's test runner, started in the order given
// (scripts/test.ts puts the slowest first). `node --test <files>` sorts the files it is given
// on Node 20, so the order scripts/test.ts chose was lost and the slowest files, starting
// late in the alphabet (membership, resume-server), were the run's tail; run() keeps it.
//
//   node --import tsx scripts/unit-runner.ts <tap report> <files at a time> <timeout ms> <files…>
//
// Each file runs in a process of its own with this process's flags (tsx) and fails if it has
// not ended within the timeout (what `--test-timeout` does to a file under `node --test` on
// Node 20). The spec reporter writes to stdout, TAP to the report scripts/test.ts counts.

import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';

const [report, atATime, timeoutMs, ...files] = process.argv.slice(2);
const concurrency = Number(atATime);
const timeout = Number(timeoutMs);
if (report === undefined || !(concurrency >= 1) || !(timeout > 0) || files.length === 0) {
  console.error('usage: unit-runner.ts <tap report> <files at a time> <timeout ms> <files…>');
  process.exit(2);
}

const stream = run({ files: files.map((file) => resolve(file)), concurrency, timeout });
// A failed test (a crashed file counts as one) fails the run, as with `node --test`.
stream.on('test:fail', (data: { todo?: unknown }) => {
  if (data.todo === undefined || data.todo === false) process.exitCode = 1;
});
await Promise.all([
  pipeline(stream.compose(spec), process.stdout, { end: false }),
  pipeline(stream.compose(tap), createWriteStream(report)),
]);
