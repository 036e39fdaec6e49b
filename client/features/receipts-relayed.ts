// Our read receipts that went through a relay, sent again in case it dropped them.
//
// Nothing acknowledges a read receipt. On a direct channel it arrives unless the channel closes
// under it (what was not sent yet goes when it opens again; what was in its buffer is lost, as
// before: rare, and not worth a resend on every link). A relay can drop one
// while our route through it stays up (over its rate, its link down, or on purpose), so what
// went through a relay is sent again: whenever the route (re)opens, and a few times while it
// stays, RELAYED_READ_RETRY_MS apart and doubling. The author counts each reader once, so a
// copy changes nothing. (An ack would be a new message type that members on the current
// version never send, and reached only through a relay a member's version is not known: the
// resends would be needed all the same.)
import { MAX_READ_IDS } from '../../protocol/index.ts';
import { createSlot, type MemberHandle } from '../feature.ts';

/** Read receipts sent through a relay go again this long after, then twice as long, … */
export const RELAYED_READ_RETRY_MS = 5_000;
/** … this many times while the route stays (each route that opens sends them once more). */
export const RELAYED_READ_RESENDS = 3;

interface UnsureReads {
  /** Reported through a relay, which may have dropped them: the newest MAX_READ_IDS. */
  unsure: string[];
  /** Resends of `unsure` so far on the current route, and the timer of the next one. */
  resends: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
}

export interface RelayedReads {
  /** These ids went through a relay: sent again later, in case it dropped them. */
  unsure(member: MemberHandle, ids: readonly string[]): void;
  /** A new route (or the direct link back): what a relay may have dropped, to go on it first. */
  take(member: MemberHandle): string[];
  /** The member is gone: the next resend's timer stops. */
  removed(member: MemberHandle): void;
}

export function createRelayedReads(): RelayedReads {
  const unsureSlot = createSlot<UnsureReads>('receipts:unsure', () => ({ unsure: [], resends: 0, retryTimer: null }));

  function resendUnsure(member: MemberHandle): void {
    if (member.disposed) return;
    const state = member.slot(unsureSlot);
    state.retryTimer = null;
    // No route now: `opened` sends them when there is one again.
    if (!member.relayed || state.unsure.length === 0) return;
    if (state.resends >= RELAYED_READ_RESENDS) {
      state.unsure = [];
      return;
    }
    // Kept when it cannot go now (the relay's queue is full): the next try, or `opened`.
    member.send({ t: 'receipt:read', ids: [...state.unsure] });
    state.resends += 1;
    state.retryTimer = setTimeout(() => resendUnsure(member), RELAYED_READ_RETRY_MS * 2 ** state.resends);
  }

  return {
    unsure(member, ids) {
      const state = member.slot(unsureSlot);
      state.unsure.push(...ids);
      if (state.unsure.length > MAX_READ_IDS) state.unsure.splice(0, state.unsure.length - MAX_READ_IDS);
      state.resends = 0;
      if (state.retryTimer !== null) clearTimeout(state.retryTimer);
      state.retryTimer = setTimeout(() => resendUnsure(member), RELAYED_READ_RETRY_MS);
    },
    take(member) {
      const state = member.slot(unsureSlot);
      const ids = state.unsure;
      if (ids.length > 0) state.unsure = [];
      return ids;
    },
    removed(member) {
      const { retryTimer } = member.slot(unsureSlot);
      if (retryTimer !== null) clearTimeout(retryTimer);
    },
  };
}
