// What the files feature needs from the page for one transfer's chat line. The view
// (view/file-line.ts) implements it; unit tests use a recording stand-in.
import type { ReplyRef } from '../../protocol/index.ts';
import type { ProgressSnapshot } from './progress.ts';
import type { RecipientLabel } from './sent-line.ts';

/** What a received file's line says once its bytes checked against the sender's SHA-256. */
export const RECEIVED_WORDS = 'received and checked';
/** … and once its stored copy is gone from the device: there is nothing left to download. */
export const GONE_WORDS = 'received, but the file is no longer on this device';

/** data-state of a file line: a stable test hook. */
export type FileState = 'offered' | 'transferring' | 'verified' | 'corrupt' | 'declined' | 'cancelled';

export interface FileLineInfo {
  id: string;
  /** Sender's peer id. */
  from: string;
  own: boolean;
  senderName: string;
  /** Already sanitised (receiving side) or the picked file's own name (sending side). */
  name: string;
  size: number;
  type: string;
  /** The sender's name for the file had to be changed to be safe. */
  nameChanged: boolean;
  /** For a private transfer: the name of the only member it goes to (or comes from). */
  privateWith: string | null;
  /** … and its peer id: the line's reactions are that member's and ours alone (features/reactions.ts). */
  privateWithId: string | null;
  /**
   * A file sent to the room before we joined, offered to us after the fact (`at` on its offer):
   * when it was sent (its sender's clock, never later than ours). Its line goes among the
   * earlier lines by this time, not at the bottom as a new file. Absent for any other.
   */
  sharedAt?: number;
  /**
   * The line the file answers (sent as a reply: its offer's `re`, or ours as we sent it): its
   * quote goes above the file's line, as above a chat line's text. Absent for any other.
   */
  re?: ReplyRef;
}

/**
 * What the line's buttons do; the line lets go of them once its state is final, unless the file
 * is one we share (FileLine.sharing): then they are kept until it is not (a file we send holds
 * them by its id alone, sending.ts lineActions).
 */
export interface FileLineActions {
  accept?(): void;
  decline?(): void;
  cancel(): void;
  /** A file we sent to the room: offered no more to those who join (Stop sharing), and let go. */
  unshare?(): void;
  /**
   * The line went for good (past the lines the page keeps): a received file that would now
   * have nowhere to go is stopped, so its sender stops sending it. One whose bytes have all
   * come is left to finish (its stored copy is removed then: FileLine.ready). A file we send
   * is shared no more; what is under way goes on, since only our page lost the line.
   */
  gone?(): void;
}

export interface FileLine {
  /** The state and the words that go with it ("verified", "corrupted, discarded", …). */
  state(state: FileState, status: string): void;
  /** The bar; its bytes, speed and time left are shown while the line is `transferring`. */
  progress(snapshot: ProgressSnapshot): void;
  /** A file we send: where each recipient stands, in the order given (always the same ones). */
  recipients(labels: readonly RecipientLabel[]): void;
  /** Shows or hides the accept / decline buttons. */
  ask(asking: boolean): void;
  /**
   * The verified file: offered as a download, previewed if it is a raster image. `remove`
   * takes it off the device (its OPFS entry) for when the line goes for good; it never rejects.
   */
  ready(file: File, remove: () => Promise<void>): void;
  /**
   * The verified file's stored copy is gone from the device (a reload found it so): the line
   * says so, with no download; `remove` as ready's. A line whose download finds it gone on a
   * click says so the same way.
   */
  gone(remove: () => Promise<void>): void;
  /** A file we send: previewed at once as its recipients will see it (we have it), if a raster image. */
  preview(file: File): void;
  /**
   * A file we send, offered at last: the offer waits for its hash, and its recipients show
   * the line when the offer comes, after lines we sent meanwhile. Ours goes there too.
   */
  offered(): void;
  /**
   * A file we send: whether it is still offered to those who join later (sending-shared.ts).
   * While it is and nothing is under way, the line offers Stop sharing where Cancel was.
   */
  sharing(shared: boolean): void;
}

export type ShowFileLine = (info: FileLineInfo, actions: FileLineActions) => FileLine;

const FINAL_STATE_SET: ReadonlySet<string> = new Set<FileState>(['verified', 'corrupt', 'declined', 'cancelled']);

/** A transfer in one of these states is over; nothing more happens to it. */
export function isFinal(state: string): boolean {
  return FINAL_STATE_SET.has(state);
}
