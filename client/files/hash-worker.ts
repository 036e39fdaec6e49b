// The hashing worker (bundled on its own as public/hash-worker.js): see hash-service.ts.
import { createHashService, type HashReply, type HashRequest } from './hash-service.ts';

const scope = self as unknown as {
  postMessage(message: HashReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<HashRequest>) => void): void;
};
const handle = createHashService((message) => scope.postMessage(message));
scope.addEventListener('message', (event) => handle(event.data));
