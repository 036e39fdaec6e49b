// The page's entry script (public/app.js, an async module: it runs as soon as it is loaded,
// maybe before the document is parsed, so it touches no element). It starts joining the
// room first — the socket, the join, our signing key — and only then evaluates the rest of
// the client (main.js, a bundle of its own that index.html preloads). The rest waits for
// the join to be on the wire: evaluating it takes the main thread for hundreds of
// milliseconds under load, and the socket's handshake needs that thread for a few short
// turns. Once the join is sent, the server and the members already in the room work on it
// while this page evaluates the rest; the answer waits for the page (signaling-page.ts
// replays it).
import { startJoining } from './joining.ts';

/**
 * If the socket neither connects nor fails by then (a slow network, an unreachable server),
 * the page stops waiting for it: the room and its status come up all the same.
 */
export const MAIN_WAITS_FOR_JOIN_MS = 1_000;

const joining = startJoining();
// './main.js' is the other bundle, next to app.js (external to this one; see
// scripts/build-client.ts); to the type checker it is client/main.ts.
let loading = false;
let waitingAtMost: ReturnType<typeof setTimeout> | undefined;
const loadMain = (): void => {
  if (loading) return;
  loading = true;
  clearTimeout(waitingAtMost);
  void import('./main.js');
};
// Not before the tab's state is settled (tab-claim.ts: at once on a reload, a few
// milliseconds on a duplicate, ANSWER_WAIT_MS at most): main.js reads what the tab kept.
const whenParsed = (): void =>
  void joining.tab.then(() => {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', loadMain, { once: true });
    else loadMain();
  });
if (joining.signaling === null) whenParsed();
else {
  void joining.signaling.firstAttempt.then(whenParsed);
  waitingAtMost = setTimeout(whenParsed, MAIN_WAITS_FOR_JOIN_MS);
}
