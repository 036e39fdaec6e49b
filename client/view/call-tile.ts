// A member's tile in the call ('self': ours, mirrored): its picture once it has a frame to
// show, else its name; its sound from an <audio> of its own; its caption, the name and what
// it says of the member as its word and its media come (call-tile-state.ts); its buttons
// (call-tile-tools.ts). A member we ignore (ignored.ts) has its name tile and "ignored": its
// <audio> muted and its picture not shown on this page alone, both back at once when we stop
// (its media still comes: nothing changes on the link). A tile and its <video> persist across renders, so playback never
// restarts because something else changed.
import { callPicture } from '../../protocol/index.ts';
import type { EnergySample } from '../calls/audio-level.ts';
import { mark } from '../timeline.ts';
import type { CallsViewHandlers } from './call-model.ts';
import { type TileLook, tileStateText } from './call-tile-state.ts';
import { fullScreenButton, qualityButton } from './call-tile-tools.ts';
import { el, setData, setText } from './dom.ts';

export interface Tile {
  root: HTMLElement;
  video: HTMLVideoElement;
  /** A member's sound (null on our own tile: never play our microphone back to us). */
  sound: HTMLAudioElement | null;
  /** The caption's two parts: the member's name, and muted / camera off / … */
  name: HTMLElement;
  state: HTMLElement;
  quality: HTMLElement | null;
  audio: RTCRtpReceiver | null;
  /** The audio receiver's energy counters at the last read (null: start over). */
  energy: EnergySample | null;
  /** When the member's audio was last above SPEAKING_LEVEL (call-speaking.ts; performance.now()). */
  loudAt: number;
  /** The member says its camera (or a screen in its place) is on: callPicture. */
  picture: boolean;
  /** The stream the <video> has shown a frame of: none yet while it differs from srcObject. */
  framed: MediaStream | null;
  /** What the tile says of its member now (drawTile): its words are drawn again as its media comes. */
  look: TileLook | null;
}

/**
 * A member's tile ('self': ours), made when first needed and kept while it is in the call,
 * watching for the first frame of each stream its <video> plays. Its Quality button asks
 * `handlers.quality`.
 */
export function createTile(id: string, own: boolean, handlers: Pick<CallsViewHandlers, 'quality'>): Tile {
  const tile = makeTile(id, own, handlers);
  watchFrames(tile);
  mark('call-tile', id);
  // When this tile's video first has a frame to show (bench and developers: timeline.ts).
  tile.video.addEventListener('loadeddata', () => mark('call-video-data', id), { once: true });
  return tile;
}

function makeTile(id: string, own: boolean, handlers: Pick<CallsViewHandlers, 'quality'>): Tile {
  const root = el('figure', { className: own ? 'call-tile self' : 'call-tile', testId: 'call-tile' });
  if (own) root.dataset.self = 'true';
  else root.dataset.peerId = id;
  const video = el('video');
  video.autoplay = true;
  video.playsInline = true;
  // Pictures only: a member's sound plays from an <audio> of its own. A <video> whose
  // video track never had a frame (a member without a camera) stays at HAVE_NOTHING and
  // never plays, and its sound with it (Chromium): such a member went unheard.
  video.muted = true;
  const sound = own ? null : el('audio');
  if (sound) sound.autoplay = true;
  // Name and state apart: a tile without video shows them on two lines (styles.css).
  const caption = el('figcaption', { className: 'call-caption' });
  const captionName = el('span', { className: 'call-name' });
  captionName.id = `call-name-${id}`;
  const captionState = el('span', { className: 'call-state' });
  caption.append(captionName, captionState);
  const tools = el('div', { className: 'call-tile-tools' });
  tools.append(...fullScreenButton(root, video, captionName.id));
  let quality: HTMLElement | null = null;
  if (!own) {
    const { info, line } = qualityButton(() => handlers.quality(id), captionName.id);
    tools.append(info);
    quality = line;
  }
  root.append(video, caption, tools);
  if (sound) root.append(sound);
  if (quality) root.append(quality);
  return {
    root,
    video,
    sound,
    name: captionName,
    state: captionState,
    quality,
    audio: null,
    energy: null,
    loudAt: Number.NEGATIVE_INFINITY,
    picture: false,
    framed: null,
    look: null,
  };
}

/**
 * The tile's words as its media stands: a picture shown (a frame of what it plays), sound
 * coming (its audio receiver's track has packets: a received track is muted until then, and
 * again when they stop). Ours: its preview, and no sound of ours is played to us.
 */
export function sayState(tile: Tile): void {
  if (tile.look === null) return;
  const picture = tile.framed !== null && tile.framed === tile.video.srcObject;
  const sound = tile.sound === null || (tile.audio !== null && !tile.audio.track.muted);
  setText(tile.state, tileStateText(tile.look, { picture, sound }));
}

/** The member's sound as it comes and stops: its words follow (sayState). */
export function hearFrom(tile: Tile, receiver: RTCRtpReceiver | null): void {
  tile.audio = receiver;
  tile.energy = null;
  if (receiver === null) return;
  const changed = () => {
    if (tile.audio === receiver) sayState(tile);
  };
  receiver.track.addEventListener('mute', changed);
  receiver.track.addEventListener('unmute', changed);
}

/**
 * The picture once there is one: a camera just turned on (its member's word, or our own
 * camera opened) shows the name tile until its <video> has a frame of the stream it now
 * plays. The word comes before the first frame (a keyframe to wait for, the camera's own
 * start), and the tile was black meanwhile.
 */
function showPicture(tile: Tile): void {
  const framed = tile.framed !== null && tile.framed === tile.video.srcObject;
  const seen = tile.picture && framed && tile.look?.ignored !== true;
  setData(tile.root, 'camera', seen ? 'on' : 'off');
  sayState(tile);
}

/**
 * Watches for the first frame of each stream the tile's <video> plays: its size known and a
 * frame to show (HAVE_CURRENT_DATA). These come from the media pipeline, so they come for
 * the <video> undisplayed on the name tile too, as a frame painted would not.
 */
function watchFrames(tile: Tile): void {
  const seen = () => {
    const { video } = tile;
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return;
    if (!(video.srcObject instanceof MediaStream) || tile.framed === video.srcObject) return;
    tile.framed = video.srcObject;
    showPicture(tile);
  };
  tile.video.addEventListener('loadeddata', seen);
  tile.video.addEventListener('resize', seen);
}

/** The tile as its member now is: its name, its stream and sound, what it says of the member. */
export function drawTile(tile: Tile, name: string, stream: MediaStream, look: TileLook): void {
  const { state } = look;
  const ignored = look.ignored === true;
  if (tile.video.srcObject !== stream) tile.video.srcObject = stream;
  if (tile.sound) {
    hear(tile.sound, stream.getAudioTracks()[0] ?? null);
    // Muted here, not stopped: its sound is back at once when we stop ignoring.
    tile.sound.muted = ignored;
  }
  tile.root.dataset.ignored = String(ignored);
  // Before showPicture, which reads whether it is ignored.
  tile.look = look;
  const picture = callPicture(state);
  tile.root.dataset.muted = String(!state.audio);
  // Off: the name tile, from the member's word (call:state) at once, never a last frame.
  // On: once the <video> has a frame to show (showPicture).
  tile.picture = picture !== 'none';
  showPicture(tile);
  tile.root.dataset.screen = String(state.screen);
  // What its <video> shows: a screen shared in place of the camera is laid out as a screen
  // (whole, first, across: styles.css), not cropped to a camera's 4:3 like a face.
  // (Not while ignored: its name tile is laid out as any other's.)
  tile.root.dataset.picture = picture === 'screen' && !ignored ? 'screen' : 'camera';
  tile.root.dataset.relayed = String(look.relayed);
  tile.root.dataset.heard = String(look.heard);
  setText(tile.name, name);
  sayState(tile);
}

/** Plays this audio track (a new stream only when the track changed: no restart otherwise). */
function hear(sound: HTMLAudioElement, track: MediaStreamTrack | null): void {
  const current = sound.srcObject instanceof MediaStream ? sound.srcObject.getAudioTracks()[0] : undefined;
  if ((current ?? null) === track) return;
  sound.srcObject = track ? new MediaStream([track]) : null;
}
