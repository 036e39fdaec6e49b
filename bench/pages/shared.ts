// What both benchmark pages (the probe inside roomlink, and the bare page) record, in the
// same shape, so the Node side reads them the same way. Times are
// performance.timeOrigin + performance.now(): milliseconds on the machine's wall clock with
// sub-millisecond resolution, comparable across the pages of one machine.

export interface Received {
  from: string;
  text: string;
  at: number;
}

export interface PageRecord {
  /** When this page's navigation started. */
  timeOrigin: number;
  received: Received[];
  /** Peer id → when it left this page's member list (or its link died, on the bare page). */
  gone: Record<string, number>;
  /** When this page had heard a mesh: message from every other member, or null. */
  meshDoneAt: number | null;
  /**
   * Problems this page's member list showed (data-reason: muted, flooding, …), each with
   * when it first appeared; the bare page has none.
   */
  problems: Record<string, number>;
}

export interface BenchPageApi {
  now(): number;
  selfId(): string | null;
  record(): PageRecord;
  /** Texts with this prefix received so far. */
  count(prefix: string): number;
  /** Sends `${prefix}:${i}:${sentAt}` every intervalMs (one at a time). */
  sendPaced(count: number, intervalMs: number, prefix: string): Promise<void>;
  /** Sends `${prefix}:${i}` count times in one tight loop; returns when the loop began and ended. */
  burst(count: number, prefix: string): { start: number; end: number };
}

export const now = (): number => performance.timeOrigin + performance.now();

export function createRecorder(expectPeers: number): {
  record: PageRecord;
  add(from: string, text: string, at: number): void;
  count(prefix: string): number;
} {
  const record: PageRecord = {
    timeOrigin: performance.timeOrigin,
    received: [],
    gone: {},
    meshDoneAt: null,
    problems: {},
  };
  const meshFrom = new Set<string>();
  const counts = new Map<string, number>();
  return {
    record,
    add(from, text, at) {
      record.received.push({ from, text, at });
      const prefix = text.slice(0, text.indexOf(':'));
      counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
      if (prefix === 'mesh' && record.meshDoneAt === null) {
        meshFrom.add(from);
        if (meshFrom.size >= expectPeers) record.meshDoneAt = at;
      }
    },
    count: (prefix) => counts.get(prefix) ?? 0,
  };
}

export async function sendPaced(
  send: (text: string) => void,
  count: number,
  intervalMs: number,
  prefix: string,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    send(`${prefix}:${i}:${now()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function burst(send: (text: string) => void, count: number, prefix: string): { start: number; end: number } {
  const start = now();
  for (let i = 0; i < count; i++) send(`${prefix}:${i}`);
  return { start, end: now() };
}
