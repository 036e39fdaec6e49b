// The buttons on a call tile: Full screen, where this browser has a way to do it
// (full-screen.ts), and on a member's tile the quality of what it sends us, on request. Each
// is described by the tile's name (`about`: its element's id): every tile's was "Full screen"
// alone, whoever's it was.
import { el, icon } from './dom.ts';
import { fullScreenWay } from './full-screen.ts';

/** Four corners: full screen. */
const FULL_SCREEN_ICON = ['M2 6V2h4', 'M10 2h4v4', 'M14 10v4h-4', 'M6 14H2v-4'];
/** An i in a circle: more about this tile. */
const INFO_ICON = ['M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13', 'M8 7v4.5', 'M8 4.6v.1'];

/** The tile's Full screen button, where this browser has a way to do it (full-screen.ts). */
export function fullScreenButton(root: HTMLElement, video: HTMLVideoElement, about: string): HTMLButtonElement[] {
  const go = fullScreenWay(root, video, document.fullscreenEnabled);
  if (!go) return [];
  const full = el('button', { className: 'call-tile-button' });
  full.append(icon(FULL_SCREEN_ICON));
  full.type = 'button';
  full.title = 'Full screen';
  full.setAttribute('aria-label', 'Full screen');
  full.setAttribute('aria-describedby', about);
  full.addEventListener('click', go);
  return [full];
}

const QUALITY_SHOW = 'Show resolution, frame rate, bitrate and packet loss';

/**
 * A member's Quality button (`info`) and the line it shows, hidden until the button is
 * pressed and then filled with what `quality` answers (read out as it comes); pressed again,
 * it hides it.
 */
export function qualityButton(
  quality: () => Promise<string>,
  about: string,
): { info: HTMLButtonElement; line: HTMLElement } {
  const info = el('button', { className: 'call-tile-button', testId: 'call-quality-button' });
  info.append(icon(INFO_ICON));
  info.type = 'button';
  info.title = QUALITY_SHOW;
  info.setAttribute('aria-label', 'Quality: resolution, frame rate, bitrate and packet loss');
  info.setAttribute('aria-describedby', about);
  info.setAttribute('aria-expanded', 'false');
  const line = el('p', { className: 'call-quality', testId: 'call-quality' });
  line.id = `${about}-quality`;
  line.setAttribute('aria-live', 'polite');
  line.hidden = true;
  info.setAttribute('aria-controls', line.id);
  info.addEventListener('click', async () => {
    const open = line.hidden;
    line.hidden = !open;
    info.setAttribute('aria-expanded', String(open));
    info.title = open ? 'Hide the numbers' : QUALITY_SHOW;
    if (!open) return;
    line.textContent = 'reading…';
    const said = await quality().catch(() => 'no statistics');
    if (!line.hidden) line.textContent = said;
  });
  return { info, line };
}
