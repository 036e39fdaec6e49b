// Our own tracks as they are now: the microphone, the camera, the screen (in place of the
// camera or next to it), the camera Camera on opens, and the stream they are announced in.
// This module alone holds them; what opens devices (local-media-open.ts) and what switches
// them (local-media-switch.ts) change them through its handle. A microphone or camera kept is
// watched for the browser ending it; the stream is rebuilt when restream() is called, once
// all that changes together has.

/** `lost` runs when the browser ends our microphone or camera (local-media.ts says when). */
export function createLocalTracks(lost: (kind: 'audio' | 'video') => void) {
  let mic: MediaStreamTrack | null = null;
  let camera: MediaStreamTrack | null = null;
  let screen: MediaStreamTrack | null = null;
  let screenAlongside = false;
  let stream = new MediaStream();
  /**
   * The camera Camera on opens: the last one used, or the one picked in the list while the
   * camera was off. Null until a camera was open, and after one was lost (unplugged: Camera on
   * then opens whichever camera there is, as joining does).
   */
  let cameraChoice: string | null = null;
  const video = () => (screenAlongside ? camera : (screen ?? camera));

  /** Our microphone or camera from now on: watched for the browser ending it. */
  function watched(track: MediaStreamTrack | null, kind: 'audio' | 'video'): MediaStreamTrack | null {
    track?.addEventListener?.('ended', () => {
      if (kind === 'audio' ? mic !== track : camera !== track) return; // replaced or closed already
      if (kind === 'audio') mic = null;
      else {
        camera = null;
        cameraChoice = null;
      }
      restream();
      lost(kind);
    });
    return track;
  }

  /** Rebuilds the stream from the current tracks (a new object, so previews reload). */
  function restream(): void {
    const shown = video();
    stream = new MediaStream([...(mic ? [mic] : []), ...(shown ? [shown] : [])]);
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
    get screenAlongside() {
      return screenAlongside;
    },
    get cameraChoice() {
      return cameraChoice;
    },
    video,
    extra: () => (screenAlongside ? screen : null),
    /** Our microphone or our camera, as `kind` says. */
    of: (kind: 'audio' | 'video') => (kind === 'audio' ? mic : camera),
    /**
     * Our microphone or camera from now on (null: none), watched. The one it replaces is not
     * stopped here: the caller stops it, or has already.
     */
    use(kind: 'audio' | 'video', track: MediaStreamTrack | null): void {
      if (kind === 'audio') mic = watched(track, kind);
      else camera = watched(track, kind);
    },
    /** A camera picked in the list while the camera is off: the one Camera on opens. */
    choose(deviceId: string): void {
      cameraChoice = deviceId;
    },
    /**
     * Our screen from now on, next to the camera if `alongside` and a camera is open, else in
     * its place; `ended` runs when the browser's "stop sharing" ends it.
     */
    useScreen(track: MediaStreamTrack, alongside: boolean, ended: () => void): void {
      screen = track;
      screenAlongside = alongside && camera !== null;
      track.addEventListener('ended', () => {
        if (screen === track) ended();
      });
    },
    restream,
    closeScreen(): void {
      screen?.stop();
      screen = null;
      screenAlongside = false;
      restream();
    },
    closeCamera(): void {
      if (!camera) return;
      cameraChoice = camera.getSettings?.().deviceId || cameraChoice;
      camera.stop();
      camera = null;
      restream();
    },
    closeAll(): void {
      for (const track of [mic, camera, screen]) track?.stop();
      mic = camera = screen = null;
      screenAlongside = false;
      restream();
    },
    deviceOf(kind: 'audio' | 'video'): string | null {
      const track = kind === 'audio' ? mic : camera;
      const inUse = track?.getSettings?.().deviceId ?? null;
      return kind === 'video' && !track ? cameraChoice : inUse;
    },
  };
}

export type LocalTracks = ReturnType<typeof createLocalTracks>;
