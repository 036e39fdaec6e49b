// The store worker (bundled on its own as public/store-worker.js): see store-service.ts. One
// per received file, so its writes and hashing never hold the page's main thread.
import { openDiskSink } from './sink.ts';
import { createStoreService, type StoreReply, type StoreRequest } from './store-service.ts';

const scope = self as unknown as {
  postMessage(message: StoreReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<StoreRequest>) => void): void;
};
const handle = createStoreService((message) => scope.postMessage(message), openDiskSink);
scope.addEventListener('message', (event) => handle(event.data));
