// Bundles the browser client into public/: app.js, the entry (client/boot.ts: the room, the
// socket, the join, our key); main.js, the rest of the client, which app.js imports once
// joining has started; and shared.js, the modules both use (identity, storage, the room-key
// proof, the protocol's limits, the timeline: ~10 KB), which index.html preloads next to
// app.js so that no serial fetch stands before the socket. The entry imports no schema: the
// protocol's parsers and zod are main.js's alone, evaluated once the join is on the wire
// (imported through the protocol's index, they made shared.js 43 KB; the build checks). One shared chunk
// rather than two independent bundles: those carried 30 modules twice (~35 KB minified,
// zod's schemas built twice, two copies of module state such as the key cache). The workers
// are bundles of their own.
// esbuild, because it does this in tens of milliseconds with no config.

import { copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { precompress, removeStaleCompressed } from './precompress.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

const common: BuildOptions = {
  absWorkingDir: root,
  outdir: 'public',
  bundle: true,
  format: 'esm',
  target: ['chrome109', 'firefox115', 'safari16'],
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Which files came out: the bundles among them are precompressed (precompress.ts).
  metafile: true,
};

export async function buildClient(options: { minify?: boolean } = {}): Promise<void> {
  const minify = options.minify ?? true;
  const results = await Promise.all([
    build({
      ...common,
      minify,
      // Named entries: index.html loads app.js and preloads shared.js and main.js by name.
      entryPoints: { app: 'client/boot.ts', main: 'client/main.ts' },
      // boot.ts imports the other entry by its public path: left as it is.
      external: ['./main.js'],
      splitting: true,
      // One fixed name, preloaded by index.html: should esbuild ever make a second chunk,
      // the two would share this path and the build fails instead of shipping an unpreloaded one.
      chunkNames: 'shared',
    }),
    build({
      ...common,
      minify,
      // The workers hash files to send and store received ones off the page's main thread
      // (client/files/hash.ts, client/files/store.ts).
      entryPoints: { 'hash-worker': 'client/files/hash-worker.ts', 'store-worker': 'client/files/store-worker.ts' },
    }),
  ]);
  entryCarriesNoSchema(results[0]?.metafile);
  const bundles = results.flatMap((result) =>
    Object.keys(result.metafile?.outputs ?? {}).filter((out) => out.endsWith('.js')),
  );
  // The confusables table the page fetches once joined (client/confusables.ts), as the server has it.
  const confusables = join(root, 'public/confusables.json');
  await copyFile(createRequire(import.meta.url).resolve('unhomoglyph/data.json'), confusables);
  const paths = [...bundles.map((out) => join(root, out)), confusables];
  await Promise.all([precompress(paths), removeStaleCompressed(paths)]);
}

/**
 * What the page runs before its join is on the wire (app.js and shared.js) must not bring the
 * channel schemas or zod: one value imported through the protocol's index did (42cfeac), and
 * shared.js grew from 8 to 43 KB, evaluated before the socket opens.
 */
function entryCarriesNoSchema(metafile: Metafile | undefined): void {
  for (const out of ['public/app.js', 'public/shared.js']) {
    const inputs = Object.keys(metafile?.outputs[out]?.inputs ?? {});
    const schemas = inputs.filter((input) => /(^|\/)node_modules\/zod\/|^protocol\/channel\//.test(input));
    if (schemas.length > 0) {
      throw new Error(
        `${out} carries schemas (${schemas.slice(0, 3).join(', ')}${schemas.length > 3 ? ', …' : ''}): the page's entry must import only types and protocol/limits.ts from the protocol`,
      );
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  await buildClient();
  console.log(
    `client bundle built in ${Math.round(performance.now() - started)} ms → public/app.js, public/shared.js, public/main.js`,
  );
}
