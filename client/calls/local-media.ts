// Our own microphone, camera and screen. Nothing is opened except from a click (the
// feature's join / camera / screen actions), and everything opened is stopped on hang up.
// The members in the call receive the microphone, and as video the screen when one is
// shared in place of the camera, else the camera; a screen shared alongside goes as a second
// video (extra()).
// This module is the handle the call uses; its parts, each in a module of its own:
//   local-media-tracks.ts    our tracks as they are now, and the stream they are announced in;
//   local-media-open.ts      opening them: joining, Camera on, Unmute after a loss, Share screen;
//   local-media-switch.ts    another microphone or camera in place of the one in use;
//   local-media-sendable.ts  a device opened by its id, and a camera whose picture can be sent;
//   local-media-ask.ts       what we ask the browser for, and its answer or the problem;
//   local-media-devices.ts   the microphones and cameras there are to pick from.
import type { Preferred } from './local-media-ask.ts';
import { createMediaOpening } from './local-media-open.ts';
import { createDeviceSwitch } from './local-media-switch.ts';
import { createLocalTracks } from './local-media-tracks.ts';
import type { MediaProblem } from './media-errors.ts';
import type { MediaKind } from './senders.ts';

export type { DeviceChoice } from './local-media-devices.ts';
export { listDevices, mediaDevices } from './local-media-devices.ts';
export type { Preferred };

/**
 * Opened, perhaps with something to say: the camera asked for could not be used (`problem`:
 * its picture cannot be sent, or the browser is not allowed to use it), or (`gone`) the
 * microphone or camera preferred is not there, and the default opened instead. Or not, and
 * why: of the microphone alone (`kind`), or of what was asked for.
 */
export type Opened =
  | { ok: true; problem?: MediaProblem; gone?: readonly MediaKind[] }
  | { ok: false; problem: MediaProblem; kind?: MediaKind };

export interface LocalMedia {
  readonly mic: MediaStreamTrack | null;
  readonly camera: MediaStreamTrack | null;
  readonly screen: MediaStreamTrack | null;
  /** The outgoing video: the screen while sharing in place of the camera, else the camera (or none). */
  video(): MediaStreamTrack | null;
  /** A screen shared next to the camera: the second outgoing video, or null. */
  extra(): MediaStreamTrack | null;
  /** The screen goes next to the camera rather than in its place. */
  readonly screenAlongside: boolean;
  /** The stream our tracks are announced in (and the preview shows). */
  readonly stream: MediaStream;
  /**
   * Opens the microphone, and the camera too when `video`: each the `preferred` one (the one
   * last picked, remembered by the page) if it is there, else the browser's default, and
   * then says so (`gone`). A camera whose picture cannot be
   * sent (sendable-picture.ts) gives way to the first other camera whose picture can; if
   * there is none, or the browser is not allowed to use a camera, the microphone alone is
   * open, and the problem says why. Once `stillWanted`
   * says no (hung up while a prompt was open), what opened is stopped and nothing more is tried.
   */
  open(video: boolean, stillWanted?: () => boolean, preferred?: Preferred): Promise<Opened>;
  /**
   * Opens the camera alone (Camera on): the one chosen (cameraChoice), and only that one; with
   * none chosen yet (joined with audio), as open() picks it, `preferred` first.
   */
  openCamera(stillWanted?: () => boolean, preferred?: string | null): Promise<Opened>;
  /**
   * Camera off: the camera is stopped (its light goes out, the device is free for other apps)
   * and kept as the choice Camera on opens again.
   */
  closeCamera(): void;
  /**
   * Opens a microphone (the one in use was lost: unplugged, or its permission withdrawn): the
   * `preferred` one (the one last picked) if it is there, else the default, and then says so
   * (`gone`), as open() does.
   */
  openMic(preferred?: string | null): Promise<Opened>;
  /**
   * Asks for a screen, to go in place of the camera or (`alongside`, with a camera open) next
   * to it; `ended` runs when the browser's "stop sharing" ends it.
   */
  openScreen(ended: () => void, alongside?: boolean): Promise<Opened>;
  closeScreen(): void;
  closeAll(): void;
  /**
   * Opens another microphone or camera in place of the current one, muted or off as the
   * current one was; the current one is stopped once the new one is open. A device that
   * opens only once the current one is freed (a phone's cameras) is asked for again after
   * stopping it; if it still will not open, the current device is opened again, and if even
   * that fails there is none (mic or camera null): never a stopped track left as current.
   * A camera whose picture cannot be sent is refused as one that will not open.
   */
  switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<Opened>;
  /**
   * The deviceId of the microphone or camera in use, or null; with the camera off, the camera
   * Camera on will open (the last one used, or the one picked since), if any.
   */
  deviceOf(kind: 'audio' | 'video'): string | null;
}

/**
 * `lost` runs when the browser ends our microphone or camera (unplugged, its permission
 * withdrawn, the device failed): that track is gone (mic or camera null) by then. Our own
 * stop() never fires it.
 */
export function createLocalMedia(lost: (kind: 'audio' | 'video') => void = () => {}): LocalMedia {
  const tracks = createLocalTracks(lost);
  const opening = createMediaOpening(tracks);
  const switchDevice = createDeviceSwitch(tracks);

  return {
    get mic() {
      return tracks.mic;
    },
    get camera() {
      return tracks.camera;
    },
    get screen() {
      return tracks.screen;
    },
    get stream() {
      return tracks.stream;
    },
    get screenAlongside() {
      return tracks.screenAlongside;
    },
    video: tracks.video,
    extra: tracks.extra,
    open: opening.open,
    openCamera: opening.openCamera,
    openMic: opening.openMic,
    openScreen: opening.openScreen,
    closeScreen: tracks.closeScreen,
    closeCamera: tracks.closeCamera,
    closeAll: tracks.closeAll,
    switchDevice,
    deviceOf: tracks.deviceOf,
  };
}
