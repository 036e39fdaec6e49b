// The page's life in the browser: as it goes (pagehide) it keeps what the tab's next page takes
// back (receipts, private lines, unfinished files), says goodbye on every link and closes
// everything it opened; restored from the back/forward cache with its links closed, it starts
// afresh; the browser's network coming and going is news to the links and the outage watch.
// Separate from main.ts because these are the window's events, heard once everything exists.
import type { Calls } from '../features/calls.ts';
import type { Files } from '../features/files.ts';
import type { createPrivateKeeper } from '../features/private-kept.ts';
import type { Receipts } from '../features/receipts.ts';
import type { Ice } from '../ice.ts';
import type { Mesh } from '../mesh.ts';
import type { PathPolls } from '../path-polls.ts';
import type { Relay } from '../relay.ts';
import type { Signaling } from '../signaling.ts';

export interface PageLifeParts {
  receipts: Pick<Receipts, 'keep'>;
  privateLines: Pick<ReturnType<typeof createPrivateKeeper>, 'flush'>;
  files: Pick<Files, 'keepUnfinished'>;
  mesh: Pick<Mesh, 'all' | 'closeAll' | 'retryAll'>;
  /** Null when the link's room id is malformed: nothing is joined. */
  signaling: Pick<Signaling, 'close'> | null;
  calls: Pick<Calls, 'leave'>;
  pathPolls: Pick<PathPolls, 'stop'>;
  ice: Pick<Ice, 'stop'>;
  relay: Pick<Relay, 'stop'>;
  /** Our own outage is looked at again (status.ts). */
  watchOutage(): void;
}

export function watchPageLife(parts: PageLifeParts): void {
  const { receipts, privateLines, files, mesh, signaling, calls, pathPolls, ice, relay, watchOutage } = parts;
  window.addEventListener('pagehide', () => {
    receipts.keep();
    privateLines.flush();
    files.keepUnfinished();
    for (const member of mesh.all()) member.send({ t: 'bye' });
    signaling?.close();
    calls.leave();
    pathPolls.stop();
    ice.stop();
    relay.stop();
    mesh.closeAll('ERR_PAGE_CLOSED');
  });
  window.addEventListener('pageshow', (event) => {
    // Restored from the back/forward cache with every link closed: start afresh.
    if (event.persisted) window.location.reload();
  });
  window.addEventListener('online', () => {
    mesh.retryAll();
    watchOutage();
  });
  window.addEventListener('offline', watchOutage);
}
