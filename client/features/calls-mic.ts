// The Mute button while in the call: our microphone muted and unmuted in place, or, with none
// open (lost, or none opened at the join), Unmute opening one.
import { otherDeviceText, UNMUTE_PROBLEM_TEXT } from '../calls/media-errors.ts';
import type { CallControlParts } from './calls-controls.ts';

export type CallMicOptions = Pick<CallControlParts, 'media' | 'own' | 'sending' | 'clicks' | 'deviceMemory' | 'notify'>;

export function createCallMic({ media, own, sending, clicks, deviceMemory, notify }: CallMicOptions) {
  return {
    toggleMute(): void {
      const mic = media.mic;
      if (!own.state.inCall) return;
      if (mic) {
        mic.enabled = !mic.enabled;
        own.set({ ...own.state, audio: mic.enabled });
        return;
      }
      // Ours was lost (calls-devices.ts, lost), or none opened: Unmute opens one, the one
      // picked last if it is there, as joining does (a headset that dropped out and is back,
      // not the laptop's).
      void clicks.serve(async () => {
        const opened = await media.openMic(deviceMemory.load('audio'));
        if (!own.state.inCall) return media.closeAll();
        if (!opened.ok) return notify(UNMUTE_PROBLEM_TEXT[opened.problem]);
        notify(opened.gone ? otherDeviceText(opened.gone) : null);
        own.set({ ...own.state, audio: true });
        sending.sendToAll();
      });
    },
  };
}
