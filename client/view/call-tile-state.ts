// The state line of a member's call tile: what it says of the member besides its name
// (muted, camera off, not responding, relayed, …, or ignored), from the member's word and
// what of its media reaches us.
import { type CallState, callPicture } from '../../protocol/index.ts';
import { type Silence, unheardWords } from './call-silence.ts';

/** What a tile says of its member besides its name (ours is always heard, never relayed). */
export interface TileLook {
  state: CallState;
  relayed: boolean;
  /** False while its link is silent: the picture is the last it sent (CallParticipant.heard). */
  heard: boolean;
  /** Whose doing its silence is, if it is silent (CallsModel.silence). */
  silence: Silence;
  /** Silent on its link but reached through another member (CallParticipant.throughOthers). */
  throughOthers?: boolean;
  /** Its link worked and is being repaired (CallParticipant.repairing). */
  repairing?: boolean;
  /** We ignore this member (ignored.ts): its tile plays no sound and shows no picture. */
  ignored?: boolean;
}

/** What reaches us of a member's media: a picture on its tile, its sound. */
export interface Arriving {
  picture: boolean;
  sound: boolean;
}

/**
 * The state line of a member's tile: muted, camera off, … Its word (call:state) says what it
 * sends, `arriving` what comes: a member that says it is in the call is (one may be in it
 * muted with its camera off, sending nothing), but a microphone or camera it says is on and
 * that sends nothing is not shown as working ("no sound", "no picture"). A member that sent
 * only the word had a tile that said nothing at all, as if all were well.
 */
export function tileStateText(
  { state, relayed, heard, silence, throughOthers, repairing, ignored }: TileLook,
  arriving: Arriving = { picture: true, sound: true },
): string {
  // Neither heard nor seen here, whatever it sends: its name and this word, no more.
  if (ignored === true) return 'ignored';
  const words = [];
  const unheard = heard ? null : unheardWords(silence, throughOthers, repairing);
  if (unheard) words.push(unheard);
  if (!state.audio) words.push('muted');
  else if (!arriving.sound) words.push('no sound');
  if (state.screen) words.push('sharing screen');
  if (callPicture(state) === 'none') words.push('camera off');
  else if (!arriving.picture) words.push('no picture');
  if (relayed) words.push('relayed');
  return words.join(' · ');
}
