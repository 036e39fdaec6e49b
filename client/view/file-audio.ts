// An audio file played on its line: an <audio controls> of the verified file (ours at once, as
// an image is previewed), only for the audio types on the protocol's allowlist
// (isPlayableAudioType): nothing else a peer sends becomes a media element. Its length is
// measured here, on our page, from the file itself (never the sender's word) and shown in the
// line's meta; a file the browser cannot decode says "cannot be played" in the player's place,
// and its download stays. The player's object URL holds the file as the download's does, and
// is revoked as that one is: when the line goes for good (drop), or at once when it fails.
import { isPlayableAudioType } from '../../protocol/index.ts';
import { stillReadable } from '../files/sink.ts';
import { formatClipTime } from '../voice/clip.ts';
import { el } from './dom.ts';

/**
 * A file whose header gives no length (a WebM as MediaRecorder writes it, where the sender
 * did not write one in) is read to its end to find it, up to this size; past it, its length
 * is not shown. A five-minute voice message is about 1.2 MB (voice/recorder.ts); a peer's
 * file of gigabytes typed audio would be read whole for a number.
 */
export const MEASURE_MAX_BYTES = 64 * 1024 * 1024;
/**
 * Where the player is sent to find the end: far past any, it stops at the end, and the
 * browser then knows the length (durationchange).
 */
const FAR_PAST_END_S = 1e9;

export interface FileAudio {
  /** Shows the player for `file` (once), if its line's type is playable. */
  show(file: Blob): void;
  /** The line went for good: the player's URL revoked. */
  drop(): void;
  /** The file is gone from the device: its player goes from the line too, its URL revoked. */
  gone(): void;
}

/**
 * The player of a file `name` typed `type` (the sender's word: only the allowlist is played),
 * put on its line by `put`; its length goes at the end of `meta`. `whenGone`, if given, is told
 * instead of "cannot be played" when the player fails because the file's stored copy went
 * from the device (it cannot be read any more): the line says that (file-line.ts).
 */
export function createFileAudio(
  { name, type }: { name: string; type: string },
  put: (node: HTMLElement) => void,
  meta: HTMLElement,
  whenGone?: () => void,
): FileAudio {
  if (!isPlayableAudioType(type)) return { show() {}, drop() {}, gone() {} };
  let url: string | null = null;
  let shown = false;
  let player: HTMLAudioElement | null = null;
  const revoke = (): void => {
    if (url !== null) URL.revokeObjectURL(url);
    url = null;
  };
  return {
    show(file) {
      if (shown) return;
      shown = true;
      const audio = el('audio', { className: 'file-audio', testId: 'file-audio' });
      player = audio;
      audio.controls = true;
      audio.preload = 'metadata';
      audio.setAttribute('aria-label', `Play ${name}`);
      const length = el('span', { className: 'file-audio-length', testId: 'file-audio-length' });
      measureLength(audio, file.size, (text) => {
        if (length.parentNode === null) meta.append(' · ', length);
        length.textContent = text;
      });
      // Bytes the browser cannot decode (a peer's file typed audio that is not): the line
      // says so once, and nothing of the player is left to fail again. Bytes no longer there
      // (their stored copy gone) are told to `whenGone`, which says that instead.
      const cannotPlay = () =>
        put(el('span', { className: 'file-audio-error', testId: 'file-audio-error', text: 'cannot be played' }));
      audio.addEventListener('error', () => {
        if (url === null) return; // let go already (the line went for good)
        revoke();
        audio.remove();
        player = null;
        if (whenGone === undefined) return cannotPlay();
        void stillReadable(file).then((readable) => (readable ? cannotPlay() : whenGone()));
      });
      // A received file is stored typed as bytes (files/incoming.ts receivedType): the
      // player's copy says what it is, by its allowlisted type.
      url = URL.createObjectURL(new Blob([file], { type: type.trim().toLowerCase() }));
      audio.src = url;
      put(audio);
    },
    drop: revoke,
    gone() {
      revoke();
      player?.remove();
      player = null;
    },
  };
}

/**
 * Tells `show` the player's length as it reads ("0:07"), once the browser knows it: from the
 * file's header, or else by seeking past the end once (then back to the start).
 */
function measureLength(audio: HTMLAudioElement, size: number, show: (text: string) => void): void {
  let seeking = false;
  const read = (): void => {
    const text = formatClipTime(audio.duration);
    if (text === null) return;
    if (seeking) {
      seeking = false;
      audio.currentTime = 0;
    }
    show(text);
  };
  audio.addEventListener('loadedmetadata', () => {
    if (audio.duration === Number.POSITIVE_INFINITY && size <= MEASURE_MAX_BYTES) {
      seeking = true;
      audio.currentTime = FAR_PAST_END_S;
      return;
    }
    read();
  });
  audio.addEventListener('durationchange', read);
}
