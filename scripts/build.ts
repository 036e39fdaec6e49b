// `npm run build`: the browser bundles (public/app.js, public/main.js) and the server bundle
// (dist/server.mjs), built side by side.

import { buildClient } from './build-client.ts';
import { buildServer, SERVER_BUNDLE } from './build-server.ts';

const started = performance.now();
await Promise.all([buildClient(), buildServer()]);
console.log(
  `built public/app.js, public/main.js and ${SERVER_BUNDLE} in ${Math.round(performance.now() - started)} ms`,
);
