// The Share screen button while in the call: a screen in place of the camera (or as the video,
// joined with audio), or next to the camera as a second video; and back, from the button or
// the browser's own "stop sharing".
import { SCREEN_PROBLEM_TEXT } from '../calls/media-errors.ts';
import type { CallControlParts } from './calls-controls.ts';

export type CallScreenOptions = Pick<CallControlParts, 'media' | 'own' | 'sending' | 'clicks' | 'cap' | 'notify'>;

export function createCallScreen({ media, own, sending, clicks, cap, notify }: CallScreenOptions) {
  function stopScreen(): void {
    if (!media.screen) return;
    media.closeScreen();
    own.set({ ...own.state, screen: false });
    sending.sendToAll();
  }

  return {
    /**
     * Shares a screen in place of the camera (or as the video, joined with audio), or with
     * `alongside` next to the camera as a second video; and back.
     */
    toggle(alongside = false): Promise<void> {
      return clicks.serve(async () => {
        if (!own.state.inCall) return;
        if (media.screen) return stopScreen();
        if (cap.reached()) return;
        const opened = await media.openScreen(stopScreen, alongside);
        // Closing the picker is a choice, not a failure worth a message.
        if (!opened.ok) return opened.problem === 'denied' ? undefined : notify(SCREEN_PROBLEM_TEXT[opened.problem]);
        if (!own.state.inCall) return media.closeAll();
        // Cameras turned on while the picker was open may have reached the cap: not shared.
        if (cap.reached()) return media.closeScreen();
        own.set({ ...own.state, screen: true, screenAlongside: media.screenAlongside });
        sending.sendToAll();
      });
    },
  };
}
