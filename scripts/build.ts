// `npm run build`: the browser bundles (public/app.js, public/shared.js, public/main.js) and
// the server bundle (dist/server.mjs), built side by side. The e2e global setup and the
// benchmark call buildBundles() too, so that each runs the tree as it is.

import { fileURLToPath } from 'node:url';
import { buildClient } from './build-client.ts';
import { buildServer, SERVER_BUNDLE } from './build-server.ts';

export async function buildBundles(): Promise<void> {
  await Promise.all([buildClient(), buildServer()]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  await buildBundles();
  console.log(
    `built public/app.js, public/shared.js, public/main.js and ${SERVER_BUNDLE} in ${Math.round(performance.now() - started)} ms`,
  );
}
