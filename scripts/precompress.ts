// The client bundles compressed once, when they are built, instead of on every request:
// next to each bundle, `.br` (Brotli at its best quality) and `.gz` (gzip level 9), which the
// server sends as they are to a browser that accepts them (express-static-gzip in
// server/app.ts). main.js is ~150 KB: Brotli 11 makes it ~50 KB, where the per-request
// compression middleware (Brotli at quality 4, for speed) made ~57 KB and spent several ms
// of the server's thread on every page load. Only the bundles: index.html and styles.css are
// edited by hand and served as they are on disk, so a precompressed copy could go stale.
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Writes `<file>.br` and `<file>.gz` beside each file (zlib's thread pool does them in parallel). */
export async function precompress(files: readonly string[]): Promise<void> {
  await Promise.all(
    files.map(async (file) => {
      const plain = await readFile(file);
      const [br, gz] = await Promise.all([
        brotli(plain, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
          },
        }),
        gzipped(plain, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
    }),
  );
}
