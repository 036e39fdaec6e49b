// A screen a member shares next to its camera, on a tile of its own ('self': ours, a small
// preview); a screen shared in place of the camera shows on the member's tile (call-tile.ts).
import { fullScreenButton } from './call-tile-tools.ts';
import { el, setText } from './dom.ts';

/**
 * A screen shared next to a member's camera, on a tile of its own: inside the camera's tile
 * (4:3, overflow hidden) it was clipped away whole, and nobody saw it.
 */
export interface ScreenTile {
  root: HTMLElement;
  video: HTMLVideoElement;
}

/** The tile of the screen `id` shares next to its camera, captioned with its member's name. */
export function createScreenTile(id: string, own: boolean, name: string): ScreenTile {
  const root = el('figure', { className: 'call-tile call-screen-tile', testId: 'call-screen-tile' });
  if (own) root.dataset.self = 'true';
  else root.dataset.peerId = id;
  const video = el('video', { testId: 'call-screen-video' });
  video.autoplay = true;
  video.playsInline = true;
  // Pictures only: the member's sound plays from their camera's tile.
  video.muted = true;
  const caption = el('figcaption', { className: 'call-caption' });
  const captionName = el('span', { className: 'call-name', text: own ? 'Your screen' : name });
  captionName.id = `call-screen-name-${id}`;
  caption.append(captionName, el('span', { className: 'call-state', text: own ? '' : 'screen' }));
  const tools = el('div', { className: 'call-tile-tools' });
  tools.append(...fullScreenButton(root, video, captionName.id));
  root.append(video, caption, tools);
  return { root, video };
}

/** The tile with its member's name now (ours says "Your screen") and the stream it plays. */
export function drawScreenTile(tile: ScreenTile, own: boolean, name: string, stream: MediaStream): void {
  if (!own) setText(tile.root.querySelector('.call-name') as HTMLElement, name);
  if (tile.video.srcObject !== stream) tile.video.srcObject = stream;
}
