// Work the page puts off until its join is done with: the line times' locale data
// (view/clock.ts), the confusables table for look-alike names (twins.ts, confusables.ts),
// and the sweep of files a closed tab left behind (files/sink.ts). Each would cost the
// join's first seconds, which the page waits on longest. Separate from main.ts because it
// is all one policy, when to do what costs, with its own tunables and state.
import type { Skeleton } from '../../protocol/name-skeleton.ts';
import { loadSkeleton } from '../confusables.ts';
import { sweepStaleFiles } from '../files/sink.ts';
import { whenIdle } from '../idle.ts';
import type { MemberView } from '../member.ts';
import { mark } from '../timeline.ts';
import { clock } from '../view/lines-time.ts';

/** Received files a closed tab left behind are swept this long after the page starts. */
const SWEEP_AFTER_MS = 30_000;
/**
 * Line times (view/clock.ts) are written once the page has its links: when none is being
 * made any more and at least one is up, on the next idle moment (or this long after, at the
 * latest). Written earlier, their ~100 ms of locale and time-zone data held up the page's
 * first offer or answer (a timeline of a room of two: an offer sent 150–200 ms after the
 * peer:joined that asked for it). Idle moments come within milliseconds on a page that is
 * not saturated; one that is (a room of 8 forming on two cores) had its clock warmed by the
 * timeout mid-join: ~150 ms of its main thread at 2 s, ~300 ms each at 10 s, when the room
 * took 15–17 s to form (CPU profiles of the mesh bench, 8 pages). At 30 s the timeout
 * no longer fires mid-join; such a page may still warm in one of its short idle moments
 * (an A/B found no difference in mesh_ms either way). The timeout only bounds how late
 * lines get their times.
 */
const WARM_CLOCK_WITHIN_MS = 30_000;
/**
 * A page whose links never settle (alone in a room, a stuck link) starts waiting for its idle
 * moment this long after it started.
 */
const WARM_CLOCK_AFTER_MS = 5_000;

export function createDeferred() {
  let clockWarming = false;
  function warmClock(): void {
    mark('clock-warm');
    clock.warm();
  }
  function warmClockOnceSettled(list: readonly MemberView[]): void {
    if (clockWarming || list.length === 0 || list.some((member) => member.state === 'connecting')) return;
    clockWarming = true;
    whenIdle(warmClock, WARM_CLOCK_WITHIN_MS);
  }

  return {
    /** The member list was drawn: once its links are settled, line times are warmed. */
    membersDrawn: warmClockOnceSettled,
    /**
     * Housekeeping, long after the join: opening the origin's file system costs the browser
     * process work that the join's first seconds need.
     */
    sweepLater(): void {
      setTimeout(() => void sweepStaleFiles().catch(() => {}), SWEEP_AFTER_MS);
    },
    /** The page is ready: what waits for a later idle moment is scheduled. */
    afterReady(useSkeleton: (skeleton: Skeleton) => void): void {
      setTimeout(() => whenIdle(warmClock, WARM_CLOCK_WITHIN_MS), WARM_CLOCK_AFTER_MS);
      // Look-alike names (twins.ts) once the join is done with: the table is fetched, and its
      // pattern compiled (~10 ms) at an idle moment.
      setTimeout(
        () =>
          void loadSkeleton().then((skeleton) => {
            if (skeleton)
              whenIdle(() => {
                skeleton('warm');
                useSkeleton(skeleton);
              }, WARM_CLOCK_WITHIN_MS);
          }),
        WARM_CLOCK_AFTER_MS,
      );
    },
  };
}
