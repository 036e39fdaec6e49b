// The call: its controls, a line saying who is in it, a plain message when media cannot be
// opened, one tile per member in the call (ours mirrored), and a tile of its own for each
// screen shared next to a camera (large; ours small, a preview). Tiles and their <video>
// elements persist across renders, so playback never restarts because something else changed.
import { energyOf, levelBetween } from '../calls/audio-level.ts';
import { createCallControls } from './call-controls.ts';
import type { CallsModel, CallsViewHandlers } from './call-model.ts';
import { createScreenTile, drawScreenTile, type ScreenTile } from './call-screen-tile.ts';
import { createCallStatus } from './call-status.ts';
import { createTile, drawTile, hearFrom, sayState, type Tile } from './call-tile.ts';
import type { TileLook } from './call-tile-state.ts';
import { byTestId, el, icon, setData, setHidden, setText } from './dom.ts';

/**
 * How often the speaking indicators read the receivers' audio energy (calls/audio-level.ts):
 * the level over each interval, so no short sound is missed between two reads.
 */
const SPEAKING_POLL_MS = 200;
/** RMS audio level (0..1) over a poll interval above which a member counts as speaking. */
const SPEAKING_LEVEL = 0.02;
/** A member stays shown as speaking this long after their last loud interval: no flicker between words. */
const SPEAKING_HOLD_MS = 600;

/** A loudspeaker sending sound: who is speaking. */
const SPEAKER_ICON = ['M2 6h2.5L8 3v10L4.5 10H2z', 'M10.5 5.5a3.5 3.5 0 0 1 0 5', 'M12.5 3.5a6.5 6.5 0 0 1 0 9'];

export interface CallsView {
  render(model: CallsModel): void;
  message(text: string | null): void;
}

export function createCallsView(handlers: CallsViewHandlers): CallsView {
  const status = createCallStatus();
  const message = byTestId<HTMLElement>('call-message');
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
  status.element.after(speaking);
  const grid = document.getElementById('call-tiles') as HTMLElement;
  const controls = createCallControls(handlers);

  const tiles = new Map<string, Tile>();

  const screens = new Map<string, ScreenTile>();

  /** The tile of the screen `id` shares next to its camera ('self': ours), made when first needed. */
  function showScreen(id: string, own: boolean, name: string, stream: MediaStream): ScreenTile {
    let tile = screens.get(id);
    if (!tile) {
      tile = createScreenTile(id, own, name);
      screens.set(id, tile);
    }
    drawScreenTile(tile, own, name, stream);
    return tile;
  }

  function show(id: string, own: boolean, name: string, stream: MediaStream, look: TileLook): Tile {
    let tile = tiles.get(id);
    if (!tile) {
      tile = createTile(id, own, handlers);
      tiles.set(id, tile);
    }
    drawTile(tile, name, stream, look);
    return tile;
  }

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
    // WebRTC's threads) or while the member has muted themselves.
    if (!receiver || receiver.track.muted || tile.root.dataset.muted === 'true') {
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
      const shown = [...tiles.values()];
      await Promise.all(shown.map(readLevel));
      const now = performance.now();
      const names: string[] = [];
      for (const tile of shown) {
        const speaking = tile.root.dataset.muted !== 'true' && now - tile.loudAt < SPEAKING_HOLD_MS;
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
    render(model) {
      const { self } = model;
      const focused = document.activeElement;
      const onTile = focused instanceof HTMLElement && grid.contains(focused);
      controls.render(model, focused);

      status.render(model);

      const wanted = new Set<string>();
      const wantedScreens = new Set<string>();
      const order: HTMLElement[] = [];
      // Our tile once our camera is open; the members' from the click on (we are in the
      // call while our media opens: features/calls.ts, join).
      if (self.inCall && model.preview) {
        wanted.add('self');
        const look = { state: self, relayed: false, heard: true, silence: 'theirs' } as const;
        order.push(show('self', true, `${model.selfName} (you)`, model.preview, look).root);
      }
      if (self.inCall && model.preview && model.screenPreview) {
        wantedScreens.add('self');
        order.push(showScreen('self', true, model.selfName, model.screenPreview).root);
      }
      if (self.inCall) {
        for (const p of model.participants) {
          wanted.add(p.id);
          const tile = show(p.id, false, p.name, p.stream, {
            state: p.state,
            relayed: model.relayed(p.id),
            heard: p.heard,
            silence: model.silence(p.id),
          });
          if (tile.audio !== p.audio) {
            hearFrom(tile, p.audio);
            sayState(tile);
          }
          order.push(tile.root);
          if (p.screen) {
            wantedScreens.add(p.id);
            order.push(showScreen(p.id, false, p.name, p.screen).root);
          }
        }
      }
      for (const [id, tile] of tiles) {
        if (wanted.has(id)) continue;
        tile.video.srcObject = null;
        if (tile.sound) tile.sound.srcObject = null;
        tile.root.remove();
        tiles.delete(id);
      }
      for (const [id, tile] of screens) {
        if (wantedScreens.has(id)) continue;
        tile.video.srcObject = null;
        tile.root.remove();
        screens.delete(id);
      }
      // Only new tiles are inserted: taking a playing <video> out of the page pauses it. Ours
      // comes first, also when it comes after the members' (our camera opened later), and the
      // preview of our screen right after it. The members' screens go first by CSS (order).
      const own = tiles.get('self')?.root;
      const ownScreen = screens.get('self')?.root;
      for (const root of order) {
        if (root.parentElement === grid) continue;
        if (root === own) grid.prepend(root);
        else if (root === ownScreen && own?.parentElement === grid) own.after(root);
        else grid.append(root);
      }
      setHidden(grid, order.length === 0);
      // The keyboard on a tile's button that went with its tile (its member hung up, a screen
      // stopped) or was hidden (a tile without video has no tools) goes to the call's first
      // control, as from a control that hid itself: it fell to <body>.
      if (onTile && (!focused.isConnected || focused.getClientRects().length === 0)) {
        controls.handOff(focused, self.inCall);
      }
      if (tiles.size > 0) speakingTimer ??= setInterval(() => void pollSpeaking(), SPEAKING_POLL_MS);
      else if (speakingTimer !== undefined) {
        clearInterval(speakingTimer);
        speakingTimer = undefined;
        setText(speakers, '');
      }
    },
    message(text) {
      message.textContent = text ?? '';
      message.hidden = text === null;
    },
  };
}
