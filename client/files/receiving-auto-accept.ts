// Which offers are taken without a click: a file at most the accept limit, while what its
// sender had taken so (its budget, by peer id for the page's life) and what everyone had (the
// page's, PAGE_AUTO_ACCEPT_MEMBERS budgets) leave room for it. Any other waits for accept, and
// its line says which bound it passed.
import { dropOldest } from '../bounded.ts';
import type { MemberHandle } from '../feature.ts';
import { formatBytes } from './progress.ts';

/** Files at most this large start at once; larger ones wait for the receiver (default). */
export const DEFAULT_ACCEPT_LIMIT = 100_000_000;
/**
 * Bytes of files one member may have taken without a click, in all, at least: past it, its
 * files wait for accept like large ones, so a member cannot fill the disk (or, without a
 * private file system, memory) with file after file just under the limit. 500 MB is an
 * afternoon of photos and clips from one person (a phone photo is 3–5 MB), and well within
 * what a browser lets a site store (Chromium: up to 60 % of the disk).
 */
export const AUTO_ACCEPT_BUDGET = 500_000_000;
/** The budget is at least this many files at the accept limit, for someone who raised it. */
const AUTO_ACCEPT_BUDGET_FILES = 5;
/**
 * Files one member may have taken without a click, in all, at most, however small: a file costs
 * more than its bytes (a line in the chat, a store opened, a channel), and empty files cost no
 * bytes at all, so without a count a member could send them for as long as it liked. 500 is a
 * folder of source files or an afternoon of photos; past it, each waits for accept.
 */
export const AUTO_ACCEPT_FILES = 500;
/**
 * Bytes taken without a click from everyone, in all, at most: this many members' budgets
 * (2 GB by default). A member budget is per peer id, and a member that joins again in a new
 * tab has a new one: with no bound for the page, each rejoin could fill another 500 MB of this
 * browser's storage. Past it, every file waits for accept.
 */
export const PAGE_AUTO_ACCEPT_MEMBERS = 4;

/** Peer ids whose auto-accepted bytes are remembered (the oldest forgotten first). */
const AUTO_ACCEPTED_IDS = 1_000;

/** What was taken without a click: bytes against a budget, files against AUTO_ACCEPT_FILES. */
interface Taken {
  bytes: number;
  files: number;
}

/** Whether one more file of `size` fits what was taken, and if not, which bound it passes. */
function roomFor(taken: Taken, size: number, bytes: number, files: number): 'room' | 'bytes' | 'files' {
  if (taken.bytes + size > bytes) return 'bytes';
  return taken.files + 1 > files ? 'files' : 'room';
}

/** What was taken, as the bound it passed counts it: "500 MB", or "500 files". */
function tally(taken: Taken, bound: 'bytes' | 'files'): string {
  return bound === 'bytes' ? formatBytes(taken.bytes) : `${taken.files} files`;
}

export interface AutoAcceptOptions {
  acceptLimit(): number;
  /** Bytes of a member's files taken without a click, at most (default: see AUTO_ACCEPT_BUDGET). */
  autoAcceptBudget?(): number;
}

export function createAutoAccept(options: AutoAcceptOptions) {
  /**
   * Each member's files taken without a click (AUTO_ACCEPT_BUDGET, AUTO_ACCEPT_FILES), however
   * they ended, by peer id for the page's life: not in the member's slot, which a member that
   * says bye and offers again would get anew, its budget with it.
   */
  const autoAccepted = new Map<string, Taken>();
  /** Taken without a click from everyone, for the page's life (PAGE_AUTO_ACCEPT_MEMBERS budgets). */
  const autoAcceptedOnPage: Taken = { bytes: 0, files: 0 };

  return {
    /**
     * A file of `size` the member offers: taken without a click (null), and counted so; or
     * why it waits for accept, as its line says it after "waiting for you to accept" (nothing,
     * for a file over the accept limit).
     */
    take(member: Pick<MemberHandle, 'id' | 'name'>, size: number): string | null {
      const limit = options.acceptLimit();
      const budget = options.autoAcceptBudget?.() ?? Math.max(AUTO_ACCEPT_BUDGET, AUTO_ACCEPT_BUDGET_FILES * limit);
      const taken = autoAccepted.get(member.id) ?? { bytes: 0, files: 0 };
      const memberRoom = roomFor(taken, size, budget, AUTO_ACCEPT_FILES);
      const pageRoom = roomFor(
        autoAcceptedOnPage,
        size,
        PAGE_AUTO_ACCEPT_MEMBERS * budget,
        PAGE_AUTO_ACCEPT_MEMBERS * AUTO_ACCEPT_FILES,
      );
      if (size <= limit && memberRoom === 'room' && pageRoom === 'room') {
        autoAccepted.delete(member.id); // re-inserted as the newest
        autoAccepted.set(member.id, { bytes: taken.bytes + size, files: taken.files + 1 });
        dropOldest(autoAccepted, AUTO_ACCEPTED_IDS);
        autoAcceptedOnPage.bytes += size;
        autoAcceptedOnPage.files += 1;
        return null;
      }
      return memberRoom !== 'room'
        ? ` (${tally(taken, memberRoom)} from ${member.name} already taken without asking)`
        : pageRoom !== 'room'
          ? ` (${tally(autoAcceptedOnPage, pageRoom)} from this room already taken without asking)`
          : '';
    },
  };
}

export type AutoAccept = ReturnType<typeof createAutoAccept>;
