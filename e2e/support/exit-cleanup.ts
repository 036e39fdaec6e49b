// Last-resort cleanup when the process ends without running fixture teardown: a test runner
// that exits early, an uncaught error, Ctrl-C. Each registered step must be synchronous
// (the 'exit' event allows nothing else) and must not throw.
//
// In a Playwright worker, SIGINT/SIGTERM already have handlers (the runner stops workers
// and fixtures tear down normally), so signal handlers are added only where nobody else
// listens, e.g. when a support module is used from a plain script.

type CleanupStep = () => void;

const steps = new Set<CleanupStep>();
let installed = false;

function runAll(): void {
  for (const step of [...steps].reverse()) {
    steps.delete(step);
    try {
      step();
    } catch {
      // Best effort: keep cleaning the rest.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    if (process.listenerCount(signal) > 0) continue;
    process.once(signal, () => {
      runAll();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Registers a synchronous cleanup step; returns a function that unregisters it. */
export function onProcessExit(step: CleanupStep): () => void {
  install();
  steps.add(step);
  return () => {
    steps.delete(step);
  };
}

/** Blocks the thread for a short while (for synchronous cleanup that must wait). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
