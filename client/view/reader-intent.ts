// The reader's wish to go up, known before the scroll it causes (follow.ts, leaving): a wheel
// turned up, a finger drawn down on the chat's list. (A key that goes up moves the current
// line, list-focus.ts, which says so itself.)

/** A finger moved down this far is a drag, not a tap. */
const TOUCH_SLOP_PX = 10;

/**
 * Calls `goingUp` when the reader asks `list` to go up, if `canGoUp` (the list is not at its
 * top already).
 */
export function watchGoingUp(
  list: Pick<GlobalEventHandlers, 'addEventListener'>,
  canGoUp: () => boolean,
  goingUp: () => void,
): void {
  const wish = (): void => {
    if (canGoUp()) goingUp();
  };
  // (Not a wheel with Ctrl, which zooms the page.)
  list.addEventListener('wheel', (event) => event.deltaY < 0 && !event.ctrlKey && wish(), { passive: true });
  // On a touch screen, a finger drawn down drags the lines down: the reader is going up. One
  // finger (two pinch), and past a slop, so that a tap on a line's buttons is not taken for it.
  let touchTopY: number | null = null;
  const oneFingerY = (event: TouchEvent): number | null =>
    event.touches.length === 1 ? (event.touches[0]?.clientY ?? null) : null;
  list.addEventListener('touchstart', (event) => (touchTopY = oneFingerY(event)), { passive: true });
  list.addEventListener(
    'touchmove',
    (event) => {
      const y = oneFingerY(event);
      if (touchTopY === null || y === null) return;
      // Measured from the finger's highest point: up first, then down, is going up too.
      touchTopY = Math.min(touchTopY, y);
      if (y - touchTopY < TOUCH_SLOP_PX) return;
      touchTopY = null; // once per touch
      wish();
    },
    { passive: true },
  );
}
