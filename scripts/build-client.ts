// Bundles the browser client (client/main.ts and the protocol module it imports) into
// public/app.js. esbuild, because it does this in tens of milliseconds with no config.

import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildClient(options: { minify?: boolean } = {}): Promise<void> {
  await build({
    absWorkingDir: root,
    // The page, and the worker that hashes files off its main thread (client/files/hash.ts).
    entryPoints: [
      { in: 'client/main.ts', out: 'app' },
      { in: 'client/files/hash-worker.ts', out: 'hash-worker' },
    ],
    outdir: 'public',
    bundle: true,
    format: 'esm',
    target: ['chrome109', 'firefox115', 'safari16'],
    sourcemap: true,
    minify: options.minify ?? true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  await buildClient();
  console.log(`client bundle built in ${Math.round(performance.now() - started)} ms → public/app.js`);
}
