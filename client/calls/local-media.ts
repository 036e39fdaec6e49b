// Our own microphone, camera and screen. Nothing is opened except from a click (the
// feature's join / camera / screen actions), and everything opened is stopped on hang up.
// `outgoing` is what the members in the call receive: the microphone, and the screen when
// one is shared, else the camera.
import { type MediaProblem, mediaProblem } from './media-errors.ts';

export type Opened = { ok: true } | { ok: false; problem: MediaProblem };

export interface LocalMedia {
  readonly mic: MediaStreamTrack | null;
  readonly camera: MediaStreamTrack | null;
  readonly screen: MediaStreamTrack | null;
  /** The outgoing video: the screen while sharing, else the camera (or none). */
  video(): MediaStreamTrack | null;
  /** The stream our tracks are announced in (and the preview shows). */
  readonly stream: MediaStream;
  /** Opens the microphone, and the camera too when `video`. */
  open(video: boolean): Promise<Opened>;
  /** Opens the camera alone (someone who joined with audio turns it on). */
  openCamera(): Promise<Opened>;
  /** Asks for a screen; `ended` runs when the browser's "stop sharing" ends it. */
  openScreen(ended: () => void): Promise<Opened>;
  closeScreen(): void;
  closeAll(): void;
}

/** Media needs a secure context: over plain http on a LAN address this is undefined. */
export function mediaDevices(): MediaDevices | null {
  return typeof navigator !== 'undefined' && navigator.mediaDevices ? navigator.mediaDevices : null;
}

/**
 * What we ask for: a camera picture of ordinary call size (every other member decodes it,
 * one stream each), and a screen at a frame rate fit for text and slides, not for games.
 */
const CAMERA: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { max: 30 } };
const SCREEN: MediaTrackConstraints = { frameRate: { max: 15 } };

export function createLocalMedia(): LocalMedia {
  let mic: MediaStreamTrack | null = null;
  let camera: MediaStreamTrack | null = null;
  let screen: MediaStreamTrack | null = null;
  let stream = new MediaStream();

  /** Rebuilds the stream from the current tracks (a new object, so previews reload). */
  function restream(): void {
    const video = screen ?? camera;
    stream = new MediaStream([...(mic ? [mic] : []), ...(video ? [video] : [])]);
  }

  async function ask(get: (devices: MediaDevices) => Promise<MediaStream>): Promise<MediaStream | MediaProblem> {
    const devices = mediaDevices();
    if (!devices) return 'insecure';
    try {
      return await get(devices);
    } catch (error) {
      return mediaProblem(error);
    }
  }

  return {
    get mic() {
      return mic;
    },
    get camera() {
      return camera;
    },
    get screen() {
      return screen;
    },
    get stream() {
      return stream;
    },
    video: () => screen ?? camera,
    async open(video) {
      const got = await ask((d) => d.getUserMedia({ audio: true, video: video ? CAMERA : false }));
      if (typeof got === 'string') return { ok: false, problem: got };
      mic = got.getAudioTracks()[0] ?? null;
      camera = got.getVideoTracks()[0] ?? null;
      restream();
      return { ok: true };
    },
    async openCamera() {
      const got = await ask((d) => d.getUserMedia({ video: CAMERA }));
      if (typeof got === 'string') return { ok: false, problem: got };
      camera = got.getVideoTracks()[0] ?? null;
      restream();
      return { ok: true };
    },
    async openScreen(ended) {
      const got = await ask((d) => d.getDisplayMedia({ video: SCREEN }));
      if (typeof got === 'string') return { ok: false, problem: got };
      const track = got.getVideoTracks()[0] ?? null;
      if (!track) return { ok: false, problem: 'failed' };
      screen = track;
      track.addEventListener('ended', () => {
        if (screen === track) ended();
      });
      restream();
      return { ok: true };
    },
    closeScreen() {
      screen?.stop();
      screen = null;
      restream();
    },
    closeAll() {
      for (const track of [mic, camera, screen]) track?.stop();
      mic = camera = screen = null;
      restream();
    },
  };
}
