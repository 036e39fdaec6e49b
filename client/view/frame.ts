// A view redrawn at most once per frame, however often what it shows changes. While a room
// forms, each link changes state several times and every change asks for a redraw of the call
// (and, through view/calm.ts, of the member list); drawing once per frame draws the latest
// state, and nobody sees the ones between (a change the user must see as it happens is drawn
// now()). A frame may not come (a hidden tab draws none), so a timer stands in for it: the
// call view holds the <video> elements whose sound a hidden tab still plays.
const FRAME_FALLBACK_MS = 100;

/** Asks for a draw on the next frame; `now()` draws at once (and drops the pending one). */
export interface FrameDraw {
  (): void;
  now(): void;
}

export function perFrame(draw: () => void): FrameDraw {
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    if (frame !== null) cancelAnimationFrame(frame);
    if (timer !== null) clearTimeout(timer);
    frame = null;
    timer = null;
    draw();
  };
  const later = () => {
    if (timer !== null) return;
    frame = requestAnimationFrame(run);
    timer = setTimeout(run, FRAME_FALLBACK_MS);
  };
  return Object.assign(later, { now: run });
}
