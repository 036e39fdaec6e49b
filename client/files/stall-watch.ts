// A file line whose bytes stop coming says so. Progress is shown only when bytes move, so on a
// link that went quiet (a phone in a dead spot, a member whose network dropped) the line kept
// its last speed and time left ("175 KB/s · 19 s left") for as long as nothing came; in the
// NAT lab's 20 s and 60 s cuts it said so for the whole cut. After STALL_MS without progress
// the line shows where it stands, stalled, without a speed or time left that no longer hold.
import type { FileLine, ShowFileLine } from './line.ts';
import { type ProgressSnapshot, STALL_MS } from './progress.ts';

/** `show`, with each line it makes watched for stalls (`stallMs` without progress) while it is transferring. */
export function watchForStalls(show: ShowFileLine, stallMs = STALL_MS): ShowFileLine {
  return (info, actions) => {
    const line = show(info, actions);
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last: ProgressSnapshot | null = null;
    let transferring = false;
    const stop = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };
    const arm = () => {
      stop();
      if (!transferring || last === null || last.done >= last.total) return;
      const shown = last;
      timer = setTimeout(() => {
        timer = null;
        if (transferring && last === shown) line.progress({ ...shown, speed: 0, secondsLeft: null, stalled: true });
      }, stallMs);
    };
    const watched: FileLine = {
      state(state, status) {
        transferring = state === 'transferring';
        line.state(state, status);
        arm();
      },
      progress(snapshot) {
        last = snapshot;
        line.progress(snapshot);
        arm();
      },
      recipients: (labels) => line.recipients(labels),
      ask: (asking) => line.ask(asking),
      ready: (file, remove) => line.ready(file, remove),
      gone: (remove) => line.gone(remove),
      preview: (file) => line.preview(file),
      offered: () => line.offered(),
      sharing: (shared) => line.sharing(shared),
    };
    return watched;
  };
}
