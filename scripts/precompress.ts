// The client bundles compressed once, when they are built, instead of on every request:
// next to each bundle, `.br` (Brotli at its best quality) and `.gz` (gzip level 9), which the
// server sends as they are to a browser that accepts them (express-static-gzip in
// server/web.ts). main.js is ~150 KB: Brotli 11 makes it ~50 KB, where the per-request
// compression middleware (Brotli at quality 4, for speed) made ~57 KB and spent several ms
// of the server's thread on every page load. Only the bundles: index.html and styles.css are
// edited by hand and served as they are on disk, so a precompressed copy could go stale.
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Compressed siblings, by the extension express-static-gzip looks for. */
const SUFFIXES = ['.br', '.gz'] as const;

/**
 * Writes `<file>.br` and `<file>.gz` beside each file (zlib's thread pool does them in
 * parallel), each under a temporary name first: a server running meanwhile sends the old
 * copy or the new one, never half of one.
 */
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
      await Promise.all([replaceFile(`${file}.br`, br), replaceFile(`${file}.gz`, gz)]);
    }),
  );
}

async function replaceFile(path: string, data: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

/** replaceFile's temporary name (the writer's process id keeps two builds apart). */
const TEMPORARY = /\.(?:br|gz)\.\d+\.tmp$/;
/**
 * A temporary file this old was left by a build that died: writing one takes well under a
 * second. Its age decides, not whether its writer's process id is still alive: a build in a
 * container writing into the same folder has ids from another namespace.
 */
const ABANDONED_AFTER_MS = 10 * 60_000;

/**
 * Removes compressed siblings in the files' directories that belong to none of them (a bundle
 * renamed or gone): the server would go on sending them for a file that is not there. And the
 * temporary files of a build killed before it renamed them, once old enough that no running
 * build can be writing them.
 */
export async function removeStaleCompressed(files: readonly string[]): Promise<void> {
  const wanted = new Set(files.flatMap((file) => SUFFIXES.map((suffix) => `${file}${suffix}`)));
  const directories = new Set(files.map((file) => dirname(file)));
  for (const directory of directories) {
    for (const name of await readdir(directory)) {
      const path = join(directory, name);
      const stale = TEMPORARY.test(name)
        ? Date.now() - (await modifiedAt(path)) > ABANDONED_AFTER_MS
        : SUFFIXES.some((suffix) => name.endsWith(suffix)) && !wanted.has(path);
      if (stale) await rm(path, { force: true });
    }
  }
}

/**
 * When a file was last written; now for one renamed since it was listed: this runs beside
 * precompress, whose temporary files come and go while the folder is read.
 */
async function modifiedAt(path: string): Promise<number> {
  try {
    return (await stat(path)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Date.now();
    throw error;
  }
}
