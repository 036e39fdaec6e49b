// Another microphone or camera in place of the one in use, picked in the list mid-call: what
// LocalMedia's switchDevice promises (local-media.ts). The new one is opened before the
// current one is stopped, except a device that opens only once the current one is freed (a
// phone's cameras): that one is asked for again after it. What ends as ours is kept in our
// tracks (local-media-tracks.ts).
import type { LocalMedia } from './local-media.ts';
import { ask, constraintsFor, tracksOf } from './local-media-ask.ts';
import { openDevice } from './local-media-sendable.ts';
import type { LocalTracks } from './local-media-tracks.ts';

export function createDeviceSwitch(tracks: LocalTracks): LocalMedia['switchDevice'] {
  return async (kind, deviceId) => {
    const current = tracks.of(kind);
    // Picked with the camera off: Camera on opens it, and nothing opens now.
    if (!current && kind === 'video' && tracks.cameraChoice !== null) {
      tracks.choose(deviceId);
      return { ok: true };
    }
    if (!current) return { ok: false, problem: 'no-device' };
    let got = await openDevice(kind, deviceId);
    // Phones often open one camera at a time: free the current one and ask again.
    if (got === 'in-use') {
      const previous = current.getSettings?.().deviceId;
      current.stop();
      got = await openDevice(kind, deviceId);
      if (typeof got === 'string') {
        const problem = got;
        const again = previous === undefined ? null : await ask((d) => d.getUserMedia(constraintsFor(kind, previous)));
        const back = again === null || typeof again === 'string' ? null : (tracksOf(again, kind)[0] ?? null);
        // Hung up (or switched again) meanwhile: keep nothing.
        if (current !== tracks.of(kind)) {
          back?.stop();
          return { ok: false, problem };
        }
        if (back) back.enabled = current.enabled;
        tracks.use(kind, back);
        tracks.restream();
        return { ok: false, problem };
      }
    }
    if (typeof got === 'string') return { ok: false, problem: got };
    const track = tracksOf(got, kind)[0];
    // Hung up (or switched again) while the device was opening: keep nothing of this one.
    if (!track || current !== tracks.of(kind)) {
      for (const t of got.getTracks()) t.stop();
      return track ? { ok: true } : { ok: false, problem: 'failed' };
    }
    track.enabled = current.enabled;
    current.stop();
    tracks.use(kind, track);
    tracks.restream();
    return { ok: true };
  };
}
