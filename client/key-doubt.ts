// Our own room key in doubt: when every member we link to failed the room-key proof and
// none proved it, the likeliest cause is the link this page was opened with (an old or
// mistyped key after #k=), though someone in the middle looks the same. Each entry says
// "intercepted" on its own; this tells the user, by the message box (not in the chat, where
// the entries' warnings never go), what to do about it. A member that proves the key clears
// it.
import type { MemberView } from './member.ts';

/** A member's verdict that means: our keys differ (on a link, or twice). */
const MISMATCHED = new Set(['room-key-mismatch', 'intercepted']);

export const KEY_DOUBT_TEXT =
  'No one here could confirm the room key in your link (the part after “#k=”): if it is old or mistyped, ask for the full link again; if not, someone may be in between. Until then nothing you write reaches anyone.';

/** `show` gets the text while the doubt holds, and null once it is cleared. */
export function createKeyDoubt(show: (text: string | null) => void) {
  let said = false;
  return {
    /** The member list as it is now. */
    check(members: readonly MemberView[]): void {
      if (members.some((m) => m.verification === 'verified')) {
        if (said) show(null);
        said = false;
        return;
      }
      // A member without the room key proves nothing about ours, either way.
      const judges = members.filter((m) => m.reason?.code !== 'no-room-key');
      // Every other member failed it, and at least one twice (held: not a glitch of one link).
      const doubted =
        judges.length > 0 &&
        judges.every((m) => m.reason !== null && MISMATCHED.has(m.reason.code)) &&
        judges.some((m) => m.reason?.code === 'intercepted');
      if (!doubted || said) return;
      said = true;
      show(KEY_DOUBT_TEXT);
    },
  };
}
