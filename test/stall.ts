// Blocks this thread for `ms`, as one long event-loop iteration does (a storm's signals
// relayed in one go, a long GC): nothing else on the thread runs meanwhile.
export function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}
