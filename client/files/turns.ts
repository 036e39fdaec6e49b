// Whose turn it is among one member's files: at most MAX_RUNNING_TRANSFERS run between two
// members at once (protocol/channel/files.ts). To a member whose hello said FILE_QUEUE_VERSION
// the sender offers every file at once, and the receiver starts them (receiving-turns.ts), in
// order of offer among those it took; to an older member the sender offers that many at a time
// and keeps the rest (sending-offers.ts), as before.
import { FILE_QUEUE_VERSION, MAX_PENDING_OFFERS, MAX_RUNNING_TRANSFERS } from '../../protocol/index.ts';
import { type MemberHandle, speaks } from '../feature.ts';

/**
 * Whether a member takes every offer at once and queues them itself (file:queued). Not one
 * whose hello said an older version, nor, unlike features that send newer fields (edits-own.ts),
 * one that said none yet: files need a direct link, whose hello comes before the offers go on
 * any page that proves the room key, and the safe guess is the old one. Offered too many, an
 * older page refuses the rest ('busy'); offered too few, a newer one only gets the rest later.
 */
export const queuesOffers = (member: Pick<MemberHandle, 'version'>): boolean =>
  speaks(member, FILE_QUEUE_VERSION, false);

/** Files offered to the member at once, at most, offered or running: the rest wait at the sender. */
export const offersAtOnce = (member: Pick<MemberHandle, 'version'>, concurrent: number): number =>
  queuesOffers(member) ? MAX_PENDING_OFFERS : concurrent;

/**
 * The items whose turn has come, in the order given (the order of offer): as many of those
 * `waiting` as leave at most `limit` running (default MAX_RUNNING_TRANSFERS).
 */
export function due<T>(
  items: Iterable<T>,
  running: (item: T) => boolean,
  waiting: (item: T) => boolean,
  limit = MAX_RUNNING_TRANSFERS,
): T[] {
  const all = [...items];
  let free = limit - all.filter(running).length;
  const starting: T[] = [];
  for (const item of all) {
    if (free <= 0) break;
    if (!waiting(item)) continue;
    starting.push(item);
    free -= 1;
  }
  return starting;
}
