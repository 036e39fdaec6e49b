// The store worker (bundled on its own as public/store-worker.js): see store-service.ts. One
// received file at a time, so its writes and hashing never hold the page's main thread; the
// page hands it on to the next file once that one is over (worker-pool.ts), and each `open`
// starts a service of its own.
import { openDiskSink } from './sink.ts';
import { createStoreService, type StoreRequest, type TaggedReply } from './store-service.ts';

const scope = self as unknown as {
  postMessage(message: TaggedReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<StoreRequest>) => void): void;
};
/** The file now served, and its service; an earlier file's late replies are dropped. */
let session = 0;
let handle: ((request: StoreRequest) => void) | null = null;
scope.addEventListener('message', ({ data }) => {
  if (data.kind === 'open') {
    const mine = data.session ?? 0;
    session = mine;
    handle = createStoreService((message) => {
      if (session === mine) scope.postMessage({ ...message, session: mine });
    }, openDiskSink);
  }
  handle?.(data);
});
