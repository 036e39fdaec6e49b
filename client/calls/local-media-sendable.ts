// What we open is what we can send: a microphone or camera by its id, a camera refused when
// its picture cannot be sent (sendable-picture.ts reads its first frame), and in place of
// such a camera the first other one whose picture can.
import { ask, constraintsFor } from './local-media-ask.ts';
import { listDevices } from './local-media-devices.ts';
import type { MediaProblem } from './media-errors.ts';
import { pictureSendable } from './sendable-picture.ts';

/**
 * `opened` if its picture can be sent; else (stopped) the first other camera whose picture
 * can, or null. `stillWanted` is false once hung up meanwhile: then nothing more is opened.
 */
export async function sendableCamera(
  opened: MediaStreamTrack,
  stillWanted: () => boolean = () => true,
): Promise<MediaStreamTrack | null> {
  if (await pictureSendable(opened)) return opened;
  const refused = opened.getSettings?.().deviceId;
  opened.stop();
  for (const choice of await listDevices()) {
    if (choice.kind !== 'video' || choice.deviceId === refused || !stillWanted()) continue;
    const got = await openDevice('video', choice.deviceId);
    const track = typeof got === 'string' ? null : (got.getVideoTracks()[0] ?? null);
    if (track) return track;
  }
  return null;
}

/**
 * This microphone or camera, or why it cannot be used: it would not open, or (a camera) its
 * picture cannot be sent, and then it is stopped again.
 */
export async function openDevice(kind: 'audio' | 'video', deviceId: string): Promise<MediaStream | MediaProblem> {
  const got = await ask((d) => d.getUserMedia(constraintsFor(kind, deviceId)));
  if (typeof got === 'string' || kind === 'audio') return got;
  const track = got.getVideoTracks()[0];
  if (!track || (await pictureSendable(track))) return got;
  for (const t of got.getTracks()) t.stop();
  return 'unsendable';
}
