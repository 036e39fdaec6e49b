// Work the page wants done, but not while it joins the room: run when the main thread is
// next idle (or after `timeoutMs` at the latest). Where a browser has no
// requestIdleCallback (Safari), after the tasks already queued.
export function whenIdle(task: () => void, timeoutMs: number): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => task(), { timeout: timeoutMs });
  else setTimeout(task, 0);
}
