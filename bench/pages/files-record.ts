// What the bare page's bulk transfer records (pages/files.ts), in a file without DOM types so
// the Node side (browser/files.ts) can read it too. Times as in shared.ts.
export interface BulkRecord {
  /** Sender: when push() was called, and when its channel opened. */
  pushedAt: number | null;
  openedAt: number | null;
  /** Receiver: payload bytes received, first chunk, and when the end marker arrived. */
  received: number;
  firstAt: number | null;
  doneAt: number | null;
}
