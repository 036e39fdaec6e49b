// The call: its controls, a line saying who is in it, a plain message when media cannot be
// opened, one tile per member in the call (ours mirrored), and a tile of its own for each
// screen shared next to a camera (large; ours small, a preview). Tiles and their <video>
// elements persist across renders, so playback never restarts because something else changed.
// Each part is a module of its own: the bar (call-controls.ts), the status line
// (call-status.ts), who is speaking (call-speaking.ts) and the tiles (call-grid.ts); this one
// makes them and draws each in turn.
import { createCallControls } from './call-controls.ts';
import { createCallGrid } from './call-grid.ts';
import type { CallsModel, CallsViewHandlers } from './call-model.ts';
import { createCallSpeaking } from './call-speaking.ts';
import { createCallStatus } from './call-status.ts';
import { byTestId } from './dom.ts';

export interface CallsView {
  render(model: CallsModel): void;
  message(text: string | null): void;
}

export function createCallsView(handlers: CallsViewHandlers): CallsView {
  const status = createCallStatus();
  const message = byTestId<HTMLElement>('call-message');
  const grid = createCallGrid(handlers);
  const speaking = createCallSpeaking(status.element, () => grid.tiles());
  const controls = createCallControls(handlers);

  return {
    render(model) {
      const { self } = model;
      const focused = document.activeElement;
      const onTile = focused instanceof HTMLElement && grid.contains(focused);
      controls.render(model, focused);
      status.render(model);
      grid.render(model);
      // The keyboard on a tile's button that went with its tile (its member hung up, a screen
      // stopped) or was hidden (a tile without video has no tools) goes to the call's first
      // control, as from a control that hid itself: it fell to <body>.
      if (onTile && (!focused.isConnected || focused.getClientRects().length === 0)) {
        controls.handOff(focused, self.inCall);
      }
      speaking.follow(grid.hasTiles());
    },
    message(text) {
      message.textContent = text ?? '';
      message.hidden = text === null;
    },
  };
}
