// Before the e2e run: the system tools must be there, namespaces left behind by runs that
// were killed before their teardown are deleted, and both bundles are built from the tree
// as it is (so `npx playwright test` never runs a stale page or server). `npm test` has
// built them a moment before (scripts/test.ts) and says so in RL_BUNDLES_BUILT: a second
// build there was 2.5 s with nothing else running, before the first test starts.

import { buildBundles } from '../../scripts/build.ts';
import { ensureSystem } from '../../scripts/ensure-system.ts';
import { sweepStaleNamespaces } from './netns.ts';

export default async function globalSetup(): Promise<void> {
  const system = ensureSystem({ install: false });
  if (!system.ok) throw new Error(`the end-to-end tests cannot run here:\n${system.problems.join('\n')}`);
  if (process.env['RL_BUNDLES_BUILT'] !== '1') await buildBundles();
  const swept = await sweepStaleNamespaces();
  if (swept.length > 0) console.warn(`deleted network namespaces left by earlier runs: ${swept.join(', ')}`);
}
