// `npm test`: system check, type check, build (page and server bundles), unit + integration tests (node's test
// runner; the client's bundled, the rest under tsx: scripts/build-unit-tests.ts), end-to-end
// tests (Playwright). Output streams live; each suite also writes a machine-readable report
// that is counted at the end, which prints `N passed, M failed` and how long each suite took.
//
//   npm test                   everything
//   npm test -- --only=unit    system check, type check, build, test/**/*.test.ts
//   npm test -- --only=e2e     system check, type check, build, e2e/*.spec.ts

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_RUNNER, prepareUnitTests } from './build-unit-tests.ts';
import { ensureSystem } from './ensure-system.ts';
import { playwrightFailures, tapFailures } from './failures.ts';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const reportDir = join(repoRoot, '.tmp');
const unitReport = join(reportDir, 'unit.tap');
const e2eReport = join(reportDir, 'e2e-results.json');
const bin = (name: string): string => join(repoRoot, 'node_modules', '.bin', name);

type Part = 'unit' | 'e2e';

interface Tally {
  passed: number;
  failed: number;
  /** One line per step for the closing summary. */
  lines: string[];
}

const USAGE = 'usage: npm test [-- --only=unit|e2e]   (CHROMIUM_PATH: another Chromium than /usr/bin/chromium)';

function parseArgs(argv: readonly string[]): Set<Part> {
  const parts = new Set<Part>(['unit', 'e2e']);
  for (const arg of argv) {
    const only = /^--only=(unit|e2e)$/.exec(arg)?.[1];
    if (only === 'unit' || only === 'e2e') {
      parts.clear();
      parts.add(only);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`unknown argument ${arg}\n${USAGE}`);
      process.exit(2);
    }
  }
  return parts;
}

/**
 * The unit files that take longest (20–50 s each, mostly waiting on Redis, Redis Cluster
 * failover and heartbeats), started first: at four at a time, a long file started last
 * is the suite's tail. `node --test` sorts the files it is given on Node 20, so this order
 * was lost (resume-server.test.ts started 138 s into a run of 196 s and ended it); through
 * scripts/unit-runner.ts, which keeps it, the same files took 174 s. Only the order
 * depends on this list; a file missing from it still runs.
 */
const SLOW_UNIT_FILES = [
  'redis-cluster.test.ts',
  'cluster.test.ts',
  'resume-server.test.ts',
  'membership-lapse.test.ts',
  'cluster-faults.test.ts',
  'membership.test.ts',
  'membership-heartbeats.test.ts',
  'entry.test.ts',
  'bench-smoke.test.ts',
  // A Playwright run of its own: ~10 s.
  'test-failures.test.ts',
  // The client's slowest: 16, 10 and 9 s; the others take under 5.
  'client/relay.test.ts',
  'client/files-feature.test.ts',
  'client/receipts.test.ts',
];

function slowFirst(a: string, b: string): number {
  const rank = (name: string): number => {
    const index = SLOW_UNIT_FILES.indexOf(name);
    return index === -1 ? SLOW_UNIT_FILES.length : index;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

let interrupted = false;

/** Seconds since `started`, for the summary: what each suite costs of the 15-minute budget. */
const secondsSince = (started: number): string => `${Math.round((Date.now() - started) / 1000)} s`;

/** The command as the log shows it: `$ ` and the line, the repo's own path left out. */
const commandLine = (command: string, args: readonly string[]): string =>
  `\n$ ${[command.startsWith(repoRoot) ? command.slice(repoRoot.length) : command, ...args].join(' ')}`;

/** Runs a command with inherited stdio; resolves with its exit code (signals count as 1). */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  console.log(commandLine(command, args));
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.once('error', (error) => {
      console.error(`could not run ${command}: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** Runs a command with its output held, then printed whole with the command line. */
function runQuietly(command: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    let settled = false;
    const done = (code: number, error?: string) => {
      if (settled) return;
      settled = true;
      console.log(commandLine(command, args));
      process.stdout.write(Buffer.concat(output));
      if (error !== undefined) console.error(`could not run ${command}: ${error}`);
      resolve(code);
    };
    child.once('error', (error) => done(1, error.message));
    child.once('close', (code) => done(code ?? 1));
  });
}

function heading(text: string): void {
  console.log(`\n=== ${text} ===`);
}

function step(tally: Tally, name: string, ok: boolean): boolean {
  tally.lines.push(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  if (!ok) tally.failed += 1;
  return ok;
}

/** Counts from the TAP summary (`# pass N`, `# fail N`, `# cancelled N`). */
function countTap(path: string): { passed: number; failed: number } | null {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  const count = (label: string): number | null => {
    const match = new RegExp(`^# ${label} (\\d+)$`, 'm').exec(text);
    return match?.[1] === undefined ? null : Number(match[1]);
  };
  const passed = count('pass');
  const failed = count('fail');
  if (passed === null || failed === null) return null;
  return { passed, failed: failed + (count('cancelled') ?? 0) };
}

interface PlaywrightStats {
  expected?: number;
  unexpected?: number;
  flaky?: number;
  skipped?: number;
}

/** Counts from Playwright's JSON report (flaky tests passed on a retry: counted as passed). */
function countPlaywright(path: string): { passed: number; failed: number } | null {
  if (!existsSync(path)) return null;
  try {
    const report = JSON.parse(readFileSync(path, 'utf8')) as { stats?: PlaywrightStats; errors?: unknown[] };
    const stats = report.stats;
    if (stats === undefined) return null;
    const errors = report.errors?.length ?? 0;
    return { passed: (stats.expected ?? 0) + (stats.flaky ?? 0), failed: (stats.unexpected ?? 0) + errors };
  } catch {
    return null;
  }
}

function addCounts(
  tally: Tally,
  name: string,
  exitCode: number,
  counts: { passed: number; failed: number } | null,
): void {
  if (counts === null) {
    // The runner died before reporting: count the suite as one failure.
    step(tally, `${name}: no report (exit code ${exitCode})`, false);
    return;
  }
  tally.passed += counts.passed;
  tally.failed += counts.failed;
  // A non-zero exit without a failed test (a crash after the report, a load error) still fails.
  const ok = exitCode === 0 && counts.failed === 0;
  tally.lines.push(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${counts.passed} passed, ${counts.failed} failed`);
  if (exitCode !== 0 && counts.failed === 0) tally.failed += 1;
}

/** What failed in the suites' reports, each with its error's first lines (scripts/failures.ts). */
function failuresIn(parts: ReadonlySet<Part>): string[] {
  const lines: string[] = [];
  try {
    if (parts.has('unit') && existsSync(unitReport)) lines.push(...tapFailures(readFileSync(unitReport, 'utf8')));
    if (parts.has('e2e') && existsSync(e2eReport)) {
      lines.push(...playwrightFailures(JSON.parse(readFileSync(e2eReport, 'utf8'))));
    }
  } catch (error) {
    lines.push(`(could not read the reports: ${error instanceof Error ? error.message : error})`);
  }
  return lines;
}

async function main(): Promise<void> {
  const parts = parseArgs(process.argv.slice(2));
  const tally: Tally = { passed: 0, failed: 0, lines: [] };
  const started = Date.now();
  mkdirSync(reportDir, { recursive: true });

  // Ctrl-C reaches the children too (same process group); let them clean up, then stop.
  process.on('SIGINT', () => {
    interrupted = true;
  });

  heading('system check');
  const system = ensureSystem();
  for (const line of system.problems) console.error(`ensure-system: ${line}`);
  if (system.ok) console.log('all tools present, network namespaces work');
  step(tally, 'system check', system.ok);

  heading('type check');
  // Two projects at a time on two cores (tsc is single-threaded: one after another took 9 s
  // on 15 CPU-s), each one's errors printed whole once it ends, not interleaved.
  const projects = [
    'tsconfig.json',
    'client/tsconfig.json',
    'bench/pages/tsconfig.json',
    'test/client/tsconfig.json',
    'e2e/pages/tsconfig.json',
  ];
  // Each lane takes the next project left when it is free.
  const left = [...projects];
  const checked = await Promise.all(
    [0, 1].map(async () => {
      let ok = true;
      for (let project = left.shift(); project !== undefined; project = left.shift()) {
        if (interrupted) return false;
        ok = (await runQuietly(bin('tsc'), ['--noEmit', '-p', project])) === 0 && ok;
      }
      return ok;
    }),
  );
  step(tally, 'type check', checked.every(Boolean));

  heading('format and lint (Biome)');
  const linted = !interrupted && (await run(bin('biome'), ['ci', '.'])) === 0;
  step(tally, 'format and lint', linted);

  heading('build');
  const built = !interrupted && (await run('npm', ['run', '--silent', 'build'])) === 0;
  step(tally, 'build', built);

  if (parts.has('unit') && !interrupted) {
    heading('unit and integration tests');
    const testDir = join(repoRoot, 'test');
    const files = existsSync(testDir)
      ? readdirSync(testDir, { recursive: true, encoding: 'utf8' })
          .filter((name) => name.endsWith('.test.ts'))
          .sort(slowFirst)
          .map((name) => join('test', name))
      : [];
    if (files.length === 0) {
      console.log('no test/**/*.test.ts files');
      tally.lines.push('ok   unit and integration: no test files');
    } else {
      rmSync(unitReport, { force: true });
      const unitStarted = Date.now();
      // The client's files bundled, the others through tsx (scripts/build-unit-tests.ts says why).
      let prepared: string[] | null = null;
      try {
        prepared = await prepareUnitTests(files);
      } catch (error) {
        console.error(`could not prepare the unit tests: ${error instanceof Error ? error.message : error}`);
      }
      if (prepared === null) {
        step(tally, 'unit and integration: not prepared', false);
      } else {
        const code = await run(process.execPath, [
          '--enable-source-maps',
          BUNDLED_RUNNER,
          // The spec reporter on stdout, TAP here.
          unitReport,
          // Four test files at a time on two cores: most of the slow ones' time is waiting on
          // servers, Redis timeouts and heartbeats (the suite used 130 CPU-s in 144 s at two
          // at a time, 107 s at four), and each starts its own servers on free ports.
          '4',
          // A file that hangs fails with its name after this long instead of holding the run:
          // the slowest takes ~50 s, and hostile-load.test.ts once ran 9 min without ending (at
          // six files at a time; not seen again in 9 runs alone or beside CPU hogs).
          '120000',
          ...prepared,
        ]);
        addCounts(tally, `unit and integration (${secondsSince(unitStarted)})`, code, countTap(unitReport));
      }
    }
  }

  if (parts.has('e2e') && !interrupted) {
    heading('end-to-end tests (Playwright, Chromium in network namespaces)');
    if (!system.ok || !built) {
      const why = system.ok ? 'the bundles did not build' : 'the system check failed';
      console.error(`skipping the end-to-end tests: ${why}`);
      step(tally, `end-to-end: skipped because ${why}`, false);
    } else {
      rmSync(e2eReport, { force: true });
      const e2eStarted = Date.now();
      // The bundles were built above: the e2e global setup need not build them again.
      const code = await run(bin('playwright'), ['test'], {
        ...process.env,
        RL_E2E_JSON: e2eReport,
        RL_BUNDLES_BUILT: '1',
      });
      addCounts(tally, `end-to-end (${secondsSince(e2eStarted)})`, code, countPlaywright(e2eReport));
    }
  }

  heading(`summary (${secondsSince(started)})`);
  if (interrupted) step(tally, 'interrupted', false);
  for (const line of tally.lines) console.log(line);
  if (tally.failed > 0) for (const line of failuresIn(parts)) console.log(line);
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exitCode = tally.failed > 0 ? 1 : 0;
}

await main();
