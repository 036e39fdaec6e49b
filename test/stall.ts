// Blocks this thread for `ms`, as one long event-loop iteration does (a storm's signals
// relayed in one go, a long GC): nothing else on the thread runs meanwhile. Atomics.wait
// blocks it without spinning: what is tested is a thread that does not come back to its
// event loop, and a spin would also take a core from the suite's other files for the
// whole stall (tens of seconds of CPU over the heartbeat files, on a two-core machine).
const never = new Int32Array(new SharedArrayBuffer(4));

export function stall(ms: number): void {
  Atomics.wait(never, 0, 0, ms);
}
