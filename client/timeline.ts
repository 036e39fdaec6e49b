// Marks on the page's performance timeline at each step of joining a room and reaching a
// member (`roomlink:<step>` or `roomlink:<step>:<peer id>`), so that a benchmark or a
// curious developer can see where the time to the first message goes
// (performance.getEntriesByType('mark'), from navigation start). Only the first time of
// each: the browser keeps every mark for the page's lifetime, so marking each line or
// candidate would grow without bound; past MAX_MARKS nothing more is marked at all.
const MAX_MARKS = 1_000;
const marked = new Set<string>();

export function mark(step: string, peerId?: string): void {
  const name = peerId === undefined ? `roomlink:${step}` : `roomlink:${step}:${peerId}`;
  if (marked.has(name) || marked.size >= MAX_MARKS) return;
  marked.add(name);
  try {
    performance.mark(name);
  } catch {
    // No User Timing (very old browsers): nothing to record.
  }
}
