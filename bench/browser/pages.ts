// Builds the two benchmark pages with esbuild: the probe (an init script for roomlink's
// page) as one IIFE string, and the bare page (bare.html, and bare.js with socket.io's
// client bundled in) into a directory the bare relay serves.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pagesDir = fileURLToPath(new URL('../pages/', import.meta.url));

export interface BuiltPages {
  /** The probe, to prepend with its config and inject with addInitScript. */
  readonly probe: string;
  /** Directory with bare.html (as index.html) and bare.js. */
  readonly bareDir: string;
  remove(): void;
}

export async function buildPages(): Promise<BuiltPages> {
  const bareDir = mkdtempSync(join(tmpdir(), 'rl-bench-bare-'));
  const common = { bundle: true, target: 'es2022', logLevel: 'silent' as const, legalComments: 'none' as const };
  const probe = await build({ ...common, entryPoints: [join(pagesDir, 'probe.ts')], format: 'iife', write: false });
  await build({
    ...common,
    entryPoints: [join(pagesDir, 'bare.ts')],
    format: 'esm',
    outfile: join(bareDir, 'bare.js'),
  });
  copyFileSync(join(pagesDir, 'bare.html'), join(bareDir, 'index.html'));
  return {
    probe: probe.outputFiles[0]?.text ?? '',
    bareDir,
    remove: () => rmSync(bareDir, { recursive: true, force: true }),
  };
}
