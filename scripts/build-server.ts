// Bundles the server (server.ts and everything it imports, node_modules included) into
// dist/server.mjs, which `npm start` and the end-to-end tests run. One file starts in about
// a third of the CPU time that `node --import tsx server.ts` needs (0.7 s against 2.1 s
// measured on this machine): no TypeScript transform and no module resolution of ~400
// files at each start, which the e2e suite pays once per test.
//
// dist/ sits one level below the repository root like server/, so `../public/` in
// server/web.ts still names the page's directory, and `require` from dist/ still finds
// node_modules (normalize.css is read from there).

import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_BUNDLE = 'dist/server.mjs';

/**
 * Another entry (the benchmark's server node) may be bundled the same way, to dist/ too.
 * Each gets its heartbeat thread bundled beside it (a worker runs a file of its own).
 */
export async function buildServer(entry = 'server.ts', outfile = SERVER_BUNDLE): Promise<void> {
  const name = outfile.replace(/^dist\//, '').replace(/\.mjs$/, '');
  await build({
    absWorkingDir: root,
    entryPoints: [
      { in: entry, out: name },
      // The membership heartbeat's thread, which server/heartbeat.ts finds beside the bundle.
      { in: 'server/heartbeat-thread.ts', out: `${name}.heartbeat` },
    ],
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // The map is for reading a stack offline, or at run time with NODE_OPTIONS=
    // --enable-source-maps, which `npm start` does not set: the first stack formatted then
    // parses the whole map (dependencies included): 0.23 s of the main thread and +49 MB of
    // heap, measured here, and Node formats one on any socket write that fails (a client
    // gone mid-write). Stack traces need only the mappings; the sources are on disk.
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    // Dependencies written as CommonJS call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as roomlinkRequire } from 'node:module'; const require = roomlinkRequire(import.meta.url);",
    },
  });
}
