// What we ask the browser for (a camera picture of call size, a screen for text and slides,
// a microphone or camera by its id, the ones last picked first), and its answer: a stream,
// or the problem that kept it from opening (media-errors.ts).
import { mediaDevices } from './local-media-devices.ts';
import { type MediaProblem, mediaProblem } from './media-errors.ts';
import type { MediaKind } from './senders.ts';

/** The microphone and camera to open rather than the default ones (the ones last picked), by deviceId. */
export type Preferred = Partial<Record<MediaKind, string | null>>;

/**
 * What we ask for: a camera picture of ordinary call size (every other member decodes it,
 * one stream each), and a screen at a frame rate fit for text and slides, not for games.
 */
export const CAMERA: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { max: 30 } };
export const SCREEN: MediaTrackConstraints = { frameRate: { max: 15 } };

/** What opens this microphone or camera. */
export function constraintsFor(kind: 'audio' | 'video', deviceId: string): MediaStreamConstraints {
  return kind === 'audio'
    ? { audio: { deviceId: { exact: deviceId } } }
    : { video: { ...CAMERA, deviceId: { exact: deviceId } } };
}

export const tracksOf = (stream: MediaStream, kind: 'audio' | 'video'): MediaStreamTrack[] =>
  kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();

export async function ask(get: (devices: MediaDevices) => Promise<MediaStream>): Promise<MediaStream | MediaProblem> {
  const devices = mediaDevices();
  if (!devices) return 'insecure';
  try {
    return await get(devices);
  } catch (error) {
    return mediaProblem(error);
  }
}

/**
 * What `wanted` asks for (a microphone, a camera, or both), each kind the `preferred` device
 * by exact id, and only if that one is not there (unplugged, or its id forgotten with the
 * site's data) the browser's default: the kinds that fell back are `gone`. One getUserMedia
 * for all (one prompt); refused for a missing device, it does not say which, so it is asked
 * again with fewer preferred, most kept first (both, the camera, the microphone, none).
 * Exact, not ideal: asked for as ideal, the third of Chromium's fake cameras was passed
 * over for its default one.
 */
export async function askPreferring(
  wanted: Partial<Record<MediaKind, MediaTrackConstraints>>,
  preferred: Preferred,
): Promise<{ got: MediaStream | MediaProblem; gone: MediaKind[] }> {
  const kinds = (['audio', 'video'] as const).filter((kind) => wanted[kind] && preferred[kind]);
  // Which preferences a try keeps, one bit per kind: all of them first, none last.
  for (let keep = 2 ** kinds.length - 1; ; keep--) {
    const kept = kinds.filter((_, bit) => keep & (1 << bit));
    const constraint = (kind: MediaKind) => {
      const id = preferred[kind];
      return kept.includes(kind) && id ? { ...wanted[kind], deviceId: { exact: id } } : (wanted[kind] ?? false);
    };
    const got = await ask((d) => d.getUserMedia({ audio: constraint('audio'), video: constraint('video') }));
    if (got !== 'no-device' || keep === 0) return { got, gone: kinds.filter((kind) => !kept.includes(kind)) };
  }
}
