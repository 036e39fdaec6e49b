// Opening our microphone, camera and screen, each from a click: joining (open), Camera on
// (openCamera), Unmute after the microphone was lost (openMic) and Share screen (openScreen).
// What each promises is said on LocalMedia (local-media.ts); what opens is kept in our
// tracks (local-media-tracks.ts), and what is no longer wanted once open is stopped.
import type { LocalMedia, Opened } from './local-media.ts';
import { ask, askPreferring, CAMERA, SCREEN } from './local-media-ask.ts';
import { openDevice, sendableCamera } from './local-media-sendable.ts';
import type { LocalTracks } from './local-media-tracks.ts';
import type { MediaProblem } from './media-errors.ts';

export type MediaOpening = Pick<LocalMedia, 'open' | 'openCamera' | 'openMic' | 'openScreen'>;

/** The microphone, asked for alone, would not open: the problem is its own. */
const micProblem = (problem: MediaProblem): Opened => ({ ok: false, problem, kind: 'audio' });

export function createMediaOpening(tracks: LocalTracks): MediaOpening {
  return {
    async open(video, stillWanted = () => true, preferred = {}) {
      let { got, gone } = await askPreferring(video ? { audio: {}, video: CAMERA } : { audio: {} }, preferred);
      // Refused for both, perhaps for the camera alone (the microphone allowed, the camera
      // blocked): the microphone is asked for alone, and the call is joined with it. The user
      // was left out of the call, told the "camera or microphone" was not allowed, while
      // Join call would have worked. What the microphone alone is refused is said of it.
      const cameraRefused = video && got === 'denied' && stillWanted();
      if (cameraRefused) ({ got, gone } = await askPreferring({ audio: {} }, preferred));
      if (typeof got === 'string') return video && !cameraRefused ? { ok: false, problem: got } : micProblem(got);
      // Hung up while the prompt was open: no camera is checked (its light would come on).
      if (!stillWanted()) {
        for (const track of got.getTracks()) track.stop();
        return { ok: true };
      }
      const openedMic = got.getAudioTracks()[0] ?? null;
      tracks.use('audio', openedMic);
      tracks.use('video', null);
      const asked = got.getVideoTracks()[0] ?? null;
      // Hung up (closeAll) while the camera is tried: that microphone is no longer ours.
      const picked = asked && (await sendableCamera(asked, () => tracks.mic === openedMic && stillWanted()));
      if (tracks.mic !== openedMic) {
        picked?.stop();
        return { ok: true };
      }
      tracks.use('video', picked);
      tracks.restream();
      const fellBack = gone.filter((kind) => (kind === 'audio' ? tracks.mic : picked));
      const cameraProblem = cameraRefused ? 'denied' : asked && !picked ? 'unsendable' : null;
      return {
        ok: true,
        ...(cameraProblem ? { problem: cameraProblem } : {}),
        ...(fellBack.length > 0 ? { gone: fellBack } : {}),
      };
    },
    async openCamera(stillWanted = () => true, preferred = null) {
      const chosen = tracks.cameraChoice;
      // The camera chosen and no other: the one the user turned off, or picked since. Gone
      // (unplugged while off) or now refused, it is said so and nothing else is opened.
      const { got, gone } =
        chosen === null
          ? await askPreferring({ video: CAMERA }, { video: preferred })
          : { got: await openDevice('video', chosen), gone: [] };
      if (typeof got === 'string') return { ok: false, problem: got };
      const asked = got.getVideoTracks()[0] ?? null;
      if (!stillWanted()) {
        asked?.stop();
        return { ok: true };
      }
      const picked = chosen === null ? asked && (await sendableCamera(asked, stillWanted)) : asked;
      if (!stillWanted()) {
        picked?.stop();
        return { ok: true };
      }
      tracks.use('video', picked);
      tracks.restream();
      if (!tracks.camera) return { ok: false, problem: asked ? 'unsendable' : 'failed' };
      return gone.length > 0 ? { ok: true, gone } : { ok: true };
    },
    async openMic(preferred = null) {
      const { got, gone } = await askPreferring({ audio: {} }, { audio: preferred });
      if (typeof got === 'string') return micProblem(got);
      const opened = got.getAudioTracks()[0] ?? null;
      if (!opened) return micProblem('failed');
      tracks.mic?.stop();
      tracks.use('audio', opened);
      tracks.restream();
      return gone.length > 0 ? { ok: true, gone } : { ok: true };
    },
    async openScreen(ended, alongside = false) {
      const got = await ask((d) => d.getDisplayMedia({ video: SCREEN }));
      if (typeof got === 'string') return { ok: false, problem: got };
      const track = got.getVideoTracks()[0] ?? null;
      if (!track) return { ok: false, problem: 'failed' };
      tracks.useScreen(track, alongside, ended);
      tracks.restream();
      return { ok: true };
    },
  };
}
