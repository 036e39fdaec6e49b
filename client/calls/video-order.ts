// Who keeps sending video when more members than the cap (MAX_VIDEO_SENDERS) turned theirs on
// at the same moment. Each page checks the cap against the states it has heard when its own
// camera goes on (features/calls-video-cap.ts), so members pressing Join with video or Camera
// on at once each found room, and all their cameras stayed on: three with a cap of two, in 2
// rounds of 2 (explorer Q). Nothing decides for them but each page itself, so every page that
// sends video orders the ones on the same way and, if it is past the cap, turns its own off:
// the latest to turn on yields, by the time each says its video went on (call:state
// `videoSince`, its own clock), ties by peer id. Every page reads the same claims, so the
// pages of honest members agree on who yields, whatever their clocks (a clock behind only
// wins more ties).
//
// A claim is only a member's word. A hostile member would claim the earliest time there is,
// to keep its camera and push an honest one off. So a page takes a member's claim of having
// gone on before it only when it heard that member's video go on before its own, or within
// SAME_MOMENT_MS after: an honest member says its video is on as it goes on, so one that went
// on before us is heard by then. Heard later, the member's video is ranked after ours whatever
// it claims: when in doubt, it is that member's camera that should yield, never ours. A liar
// may then keep its camera past the cap (as it could by changing its page), but an honest
// member's camera yields only to members whose video went on at its own moment (an honest
// racer's, or a liar's that raced it), never to one turned on later. A claim missing (a page
// older than CALL_SINCE_VERSION, or one held back and said over SAME_MOMENT_MS after its video
// was heard going on: features/calls-remote-state.ts) is in doubt too.
//
// Within that moment a liar could still veto every camera: each time an honest member's went
// on, turn its own on at once with an early claim, and once the honest one yielded, turn it
// off again and wait for the next. So our video yields to a member at most once a while:
// once ours yielded to it, a video of its heard going on anew (turned off and on again, or on
// a new link) after ours went on, within YIELD_AGAIN_MS of that yield, is never one ours
// yields to, whatever it claims. A video of its heard on before ours went on is a slot it
// holds, counted as ever; a veto needs one turned on as ours is. A member keeps its veto only
// while it keeps its video on, in the slot it took, which it may do anyway. The price: an
// honest member that made ours yield, then turned its video off and on again at our moment
// within those minutes, keeps it as we keep ours (its page cannot know ours does not yield to
// it), one camera past the cap until one of us turns theirs off.
//
// A member here is a peer id (calls-video-cap.ts keys its yields by member.id), and every tab
// has its own: one person holding k tabs in the call, or back in a new tab, is k members with
// a veto each a while. A page cannot tell two tabs of one person from two people, so the
// bound is per id, not per person.

/**
 * How long after our video went on a member's may be heard and still be taken to have gone on
 * at the same moment: a state goes out at most a window late (state-rate.ts), and a busy link
 * stalls for seconds.
 */
export const SAME_MOMENT_MS = 5_000;

/** How long after our video yielded to a member a video of its turned on anew is not yielded to. */
export const YIELD_AGAIN_MS = 5 * 60_000;

/** The members our video yielded to: when it last did (this page's monotonic clock), by peer id. */
export type Yields = ReadonlyMap<string, number>;

/** A member that sends video, as this page knows it. */
export interface VideoClaim {
  id: string;
  name: string;
  /** When it says its video went on (its clock, ms since 1970); undefined when it does not say. */
  since: number | undefined;
  /** When this page heard its video go on (this page's monotonic clock). */
  heardAt: number;
}

/** Our own video: when we say it went on (our clock, ms since 1970) and when it did (our monotonic clock). */
export interface OwnVideo {
  id: string;
  since: number;
  onAt: number;
}

const ranksBefore = (a: { since: number; id: string }, b: { since: number; id: string }): boolean =>
  a.since < b.since || (a.since === b.since && a.id < b.id);

/** Its video went on anew, as ours did, soon after ours yielded to it: not one ours yields to (see above). */
function yieldedToLately(own: OwnVideo, other: VideoClaim, yields: Yields): boolean {
  const at = yields.get(other.id);
  return at !== undefined && other.heardAt > Math.max(at, own.onAt) && other.heardAt < at + YIELD_AGAIN_MS;
}

/**
 * Whether our video must yield to the cap: `cap` members or more ranked before us (their
 * claims taken only as the comment above says, and not from one ours yielded to lately as
 * `yields` says). Null when we keep it; else the member whose video went on last among those
 * before us (the one heard last: the one that came at our moment), named in what we say.
 */
export function yieldTo(
  own: OwnVideo,
  others: readonly VideoClaim[],
  cap: number,
  yields: Yields = new Map(),
  sameMomentMs = SAME_MOMENT_MS,
): VideoClaim | null {
  const before = others.filter(
    (other) =>
      other.since !== undefined &&
      other.heardAt <= own.onAt + sameMomentMs &&
      !yieldedToLately(own, other, yields) &&
      ranksBefore({ since: other.since, id: other.id }, own),
  );
  if (before.length < cap) return null;
  const later = (a: VideoClaim, b: VideoClaim) =>
    a.heardAt > b.heardAt || (a.heardAt === b.heardAt && (a.since ?? 0) > (b.since ?? 0));
  return before.reduce((last, other) => (later(other, last) ? other : last));
}
