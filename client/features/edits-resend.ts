// Our edits out to each member and not acknowledged yet (protocol/channel/edits.ts editAckId):
// sent again, as lines are (chat-resend.ts), until the member acknowledges them. A relay may
// drop them while our route through it stays up, and nothing else would tell us: the same
// edit handed to it again unacknowledged is what makes relay-outbox.ts doubt it and the route
// move to another relay, whose opening sends our latest edits again (edits-own.ts resync).
//
// Bounded both ways: a member keeps at most MAX_EDIT_SYNC edits of ours waiting (the latest
// of each line; the oldest, pushed out, is given up on), and after RESEND_ROUNDS goes with none
// acknowledged it is sent none again until its link or route opens anew, or its author presses
// Retry on the line, so a member that never acknowledges (a hostile one, or an older page
// reached only through a relay, whose version we cannot know) costs a few dozen sends, not a
// stream. Acknowledging makes us send nothing more. The page is told whom it gave up on
// (edits-delivery.ts): the line says so.
import { editAckId, MAX_EDIT_SYNC, type MessageOf } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { createSlot, type MemberHandle } from '../feature.ts';
import { DIRECT_RESEND_FIRST_MS, RESEND_FIRST_MS, RESEND_MAX_MS } from './chat-resend.ts';

type EditMessage = MessageOf<'chat:edit'>;

/** Goes of what waits, none acknowledged, before we wait for the next opening instead. */
export const RESEND_ROUNDS = 5;

interface Waiting {
  /** Our edits out to the member and not acknowledged, by their ack id, oldest first. */
  out: Map<string, EditMessage>;
  timer: ReturnType<typeof setTimeout> | null;
  /** The wait the timer is set for (ms): doubles while nothing is acknowledged. */
  wait: number;
  /** Goes since the member last acknowledged one. */
  rounds: number;
}

export interface EditResendOptions {
  /** After RESEND_ROUNDS goes with no ack, the member is sent this edit of ours no more (for now). */
  gaveUp?(member: MemberHandle, message: EditMessage): void;
}

export function createEditResend({ gaveUp }: EditResendOptions = {}) {
  const waitingSlot = createSlot<Waiting>('edits:resend', () => ({
    out: new Map(),
    timer: null,
    wait: RESEND_FIRST_MS,
    rounds: 0,
  }));

  function arm(member: MemberHandle, state: Waiting): void {
    if (state.timer !== null) return;
    state.wait = Math.max(state.wait, member.relayed ? RESEND_FIRST_MS : DIRECT_RESEND_FIRST_MS);
    state.timer = setTimeout(() => due(member), state.wait);
  }

  function stop(member: MemberHandle): void {
    const state = member.slot(waitingSlot);
    if (state.timer !== null) clearTimeout(state.timer);
    state.timer = null;
  }

  function due(member: MemberHandle): void {
    const state = member.slot(waitingSlot);
    state.timer = null;
    if (member.disposed || member.shut || state.out.size === 0) return;
    if (state.rounds >= RESEND_ROUNDS) {
      // It goes again when the member's link or route opens (edits-own.ts resync), or on Retry.
      const given = [...state.out.values()];
      state.out.clear();
      for (const message of given) gaveUp?.(member, message);
      return;
    }
    state.rounds++;
    state.wait = Math.min(state.wait * 2, RESEND_MAX_MS);
    for (const message of state.out.values()) member.send(message);
    arm(member, state);
  }

  return {
    /**
     * Our edit went to the member (which acknowledges edits): it waits for its ack. `afresh`
     * (Retry): the member gets RESEND_ROUNDS goes again, however many it had without an ack.
     */
    sent(member: MemberHandle, message: EditMessage, afresh = false): void {
      const key = editAckId(message);
      if (key === null) return;
      const state = member.slot(waitingSlot);
      if (afresh) {
        state.rounds = 0;
        state.wait = RESEND_FIRST_MS;
      }
      // An earlier edit of the same line is made stale by this one: only the latest waits.
      for (const [other, waiting] of state.out) if (waiting.id === message.id) state.out.delete(other);
      state.out.set(key, message);
      // The oldest goes no more (newer edits took its place): given up on, as after its rounds.
      for (const dropped of dropOldest(state.out, MAX_EDIT_SYNC)) gaveUp?.(member, dropped);
      arm(member, state);
    },
    /** Whether our edit is still sent again to the member until it acknowledges it. */
    sending: (member: MemberHandle, message: EditMessage): boolean =>
      member.slot(waitingSlot).out.has(editAckId(message) ?? ''),
    /** The member acknowledged these ids (most are lines': chat.ts). */
    acknowledged(member: MemberHandle, ids: readonly string[]): void {
      const state = member.slot(waitingSlot);
      let any = false;
      for (const id of ids) any = state.out.delete(id) || any;
      if (!any) return;
      state.rounds = 0;
      state.wait = RESEND_FIRST_MS;
      if (state.out.size === 0) stop(member);
    },
    /** Nothing goes to the member any more (shut, or gone). */
    stop(member: MemberHandle): void {
      stop(member);
      member.slot(waitingSlot).out.clear();
    },
    /** Our edits the member has not acknowledged (debug handle, tests). */
    pending: (member: MemberHandle | undefined): number => member?.slot(waitingSlot).out.size ?? 0,
  };
}

export type EditResend = ReturnType<typeof createEditResend>;
