// The page's entry script (public/app.js, loaded async: it needs no DOM). It starts joining
// the room first — the socket, the join, our signing key — and only then evaluates the rest
// of the client (main.js, a bundle of its own that index.html preloads), once the document
// is parsed. The join and the evaluation of every feature and view then overlap instead of
// the join waiting for them: under load that evaluation took longer than the join itself.
import { startJoining } from './joining.ts';

startJoining();
// './main.js' is the other bundle, next to app.js (external to this one; see
// scripts/build-client.ts); to the type checker it is client/main.ts.
const loadMain = (): void => void import('./main.js');
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', loadMain, { once: true });
else loadMain();
