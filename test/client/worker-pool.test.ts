// client/files/worker-pool.ts: a worker handed back is the next one taken, with nothing of its
// last user's handlers on it; past the number kept, or idle too long, it is stopped; where
// there are no workers, none is made; one dropped is stopped. On a stand-in Worker (node has none of the page's).
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createWorkerPool } from '../../client/files/worker-pool.ts';

class StandInWorker {
  static made: StandInWorker[] = [];
  onmessage: unknown = null;
  onerror: unknown = null;
  terminated = false;
  constructor(
    readonly url: string,
    readonly options: object,
  ) {
    StandInWorker.made.push(this);
  }
  terminate(): void {
    this.terminated = true;
  }
}

const scope = globalThis as { Worker?: unknown };
const nodesOwn = scope.Worker;
afterEach(() => {
  StandInWorker.made = [];
  if (nodesOwn === undefined) delete scope.Worker;
  else scope.Worker = nodesOwn;
});

test('a worker given back is taken again, its handlers cleared; two at once are two workers', () => {
  scope.Worker = StandInWorker;
  const pool = createWorkerPool('/store-worker.js', 2, 20);
  const first = pool.take() as unknown as StandInWorker;
  assert.deepEqual([first.url, first.options], ['/store-worker.js', { type: 'module' }]);
  first.onmessage = () => {};
  first.onerror = () => {};
  const second = pool.take() as unknown as StandInWorker;
  assert.notEqual(second, first);
  pool.give(first as unknown as Worker);
  assert.equal(first.onmessage, null);
  assert.equal(first.onerror, null);
  assert.equal(first.terminated, false);
  assert.equal(pool.take() as unknown, first, 'the idle one, not a new one');
  assert.equal(StandInWorker.made.length, 2);
  for (const worker of StandInWorker.made) pool.give(worker as unknown as Worker);
});

test('past the number kept idle a worker given back is stopped; an idle one is stopped after a while', async () => {
  scope.Worker = StandInWorker;
  const pool = createWorkerPool('/hash-worker.js', 1, 30);
  const [a, b] = [pool.take(), pool.take()] as unknown as StandInWorker[];
  pool.give(a as unknown as Worker);
  pool.give(b as unknown as Worker);
  assert.equal(a?.terminated, false, 'kept');
  assert.equal(b?.terminated, true, 'one is kept at most');
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(a?.terminated, true, 'stopped once idle past its time');
  assert.notEqual(pool.take() as unknown, a, 'and not handed out again');
});

test('where there is no Worker, or making one throws, none is taken', () => {
  delete scope.Worker;
  assert.equal(createWorkerPool('/store-worker.js', 2).take(), null);
  scope.Worker = class {
    constructor() {
      throw new Error('blocked by the page’s policy');
    }
  };
  assert.equal(createWorkerPool('/store-worker.js', 2).take(), null);
});

test('a worker dropped is cleared and stopped, and never handed out again', () => {
  scope.Worker = StandInWorker;
  const pool = createWorkerPool('/hash-worker.js', 2, 20);
  const broken = pool.take() as unknown as StandInWorker;
  broken.onmessage = () => {};
  broken.onerror = () => {};
  pool.drop(broken as unknown as Worker);
  assert.deepEqual([broken.onmessage, broken.onerror, broken.terminated], [null, null, true]);
  const next = pool.take() as unknown as StandInWorker;
  assert.notEqual(next, broken, 'a new one');
  pool.give(next as unknown as Worker);
});
