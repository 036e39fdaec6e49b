// Builds the benchmark pages with esbuild: the probes (init scripts for roomlink's page) as
// IIFE strings, and the bare pages (bare.html and bare.js with socket.io's client bundled
// in; calls.html and bare-calls.js for calls) into a directory the bare relay serves.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pagesDir = fileURLToPath(new URL('../pages/', import.meta.url));

export interface BuiltPages {
  /** The probe, to prepend with its config and inject with addInitScript. */
  readonly probe: string;
  /** The call benchmark's probe (pages/calls-probe.ts), injected the same way. */
  readonly callsProbe: string;
  /** The stages part's stamps (pages/stages.ts), injected into both flavors' pages. */
  readonly stagesProbe: string;
  /** Directory with bare.html (as index.html) and bare.js. */
  readonly bareDir: string;
  remove(): void;
}

export async function buildPages(): Promise<BuiltPages> {
  const bareDir = mkdtempSync(join(tmpdir(), 'rl-bench-bare-'));
  const common = { bundle: true, target: 'es2022', logLevel: 'silent' as const, legalComments: 'none' as const };
  const probe = await build({ ...common, entryPoints: [join(pagesDir, 'probe.ts')], format: 'iife', write: false });
  const callsProbe = await build({
    ...common,
    entryPoints: [join(pagesDir, 'calls-probe.ts')],
    format: 'iife',
    write: false,
  });
  const stagesProbe = await build({
    ...common,
    entryPoints: [join(pagesDir, 'stages.ts')],
    format: 'iife',
    write: false,
  });
  for (const page of ['bare', 'bare-calls']) {
    await build({
      ...common,
      entryPoints: [join(pagesDir, `${page}.ts`)],
      format: 'esm',
      outfile: join(bareDir, `${page}.js`),
    });
  }
  copyFileSync(join(pagesDir, 'bare.html'), join(bareDir, 'index.html'));
  copyFileSync(join(pagesDir, 'bare-calls.html'), join(bareDir, 'calls.html'));
  return {
    probe: probe.outputFiles[0]?.text ?? '',
    callsProbe: callsProbe.outputFiles[0]?.text ?? '',
    stagesProbe: stagesProbe.outputFiles[0]?.text ?? '',
    bareDir,
    remove: () => rmSync(bareDir, { recursive: true, force: true }),
  };
}
