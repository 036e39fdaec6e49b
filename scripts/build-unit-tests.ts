// The unit and integration test files as `npm test` runs them: node's test runner, itself
// without tsx, starts each file in a process with its own flags, so the files it is given
// are plain JavaScript. tsx's start is most of a small file's cost: `node --import tsx -e 0`
// takes 0.5 CPU-s here against 0.1 for node alone, and the unit phase is CPU-bound on two
// cores (2 % idle through it).
//
// - The client's files (test/client/*.test.ts) test plain TypeScript with no file or process
//   of its own to find: each is bundled, and runs without tsx (a bundle of reactions.test.ts
//   on 1.1 CPU-s against 1.7 under tsx, clock.test.ts on 0.16 against 0.5; the 92 of them on
//   50 CPU-s against 98). The bundles go to .tmp/unit-client/, two levels below the
//   repository root as test/client/ is, so `import.meta.url` and node_modules resolve from
//   them as from the sources; their source maps are inline, so a failure's stack names the
//   TypeScript line (the runner runs with --enable-source-maps, which each file inherits).
// - The others start servers, Redis and processes, and find files from where they are: each
//   runs as it is, under tsx, through a one-line module in .tmp/unit-shims/ that loads tsx
//   first, as `--import tsx` would.
// One runner, one pool of four files at a time, for both: run one after the other, the
// client's would leave the machine part idle at their end and the rest at theirs.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLIENT_DIR = join(root, '.tmp', 'unit-client');
const SHIM_DIR = join(root, '.tmp', 'unit-shims');
/** scripts/unit-runner.ts, bundled: run by node alone, it starts each file without tsx. */
export const BUNDLED_RUNNER = join(root, '.tmp', 'unit-runner.mjs');

/** Whether a test file (a path from the root) is one of the client's, which run bundled. */
export const isClientTest = (file: string): boolean => /^test[\\/]client[\\/][^\\/]+\.test\.ts$/.test(file);

/**
 * Bundles the runner and the client's test files, and writes a shim for each other file;
 * resolves with what the runner is to be given for each file (absolute paths), in the order given.
 */
export async function prepareUnitTests(files: readonly string[]): Promise<string[]> {
  rmSync(CLIENT_DIR, { recursive: true, force: true });
  rmSync(SHIM_DIR, { recursive: true, force: true });
  mkdirSync(SHIM_DIR, { recursive: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies stay imports, found in node_modules as the sources find them.
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  } as const;
  const clientFiles = files.filter(isClientTest);
  await Promise.all([
    clientFiles.length === 0
      ? Promise.resolve()
      : build({ ...common, entryPoints: clientFiles, outdir: CLIENT_DIR, outExtension: { '.js': '.mjs' } }),
    build({ ...common, entryPoints: ['scripts/unit-runner.ts'], outfile: BUNDLED_RUNNER }),
  ]);
  return files.map((file) => {
    if (isClientTest(file)) return join(CLIENT_DIR, basename(file).replace(/\.ts$/, '.mjs'));
    // Named after the file, so the runner's report names it too.
    const shim = join(
      SHIM_DIR,
      file
        .replace(/^test[\\/]/, '')
        .replace(/[\\/]/g, '--')
        .replace(/\.ts$/, '.mjs'),
    );
    writeFileSync(shim, `import 'tsx';\nawait import(${JSON.stringify(pathToFileURL(join(root, file)).href)});\n`);
    return shim;
  });
}
