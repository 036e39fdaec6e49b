// Files we send to the room stay shared once they are over for everyone: offered to each member
// who joins later, for as long as this page holds the file. A member is a newcomer to a file
// when its chat channel opens and it is none of the file's recipients (by peer id: a member
// back under its own id, a reload, is one of them, and sending-recipients.ts `back` has it
// again; one in a new tab has a new id). It becomes one more recipient, offered the file in
// its turn like any (sending-offers.ts), its offer saying when the file was sent (`at`), so its
// page shows the line among the earlier ones. Sharing ends with Stop sharing or Cancel, when
// the sender's line goes for good (past the lines the page keeps), when MAX_SHARED_FILES newer
// files are shared, or with the page, which the file goes with; the record is then let go once
// it is over, as a private file's is.
import { FILE_EARLIER_VERSION, MAX_PENDING_OFFERS } from '../../protocol/index.ts';
import { type MemberHandle, speaks } from '../feature.ts';
import type { Offers } from './sending-offers.ts';
import type { Recipients } from './sending-recipients.ts';
import { newRecipient, type Sent } from './sending-record.ts';

/**
 * Files shared at once, at most (the newest; older ones are let go once over, their File with
 * them: a pasted image is in memory). A newcomer is offered them all at once, and a page takes
 * no more than MAX_PENDING_OFFERS from one member at once: past it, it refuses the rest.
 */
export const MAX_SHARED_FILES = MAX_PENDING_OFFERS;

/**
 * Whether the member is offered files sent before it joined: only one whose hello said
 * FILE_EARLIER_VERSION (an older page's strict schema refuses the whole offer with `at`), not
 * one that said none yet (files need a direct link, whose hello comes first: turns.ts).
 */
export const takesEarlierFiles = (member: Pick<MemberHandle, 'version'>): boolean =>
  speaks(member, FILE_EARLIER_VERSION, false);

export interface SharingOptions {
  /** The records held, oldest first (sending.ts). */
  records(): Iterable<Sent>;
  offers: Pick<Offers, 'queue'>;
  recipients: Pick<Recipients, 'stopUnfinished'>;
  /** Shows where the record stands, and lets it go once it is over and not shared (sending.ts). */
  refresh(record: Sent): void;
}

/** How sharing ends: Stop sharing stops a transfer under way to a newcomer, as Cancel does; the rest let it finish. */
export type SharingEnd = 'unshare' | 'let finish';

export function createSharing(options: SharingOptions) {
  function end(record: Sent, how: SharingEnd): void {
    if (!record.shared) return;
    record.shared = false;
    if (how === 'unshare') options.recipients.stopUnfinished(record);
    options.refresh(record);
  }

  return {
    end,
    /** A file sent to the room: shared from now on, and the oldest past MAX_SHARED_FILES no more. */
    started(record: Sent): void {
      record.shared = true;
      const shared = [...options.records()].filter((held) => held.shared);
      for (const old of shared.slice(0, -MAX_SHARED_FILES)) end(old, 'let finish');
    },
    /**
     * The member's chat channel opened: each shared file it is not a recipient of goes to it,
     * queued in its turn (the caller offers what waits). One still hashed goes to it with the
     * others once the hash is done (sending.ts send): it is here before the file is offered.
     */
    opened(member: MemberHandle): void {
      if (member.shut) return;
      for (const record of options.records()) {
        if (!record.shared || record.recipients.has(member.id)) continue;
        const hashed = record.sha256 !== null;
        if (hashed && !takesEarlierFiles(member)) continue;
        record.recipients.set(member.id, newRecipient(member, record.file.size, hashed));
        if (hashed) options.offers.queue(member, record.id);
        options.refresh(record);
      }
    },
  };
}

export type Sharing = ReturnType<typeof createSharing>;
