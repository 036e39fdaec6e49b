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

/** What pages/stages.ts stamps on a page, for the stages part. */
export interface StageStamps {
  /** Line number → when the page called RTCDataChannel.send with it (the first time). */
  sent: Record<string, number>;
  /** Line number → when the page's message listener started on it. */
  arrived: Record<string, number>;
  /** Line number → when that listener returned. */
  handled: Record<string, number>;
}

export interface BenchPageApi {
  now(): number;
  selfId(): string | null;
  record(): PageRecord;
  /** Texts with this prefix received so far. */
  count(prefix: string): number;
  /**
   * Sends `${prefix}:${i}:${writtenAt}` every intervalMs (one at a time); resolves to when
   * each was handed to the page's send path (on roomlink's page: the Enter key, once the
   * text is in the message box, as a user's typing is; on the bare page: writtenAt).
   */
  sendPaced(count: number, intervalMs: number, prefix: string): Promise<number[]>;
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

/** `send` returns when it handed the text on, if that is not the moment it was written. */
export async function sendPaced(
  send: (text: string) => number | undefined,
  count: number,
  intervalMs: number,
  prefix: string,
): Promise<number[]> {
  const handedAt: number[] = [];
  for (let i = 0; i < count; i++) {
    const writtenAt = now();
    handedAt.push(send(`${prefix}:${i}:${writtenAt}`) ?? writtenAt);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return handedAt;
}

export function burst(send: (text: string) => unknown, count: number, prefix: string): { start: number; end: number } {
  const start = now();
  for (let i = 0; i < count; i++) send(`${prefix}:${i}`);
  return { start, end: now() };
}
