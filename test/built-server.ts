// The server as `npm start` runs it: dist/server.mjs, bundled by `npm run build` (npm test
// builds it before these tests). A start of it costs about a third of the CPU that
// `node --import tsx server.ts` does (1.0 against 3.0 CPU-s measured here; see
// scripts/build-server.ts), and the unit phase, CPU-bound on two cores, starts a dozen.
// A bundle older than the sources it is built from would test old code: that is an error
// that names the fix, not a silent pass.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUILT_SERVER = join(ROOT, 'dist', 'server.mjs');

/** The newest modification time of the server's own sources (server.ts, server/, protocol/). */
function newestSource(): { path: string; mtimeMs: number } {
  let newest = { path: join(ROOT, 'server.ts'), mtimeMs: statSync(join(ROOT, 'server.ts')).mtimeMs };
  for (const dir of ['server', 'protocol']) {
    for (const name of readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (!name.endsWith('.ts')) continue;
      const path = join(ROOT, dir, name);
      const { mtimeMs } = statSync(path);
      if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
    }
  }
  return newest;
}

/** dist/server.mjs, once checked to be built from the sources as they are now. */
export function builtServer(): string {
  if (!existsSync(BUILT_SERVER)) throw new Error(`${BUILT_SERVER} is missing: run \`npm run build\` first`);
  const newest = newestSource();
  if (newest.mtimeMs > statSync(BUILT_SERVER).mtimeMs) {
    throw new Error(`${BUILT_SERVER} is older than ${newest.path}: run \`npm run build\` first`);
  }
  return BUILT_SERVER;
}
