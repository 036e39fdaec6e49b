// What a voice message is, apart from the recorder and the page: the type it is recorded in,
// how long it may be, its name, how its length reads, and what the note under the message box
// says when none is sent. A clip goes as any file does (wiring/files.ts send), so these are
// the only rules of its own.
import type { MediaProblem } from '../calls/media-errors.ts';
import { localDate, localTime, twoDigits } from '../local-stamp.ts';
import { withWebmDuration } from './webm-duration.ts';

/**
 * The recording types, in order of preference: Opus in WebM (Chromium, Firefox), in Ogg
 * (Firefox), and what Safari records (AAC in MP4). The first the browser's MediaRecorder
 * supports is used.
 */
export const RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4'] as const;

/** A clip stops at this length and is sent as it is: five minutes. */
export const MAX_CLIP_MS = 5 * 60_000;
/** A shorter clip is discarded: a Record pressed and let go by mistake, or a double press. */
export const MIN_CLIP_MS = 500;

/** A clip's file name ends by its type; a type not listed here is not recorded. */
const EXTENSIONS: Readonly<Record<string, string>> = { 'audio/webm': 'webm', 'audio/ogg': 'ogg', 'audio/mp4': 'm4a' };

/** The first of RECORDING_TYPES the recorder supports, or null: this browser cannot record one. */
export function recordingType(isTypeSupported: (type: string) => boolean): string | null {
  return RECORDING_TYPES.find((type) => isTypeSupported(type)) ?? null;
}

/** A media type without its parameters, in lower case: 'audio/webm;codecs=opus' → 'audio/webm'. */
export function baseType(type: string): string {
  return (type.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * The type a clip is sent as: what the recorder says it wrote (browsers may add or change its
 * parameters), or the type asked for if it says nothing we name a file by.
 */
export function clipType(asked: string, reported: string): string {
  const said = baseType(reported);
  return said in EXTENSIONS ? said : baseType(asked);
}

/**
 * "voice message 2026-12-08 14.05.33.webm": local date and time, the time with dots (local-stamp.ts).
 */
export function clipName(at: Date, type: string): string {
  const date = localDate(at);
  const time = localTime(at, '.');
  return `voice message ${date} ${time}.${EXTENSIONS[baseType(type)] ?? 'webm'}`;
}

/** What a reply's quote says of a voice message, in place of its file's name. */
export const VOICE_MESSAGE_WORDS = 'Voice message';

/** A name as clipName makes it, whatever the date. */
const CLIP_NAME = /^voice message \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.(\w+)$/;

/**
 * Whether a file is a voice message, as far as its line can tell: named as clipName names one,
 * in a type a clip is recorded in, the name's extension that type's. (A member may name any
 * audio file so: a quote of it then says what its name claims, as its line does.)
 */
export function isVoiceMessage(name: string, type: string): boolean {
  const extension = CLIP_NAME.exec(name)?.[1];
  return extension !== undefined && EXTENSIONS[baseType(type)] === extension;
}

/**
 * A length as a player shows it: "0:07", "4:59", "1:02:03" past an hour (a peer's file may
 * declare any length, and it is shown as declared); null for none (NaN, Infinity, negative).
 * Whole seconds, as a clock and a browser's player count them: the running time while one
 * records, and a whole clip's length among its line's details, which then agrees with the
 * player under it (rounded, a clip of 2.57 s read "0:03" there beside the player's "0:02").
 */
export function formatClipTime(seconds: number): string | null {
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = twoDigits(whole % 60);
  return hours > 0 ? `${hours}:${twoDigits(minutes)}:${rest}` : `${minutes}:${rest}`;
}

/**
 * The clip as a file, recorded `durationMs` long from `at`. A WebM from MediaRecorder declares
 * no duration (it is written as it is recorded), so players showed no length and could not
 * seek: the duration is written into its header (webm-duration.ts) before it goes.
 */
export async function clipFile(chunks: readonly Blob[], type: string, durationMs: number, at: Date): Promise<File> {
  const recorded = new Blob([...chunks], { type });
  const whole = type === 'audio/webm' ? await withWebmDuration(recorded, durationMs) : recorded;
  return new File([whole], clipName(at, type), { type });
}

/** Why no clip was sent, besides the microphone's own reasons (calls/media-errors.ts). */
export type ClipProblem = MediaProblem | 'unsupported' | 'too-short' | 'recorder-failed';

/** The note under the message box for each (composer-notes.ts). */
export const CLIP_PROBLEM_TEXT: Record<ClipProblem, string> = {
  insecure: 'Voice messages need a secure page: open this room over https or on localhost. Nothing was recorded.',
  denied:
    'The browser was not allowed to use your microphone, so nothing was recorded. Allow it in the site settings (the icon by the address) and press Record again.',
  'no-device': 'No microphone was found, so nothing was recorded. Plug one in and press Record again.',
  'in-use': 'Your microphone is in use by another app or tab, so nothing was recorded. Close it there and try again.',
  // Only cameras are refused for their picture; a microphone never is.
  unsendable: 'Your microphone could not be started, so nothing was recorded.',
  failed: 'Your microphone could not be started, so nothing was recorded.',
  unsupported: 'This browser cannot record voice messages.',
  'too-short': 'Voice message too short (under half a second): nothing was sent.',
  'recorder-failed': 'The recording failed, so nothing was sent.',
};

/** The note when the microphone stopped by itself (unplugged, its permission taken back). */
export const MIC_STOPPED_TEXT = 'Your microphone stopped, so the recording ended there and was sent.';
/**
 * A clip recorded and not sent (the member written to went away meanwhile, or can't receive
 * now): it waits in the voice bar. Said under the box, beside it; the chat says why.
 */
export const CLIP_HELD_TEXT =
  'Your voice message was not sent (the chat says why). It waits under the message box, which you can use meanwhile: press its Send to try again, or Cancel.';
