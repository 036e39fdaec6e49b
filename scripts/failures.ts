// What failed, a few lines each, for the end of `npm test`'s output (scripts/test.ts). A CI
// log is often kept only from its end: there a failure's name stood in the summary, but
// its error had scrolled up past the attachments (the shared server's log, thousands of
// lines), and a failure seen once could not be told apart from the other steps of its test.

/** Lines of an error kept per failure: the message's start says what was expected. */
const ERROR_LINES = 8;
/** Failures listed at most: past that, the count says the rest. */
const MOST_FAILURES = 10;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape that starts a colour code
const ANSI = /\u001b\[[0-9;]*m/g;

/** The first lines of `text` that say something, colours and blank lines dropped. */
function firstLines(text: string): string[] {
  const lines = text
    .replace(ANSI, '')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const kept = lines.slice(0, ERROR_LINES);
  if (lines.length > ERROR_LINES) kept.push('…');
  return kept;
}

function listed(failures: readonly string[][]): string[] {
  const shown = failures.slice(0, MOST_FAILURES).flat();
  if (failures.length > MOST_FAILURES) shown.push(`… and ${failures.length - MOST_FAILURES} more failures`);
  return shown;
}

interface ReportError {
  message?: string;
  location?: { file?: string; line?: number; column?: number };
}
interface ReportTest {
  status?: string;
  projectName?: string;
  results?: { status?: string; errors?: ReportError[] }[];
}
interface ReportSpec {
  title?: string;
  file?: string;
  line?: number;
  tests?: ReportTest[];
}
interface ReportSuite {
  specs?: ReportSpec[];
  suites?: ReportSuite[];
}
interface Report {
  suites?: ReportSuite[];
  errors?: ReportError[];
}

/** Where an error was thrown, the repo's path left out. */
const where = (location: ReportError['location']): string =>
  `${location?.file?.replace(/^.*\/e2e\//, 'e2e/') ?? '?'}:${location?.line ?? '?'}`;

/**
 * Each failed test of a Playwright JSON report (failed on every try: a flaky one passed), as
 * its file, line and title, then its last try's first error: where it was thrown and its
 * message's first lines. Errors outside any test (a global setup's) come too.
 */
export function playwrightFailures(report: Report): string[] {
  const failures: string[][] = [];
  const walk = (suite: ReportSuite): void => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const last = test.results?.at(-1);
        const error = last?.errors?.[0];
        const project = test.projectName ? `[${test.projectName}] ` : '';
        failures.push([
          `✘ ${project}e2e/${spec.file ?? '?'}:${spec.line ?? '?'} ${spec.title ?? ''} (${last?.status ?? 'failed'})`,
          ...(error
            ? [`  at ${where(error.location)}`, ...firstLines(error.message ?? '').map((line) => `  ${line}`)]
            : []),
        ]);
      }
    }
    for (const inner of suite.suites ?? []) walk(inner);
  };
  for (const suite of report.suites ?? []) walk(suite);
  for (const error of report.errors ?? []) {
    failures.push([
      `✘ outside any test, at ${where(error.location)}`,
      ...firstLines(error.message ?? '').map((l) => `  ${l}`),
    ]);
  }
  return listed(failures);
}

/**
 * Each failed test of node's TAP report, as its name, where it is and its error's first
 * lines. A test failed only because a subtest did is left out: the subtest is listed.
 */
export function tapFailures(tap: string): string[] {
  const failures: string[][] = [];
  const lines = tap.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i] ?? '');
    if (!head) continue;
    const indent = `${head[1] ?? ''}  `;
    // The YAML block after it: `---`, keys at `indent`, `...`.
    const fields = new Map<string, string[]>();
    let key: string | null = null;
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (line === `${indent}...`) break;
      if (line === `${indent}---`) continue;
      const field = line.startsWith(indent) ? /^([A-Za-z_]+):\s?(.*)$/.exec(line.slice(indent.length)) : null;
      if (field?.[1] !== undefined) {
        key = field[1];
        const value = field[2] ?? '';
        fields.set(key, value === '|-' || value === '|' ? [] : [unquote(value)]);
      } else if (key !== null && line.startsWith(`${indent}  `)) {
        fields.get(key)?.push(line.slice(indent.length + 2));
      } else if (!line.startsWith(indent)) break;
    }
    if (fields.get('failureType')?.[0] === 'subtestsFailed') continue;
    const location = fields.get('location')?.[0];
    failures.push([
      `✘ ${head[2] ?? ''}${location ? ` (${location.replace(/^.*\/test\//, 'test/')})` : ''}`,
      ...firstLines((fields.get('error') ?? []).join('\n')).map((line) => `  ${line}`),
    ]);
  }
  return listed(failures);
}

/** A YAML scalar as the TAP reporter writes it: 'quoted' ('' for a quote), or bare. */
function unquote(value: string): string {
  return value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1).replaceAll("''", "'") : value;
}
