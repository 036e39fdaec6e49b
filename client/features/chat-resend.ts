// When our lines go again to a member that has not acknowledged them (its outbox is
// chat-outbox.ts's). A direct channel is reliable and ordered: a line on it arrives, or the
// channel closes and the outbox goes again on the next one (`opened`). But the receiver may
// drop what arrives: while it holds us muted for going over a budget (budget.ts, MUTE_MS),
// everything we send is dropped, the channel staying open. And a relay may drop a line (over
// its rate, its own link to the member down, or on purpose) while our route through it stays
// up. Nothing else would tell us of either. So a line not acknowledged after RESEND_FIRST_MS
// through a relay, or DIRECT_RESEND_FIRST_MS on a direct channel (past a mute), goes again,
// and again after twice as long each time nothing came back (relay-outbox.ts notices the same
// line handed to the same relay twice, and relay-route.ts prefers another relay from then on).
import { MUTE_MS } from '../budget.ts';
import { createSlot, type MemberHandle } from '../feature.ts';

/**
 * Through a relay, our oldest line not acknowledged this long after the resend timer was set
 * goes again with everything after it (the receiver drops the copies it has); the wait
 * doubles each time it is still not acknowledged, up to RESEND_MAX_MS, and starts over once
 * a line is. A line counts as sent only once the relay's queue took it (relay-outbox.ts, at the
 * relay's pace), so this need only cover a round trip through the relay, the receiver's
 * signature check and the 40 ms its acks wait.
 */
export const RESEND_FIRST_MS = 3_000;
export const RESEND_MAX_MS = 60_000;
/**
 * On a direct channel a line is acknowledged within a round trip and 40 ms, unless the
 * receiver dropped it: it holds us muted for MUTE_MS after we went over one of its budgets
 * (in the NAT lab, a backlog of typing starts released at once when a link came back from a
 * dead spot muted its sender, and the lines that came with it were lost for good). A line
 * not acknowledged this long goes again, once the mute is surely over.
 */
export const DIRECT_RESEND_FIRST_MS = MUTE_MS + RESEND_FIRST_MS;

interface ResendState {
  /** While lines sent through a relay wait for their ack: when to send them again. */
  resendTimer: ReturnType<typeof setTimeout> | null;
  /** The wait the timer was set for (ms): doubles while nothing is acknowledged. */
  resendWait: number;
  /** The id of the oldest unacknowledged line when the timer was set. */
  resendHead: string | null;
}

export interface ChatResendOptions {
  /** Lines of ours went out to the member on its current channel and are not acknowledged. */
  outstanding(member: MemberHandle): boolean;
  /** The id of our oldest line the member has not acknowledged. */
  oldest(member: MemberHandle): string | undefined;
  /** Sends the member all it has not acknowledged again, from the oldest. */
  again(member: MemberHandle): void;
}

export interface ChatResend {
  /** Lines went out to the member: the timer is set, unless it is already. */
  arm(member: MemberHandle): void;
  /**
   * Lines arrive (on whatever path): the next line through a relay waits the first wait
   * again, not what a relay that dropped lines earlier had doubled it to.
   */
  arrived(member: MemberHandle): void;
  /** Nothing is out to the member any more (shut, or gone): its timer stops. */
  stop(member: MemberHandle): void;
}

export function createChatResend({ outstanding, oldest, again }: ChatResendOptions): ChatResend {
  const resendSlot = createSlot<ResendState>('chat:resend', () => ({
    resendTimer: null,
    resendWait: RESEND_FIRST_MS,
    resendHead: null,
  }));

  function arm(member: MemberHandle): void {
    const state = member.slot(resendSlot);
    if (state.resendTimer !== null) return;
    state.resendHead = oldest(member) ?? null;
    state.resendWait = Math.max(state.resendWait, member.relayed ? RESEND_FIRST_MS : DIRECT_RESEND_FIRST_MS);
    state.resendTimer = setTimeout(() => resendDue(member), state.resendWait);
  }

  /** The resend timer: our oldest line not acknowledged in time goes again. */
  function resendDue(member: MemberHandle): void {
    const state = member.slot(resendSlot);
    state.resendTimer = null;
    // Nothing out unacknowledged: no timer until a line goes.
    if (member.disposed || !outstanding(member)) return;
    if (oldest(member) !== state.resendHead) {
      // The line the timer was set for was acknowledged: the path delivers (the relay, or
      // the receiver no longer drops). The oldest one now gets a wait of its own, from the
      // start (arm keeps a direct channel's longer first wait).
      state.resendWait = RESEND_FIRST_MS;
      arm(member);
      return;
    }
    state.resendWait = Math.min(state.resendWait * 2, RESEND_MAX_MS);
    again(member);
  }

  return {
    arm,
    arrived(member) {
      member.slot(resendSlot).resendWait = RESEND_FIRST_MS;
    },
    stop(member) {
      const state = member.slot(resendSlot);
      if (state.resendTimer !== null) clearTimeout(state.resendTimer);
      state.resendTimer = null;
    },
  };
}
