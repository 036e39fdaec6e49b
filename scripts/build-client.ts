// Bundles the browser client into public/ as two scripts: app.js, the entry (client/boot.ts:
// the room, the socket, the join, our key), and main.js, the rest of the client, which
// app.js imports once joining has started (index.html preloads it, so it downloads and
// compiles meanwhile). Two independent bundles rather than esbuild's code splitting: with
// a shared chunk, the socket could start only after a second, serial fetch. The few small
// modules both use (storage, identity) are in both. esbuild, because it does this in tens
// of milliseconds with no config.

import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildClient(options: { minify?: boolean } = {}): Promise<void> {
  await build({
    absWorkingDir: root,
    // Named entries: index.html loads app.js and preloads main.js by name; the workers hash
    // files to send and store received ones off the page's main thread (client/files/hash.ts,
    // client/files/store.ts).
    entryPoints: {
      app: 'client/boot.ts',
      main: 'client/main.ts',
      'hash-worker': 'client/files/hash-worker.ts',
      'store-worker': 'client/files/store-worker.ts',
    },
    outdir: 'public',
    // boot.ts imports the other bundle by its public path: left as it is.
    external: ['./main.js'],
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
  console.log(`client bundle built in ${Math.round(performance.now() - started)} ms → public/app.js, public/main.js`);
}
