// Who is speaking in the call: a green outline on their tile (data-speaking, styles.css) and
// their names beside the call status, from the audio energy each receiver reports
// (calls/audio-level.ts).
import { energyOf, levelBetween } from '../calls/audio-level.ts';
import type { Tile } from './call-tile.ts';
import { el, icon, setData, setText } from './dom.ts';

/**
 * How often the speaking indicators read the receivers' audio energy (calls/audio-level.ts):
 * the level over each interval, so no short sound is missed between two reads.
 */
const SPEAKING_POLL_MS = 200;
/** RMS audio level (0..1) over a poll interval above which a member counts as speaking. */
const SPEAKING_LEVEL = 0.02;
/** A member stays shown as speaking this long after their last loud interval: no flicker between words. */
const SPEAKING_HOLD_MS = 600;

/** A member muted, or one we ignore (call-tile.ts): never shown speaking, its level not read. */
const unheard = (tile: Tile): boolean => tile.root.dataset.muted === 'true' || tile.look?.ignored === true;

/** A loudspeaker sending sound: who is speaking. */
const SPEAKER_ICON = ['M2 6h2.5L8 3v10L4.5 10H2z', 'M10.5 5.5a3.5 3.5 0 0 1 0 5', 'M12.5 3.5a6.5 6.5 0 0 1 0 9'];

export interface CallSpeaking {
  /** Polls while the call shows tiles (`shown`); stops, and clears the names, once it shows none. */
  follow(shown: boolean): void;
}

/** The indicator, its names put right after the call status; `tiles`, the members' tiles shown. */
export function createCallSpeaking(status: HTMLElement, tiles: () => Iterable<Tile>): CallSpeaking {
  // Who is speaking, by name, beside the status on a narrow screen (styles.css), where the
  // strip of tiles scrolls sideways and the speaker's green outline may be out of view. For
  // the eye only, like the outline: read out, it would be said five times a second.
  // A speaker's sign and their names: a few characters of room beside the status, not a
  // word's ("Speaking:" took a quarter of a phone's row, and the status a line more).
  const speaking = el('span', { className: 'call-speaking' });
  speaking.setAttribute('aria-hidden', 'true');
  const speakers = el('span', { testId: 'call-speaking' });
  const sign = icon(SPEAKER_ICON);
  sign.classList.add('call-speaking-sign');
  speaking.append(sign, speakers);
  status.after(speaking);

  // Speaking indicator: the audio energy each receiver reports (no audio graph needed).
  // Polled only while tiles are shown (render starts and stops it): otherwise every page
  // would wake 5 times a second outside any call. One read at a time: a slow getStats()
  // (a busy machine) delays the next read instead of piling reads up.
  let speakingTimer: ReturnType<typeof setInterval> | undefined;
  let reading = false;
  async function readLevel(tile: Tile): Promise<void> {
    const receiver = tile.audio;
    // Nothing to read while no audio arrives (a received track is muted until its first
    // packets: the join's negotiation, which getStats would slow down by competing for
    // WebRTC's threads), while the member has muted themselves, or while we ignore it.
    if (!receiver || receiver.track.muted || unheard(tile)) {
      tile.energy = null;
      return;
    }
    const sample = await energyOf(receiver);
    // Its receiver changed meanwhile (a replaced link): the sample is of the old one.
    if (tile.audio !== receiver || sample === null) return;
    const level = levelBetween(tile.energy, sample);
    tile.energy = sample;
    if (level > SPEAKING_LEVEL) tile.loudAt = performance.now();
  }
  async function pollSpeaking(): Promise<void> {
    if (reading) return;
    reading = true;
    try {
      const shown = [...tiles()];
      await Promise.all(shown.map(readLevel));
      const now = performance.now();
      const names: string[] = [];
      for (const tile of shown) {
        const speaking = !unheard(tile) && now - tile.loudAt < SPEAKING_HOLD_MS;
        // Written only on a change: a style recalculation on every read otherwise.
        setData(tile.root, 'speaking', String(speaking));
        if (speaking && tile.sound && tile.root.isConnected) names.push(tile.name.textContent ?? '');
      }
      setText(speakers, names.join(', '));
    } finally {
      reading = false;
    }
  }

  return {
    follow(shown) {
      if (shown) speakingTimer ??= setInterval(() => void pollSpeaking(), SPEAKING_POLL_MS);
      else if (speakingTimer !== undefined) {
        clearInterval(speakingTimer);
        speakingTimer = undefined;
        setText(speakers, '');
      }
    },
  };
}
