// Marks on the page's performance timeline at each step of joining a room and reaching a
// member (`roomlink:<step>` or `roomlink:<step>:<peer id>`), so that a benchmark or a
// curious developer can see where the time to the first message goes
// (performance.getEntriesByType('mark'), from navigation start). A mark costs a few µs.
export function mark(step: string, peerId?: string): void {
  try {
    performance.mark(peerId === undefined ? `roomlink:${step}` : `roomlink:${step}:${peerId}`);
  } catch {
    // No User Timing (very old browsers): nothing to record.
  }
}
