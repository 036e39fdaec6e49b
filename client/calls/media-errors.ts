// Why the camera, microphone or screen could not be opened, in plain words. getUserMedia and
// getDisplayMedia reject with DOMExceptions whose names are the only stable part.
import type { MediaKind } from './senders.ts';

export type MediaProblem = 'insecure' | 'denied' | 'no-device' | 'in-use' | 'unsendable' | 'failed';

export const MEDIA_PROBLEM_TEXT: Record<MediaProblem, string> = {
  insecure:
    'Calls need a secure page: open this room over https (npm start -- --tunnel gives one) or on localhost. Chat works as it is.',
  denied:
    'The browser was not allowed to use your camera or microphone. Allow it in the site settings (the icon by the address) and try again. Chat goes on.',
  'no-device': 'No camera or microphone was found. Plug one in, or join with audio only. Chat goes on.',
  'in-use': 'Your camera or microphone is in use by another app or tab. Close it there and try again. Chat goes on.',
  unsendable:
    'That camera gives a picture the others cannot receive (an infrared or depth camera?), so it is not sent. Pick another camera. Chat goes on.',
  failed: 'Could not start your camera or microphone. Chat goes on.',
};

/**
 * Why Join left us out of the call (nothing opened), naming only what was asked for and
 * refused: the microphone alone (`kind`: Join call, or Join with video whose camera was
 * refused and the microphone then too), or the camera or microphone. Join call was answered
 * "not allowed to use your camera or microphone" when no camera was asked for.
 */
export function joinProblemText(problem: MediaProblem, kind?: MediaKind): string {
  if (kind !== 'audio') return MEDIA_PROBLEM_TEXT[problem];
  switch (problem) {
    case 'insecure':
      return MEDIA_PROBLEM_TEXT.insecure;
    case 'denied':
      return 'The browser was not allowed to use your microphone. Allow it in the site settings (the icon by the address) and try again. Chat goes on.';
    case 'no-device':
      return 'No microphone was found. Plug one in and try again. Chat goes on.';
    case 'in-use':
      return 'Your microphone is in use by another app or tab. Close it there and try again. Chat goes on.';
    default:
      return 'Could not start your microphone. Chat goes on.';
  }
}

/**
 * Why Join with video joined with audio only: the camera asked for could not be used, the
 * microphone could. The call goes on, so not the words of a join that failed ("Chat goes on.").
 */
export function joinedWithoutCameraText(problem: MediaProblem): string {
  return problem === 'denied'
    ? 'The browser is not allowed to use your camera, so you joined with audio only. Allow it in the site settings (the icon by the address) and press Camera on.'
    : 'That camera gives a picture the others cannot receive (an infrared or depth camera?), so you joined with audio only. Pick another camera and press Camera on.';
}

/**
 * Why Share screen shared nothing. Not "camera or microphone" (the words of a join): nothing
 * of those was asked for, and the call goes on. Not allowed is a closed picker, said nothing
 * of (calls-screen.ts), so it has no words here.
 */
export const SCREEN_PROBLEM_TEXT: Record<Exclude<MediaProblem, 'denied'>, string> = {
  insecure: MEDIA_PROBLEM_TEXT.insecure,
  'no-device': 'The browser offered no screen or window to share. You are still in the call.',
  'in-use': 'Your screen could not be captured: another app may be holding it. You are still in the call.',
  unsendable: 'That screen could not be shared. You are still in the call.',
  failed: 'Could not share your screen. You are still in the call.',
};

/** Maps a getUserMedia / getDisplayMedia rejection to a problem code. */
export function mediaProblem(error: unknown): MediaProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError': // old Chromium
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError': // old Chromium
      return 'no-device';
    case 'NotReadableError':
    case 'AbortError':
    case 'TrackStartError': // old Chromium
      return 'in-use';
    default:
      return 'failed';
  }
}

/**
 * Why Camera on left the camera off. The call goes on (only joining leaves it when nothing
 * opens), so each says the camera stays off and what would let it on again. Not allowed: not
 * "no longer allowed", said also to one who joined with audio because the camera never was.
 */
export const CAMERA_ON_PROBLEM_TEXT: Record<MediaProblem, string> = {
  insecure: MEDIA_PROBLEM_TEXT.insecure,
  denied:
    'Your camera stays off: the browser is not allowed to use it. Allow it in the site settings (the icon by the address) and press Camera on again. You are still in the call.',
  'no-device':
    'Your camera stays off: it is not there any more (unplugged?). Plug it in or pick another camera, and press Camera on again. You are still in the call.',
  'in-use':
    'Your camera stays off: another app or tab is using it. Close it there and press Camera on again. You are still in the call.',
  unsendable:
    'Your camera stays off: that camera gives a picture the others cannot receive (an infrared or depth camera?). Pick another camera. You are still in the call.',
  failed: 'Your camera stays off: it could not be started. Press Camera on to try again. You are still in the call.',
};

const MIC_FAILED =
  'You stay muted: your microphone could not be started. Press Unmute to try again. You are still in the call.';

/**
 * Why Unmute left us muted (our microphone was lost, and none opens again). As for Camera on,
 * the call goes on: each says so, and what would let Unmute work, never "join with audio
 * only" to someone in the call already.
 */
export const UNMUTE_PROBLEM_TEXT: Record<MediaProblem, string> = {
  insecure: MEDIA_PROBLEM_TEXT.insecure,
  denied:
    'You stay muted: the browser is no longer allowed to use your microphone. Allow it in the site settings (the icon by the address) and press Unmute again. You are still in the call.',
  'no-device':
    'You stay muted: no microphone was found (unplugged?). Plug one in and press Unmute again. You are still in the call.',
  'in-use':
    'You stay muted: another app or tab is using your microphone. Close it there and press Unmute again. You are still in the call.',
  // Only cameras are refused for their picture; a microphone never is.
  unsendable: MIC_FAILED,
  failed: MIC_FAILED,
};

/** What a kind of device is called, and the list it is picked in (its visible label). */
const DEVICE_WORDS: Record<MediaKind, { name: string; list: string }> = {
  audio: { name: 'microphone', list: 'Mic' },
  video: { name: 'camera', list: 'Camera' },
};

/**
 * A microphone or camera picked in the list mid-call that is not there any more (unplugged
 * since the list was read): the one in use goes on. Not the joining words ("…or join with
 * audio only"), which told someone in a call how to join one.
 */
export function pickedGoneText(kind: MediaKind): string {
  const { name, list } = DEVICE_WORDS[kind];
  return `That ${name} is not there any more (unplugged?). Pick another in the ${list} list.`;
}

/**
 * Why a microphone or camera picked in the list mid-call was not taken. The call goes on, so
 * these are not the joining words, which ended "Chat goes on." (said of a depth camera picked
 * mid-call, explorer Q): each says what to do instead, and what became of the one in use: it
 * goes on, or (`lost`: freed for the new one, it would not open again, local-media-switch.ts)
 * it is off, and what opens one again.
 */
export function pickedProblemText(kind: MediaKind, problem: MediaProblem, lost = false): string {
  if (problem === 'insecure') return MEDIA_PROBLEM_TEXT.insecure;
  const { name, list } = DEVICE_WORDS[kind];
  const why: Record<Exclude<MediaProblem, 'insecure'>, string> = {
    'no-device': pickedGoneText(kind),
    denied: `The browser is not allowed to use that ${name}. Allow it in the site settings (the icon by the address), or pick another in the ${list} list.`,
    'in-use': `That ${name} is in use by another app or tab. Close it there, or pick another in the ${list} list.`,
    unsendable: `That ${name} gives a picture the others cannot receive (an infrared or depth camera?), so it is not sent. Pick another in the ${list} list.`,
    failed: `That ${name} could not be started. Pick another in the ${list} list.`,
  };
  if (!lost) return why[problem];
  const off =
    kind === 'audio'
      ? 'Your microphone is off meanwhile: you are muted, and Unmute opens one again.'
      : 'Your camera is off meanwhile: Camera on opens one again.';
  return `${why[problem]} ${off} You are still in the call.`;
}

/**
 * The microphone or camera picked last time (remembered: storage.ts), or both, did not open,
 * and the default did: one message for all that fell back, so none hides another.
 */
export function otherDeviceText(gone: readonly MediaKind[]): string {
  const names = gone.map((kind) => DEVICE_WORDS[kind].name);
  const lists = gone.map((kind) => DEVICE_WORDS[kind].list).join(' and ');
  return names.length === 1
    ? `The ${names[0]} you picked last time is not there (unplugged?), so your default ${names[0]} is on. Pick another in the ${lists} list.`
    : `The ${names.join(' and the ')} you picked last time are not there (unplugged?), so your default ${names.join(' and ')} are on. Pick others in the ${lists} lists.`;
}
